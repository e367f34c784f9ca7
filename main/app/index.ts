import type { AwsAccessResult } from '../aws/access';
import type { ClipboardGuard } from '../core/clipboard-guard';
import type { OpSpec } from '../core/types';
import type { Manifest } from '../core/types';
import { auditExport, auditTail, auditVerify } from './audit-trail';
import type { SessionsDeps } from './aws/sessions';
import { createChangeSignal } from './changes';
import type { AppDeps } from './deps';
import { openHttpsLink, type BrowserOpener } from './links';
import { keepLocalValue, unkeepLocalValue } from './local-overrides';
import { createManifest, openManifestInEditor, readManifest, writeProfile, type FileOpener } from './manifest';
import type { EditorLauncher, openFileSecret, openTargetAtKey } from './open-in-editor';
import type { AppProjectRef } from './project-lookup';
import type { ConfirmConnectHost } from './onepassword/connection';
import type { Logins, LoginsDeps } from './onepassword/logins';
import { lazyModule, once } from './lazy';
import { unseenNotices } from './notices';
import type { ProjectWatch } from './project-watch';
import { createProjectRegistry } from './project-registry';
import { admitChosenFolder, forgetProjectFolder, listProjects, openProject, recentProjects } from './projects';
import { revealChange, revealValue } from './reveal';
import { revealFileChange } from './reveal-file';
import { createNotifications, type NotifyPort } from './notifications';
import { changeSettings, readSettings } from './settings';
import { cachedPlan, ignoreTarget, planProfile, syncProfile } from './sync';
import { createPlanHandover } from './plan-handover';
import { injectTemplate } from './inject';
import { execWithValues, exportValues } from './values';

// The modules below the use cases that load an SDK (AWS, 1Password Connect) load on their first call, so a command
// that needs none of them starts without (issue 12: start-up).
const awsKeys = lazyModule(() => import('./aws/keys'));
const awsProfiles = lazyModule(() => import('./aws/profiles'));
const awsSessions = lazyModule(() => import('./aws/sessions'));
const awsSetup = lazyModule(() => import('./aws/setup'));
const opConnection = lazyModule(() => import('./onepassword/connection'));
const readiness = lazyModule(() => import('./readiness'));
const init = lazyModule(() => import('./init'));
// chamber's verbs (chamber-rules, the import planner), and the two features built on them: no plan, sync or exec
// needs them.
const chamberVerbs = lazyModule(() => import('./chamber'));
const sharedKeys = lazyModule(() => import('./rotate-shared'));
const rotationWorklist = lazyModule(() => import('./rotation-scan'));
// Not on a plan's way: the personal-secret records and the editor launcher load when first used.
const personalSecrets = lazyModule(() => import('./personal-secrets'));
const editor = lazyModule(() => import('./open-in-editor'));

/** What the desktop app adds to the use cases: a watched window, the AWS probe, the session news. */
interface AppOptions extends Pick<SessionsDeps, 'signalMfa' | 'onSessionChange'> {
  /** Desktop notifications (opt-in in Settings); absent in the CLI. */
  notify?: NotifyPort;
  projectWatch?: ProjectWatch;
  probeAws?: (aws: Manifest['aws']) => Promise<AwsAccessResult>;
}

/** The use cases both faces share: the CLI's commands and the app's IPC handlers call these and nothing below. */
export function createApp(deps: AppDeps & AppOptions) {
  const changed = createChangeSignal();
  const withChanges = { ...deps, changed };
  // One registry per app: the window's projects are the folders this main process let in (project-registry.ts).
  const withProjects = { ...withChanges, registry: createProjectRegistry() };
  const opReadiness = once(async () => (await opConnection.get()).createOpReadiness(deps));
  const readinessDeps = {
    ...deps,
    opReadiness: async (specs: OpSpec[]) => (await opReadiness())(specs),
    awsSession: bind(deps, awsProfiles.fn('sessionStatus')),
  };
  const use = <A extends unknown[], R>(fn: (d: typeof deps, ...args: A) => R) => bind(deps, fn);
  return {
    projects: {
      list: bind(withProjects, listProjects),
      recent: bind(withProjects, recentProjects),
      /** Main-side only (dialog, command line): the renderer never hands a path to this. */
      admitChosen: bind(withProjects, admitChosenFolder),
      /** The folder behind a window's project id; PROJECT_NOT_OPEN for an id main did not issue. */
      folderOf: (projectId: string) => withProjects.registry.folderOf(projectId),
      open: bind(withProjects, openProject),
      forget: bind(withProjects, forgetProjectFolder),
      /** Called after the list of projects may have changed (opened, forgotten, a manifest created). */
      onChange: (listener: () => void) => changed.subscribe(listener),
    },
    settings: { read: use(readSettings), change: use(changeSettings) },
    audit: { tail: use(auditTail), verify: use(auditVerify), export: use(auditExport) },
    manifest: { read: readManifest, create: bind(withChanges, createManifest), writeProfile: use(writeProfile) },
    init: {
      checkFolder: init.fn('checkInitFolder'),
      services: use(init.fn('initServices')),
      vaults: use(init.fn('initVaults')),
      vaultItems: use(init.fn('initVaultItems')),
      preview: init.fn('previewInit'),
      write: use(init.fn('runInit')),
    },
    sync: {
      plan: use(planProfile),
      /** The last plan's picture of the profile, for first paint (no source is read). */
      cachedPlan: use(cachedPlan),
      sync: use(syncProfile),
      readiness: bind(readinessDeps, readiness.fn('profileReadiness')),
      ignoreTarget,
      /** The plan's repeated notices (overrides, collisions) not yet shown for this manifest content. */
      unseenNotices: use(unseenNotices),
      keep: keepLocalValue,
      unkeep: unkeepLocalValue,
    },
    chamber: {
      listServices: use(chamberVerbs.fn('listServices')),
      list: use(chamberVerbs.fn('listKeys')),
      find: use(chamberVerbs.fn('findKeys')),
      history: use(chamberVerbs.fn('keyHistory')),
      read: use(chamberVerbs.fn('readKey')),
      write: use(chamberVerbs.fn('writeKey')),
      delete: use(chamberVerbs.fn('deleteKey')),
      import: use(chamberVerbs.fn('importKeys')),
    },
    sharedSecrets: {
      describe: use(sharedKeys.fn('describeSharedKey')),
      rotate: use(sharedKeys.fn('rotateSharedKey')),
      write: use(sharedKeys.fn('writeSharedKey')),
    },
    rotation: { scan: use(rotationWorklist.fn('scanRotation')) },
    notifications: createNotifications(deps),
    personalSecrets: {
      missing: use(personalSecrets.fn('missingPersonalSecrets')),
      set: use(personalSecrets.fn('setPersonalSecret')),
      list: use(personalSecrets.fn('listPersonalSecrets')),
      delete: use(personalSecrets.fn('deletePersonalSecret')),
    },
    values: {
      reveal: use(revealValue),
      revealChange: use(revealChange),
      revealFileChange: use(revealFileChange),
      exec: use(execWithValues),
      export: use(exportValues),
      inject: use(injectTemplate),
    },
    op: {
      check: use(opConnection.fn('checkOp')),
      status: use(opConnection.fn('opStatusView')),
      configure: use(opConnection.fn('configureOp')),
      read: use(opConnection.fn('readOpValue')),
    },
    aws: {
      list: use(awsProfiles.fn('listProfiles')),
      views: use(awsProfiles.fn('listProfileViews')),
      sessionStatus: readinessDeps.awsSession,
      isRoleProfile: use(awsProfiles.fn('isRoleProfile')),
      login: use(awsSessions.fn('login')),
      logout: use(awsSessions.fn('logout')),
      useAsDefault: use(awsSessions.fn('useAsDefaultProfile')),
      keys: use(awsKeys.fn('accessKeys')),
      addKeys: use(awsKeys.fn('addKeys')),
      deleteKeys: use(awsKeys.fn('deleteKeys')),
      importKeys: use(awsKeys.fn('importKeys')),
      rotateKey: use(awsKeys.fn('rotateKey')),
      setMode: use(awsSetup.fn('setMode')),
      credentialProcess: use(awsSetup.fn('credentialProcess')),
      ssoLogin: use(awsSetup.fn('ssoSignIn')),
    },
  };
}

/** A use case with its dependencies given: what the adapters call. */
function bind<D, A extends unknown[], R>(deps: D, fn: (deps: D, ...args: A) => R): (...args: A) => R {
  // eslint-disable-next-line no-restricted-syntax -- forwards a rest parameter: no more arguments than it was given
  return (...args) => fn(deps, ...args);
}

/** What only the desktop app has: the clipboard (through its guard), the user's browser, main's own dialogs. */
interface DesktopPorts {
  clipboardGuard: ClipboardGuard;
  openInBrowser: BrowserOpener;
  /** Main's dialog that confirms a new Connect server before the token may go to it. */
  confirmConnectHost: ConfirmConnectHost;
  /** How long a login search reuses the vault and summary lists (default 30 s). */
  loginsCacheMs?: number;
  /** Opens a file in the app the desktop gives it (latchkey.yml in the user's editor). */
  openFile: FileOpener;
  /** Starts the user's editor command from Settings, without a shell; without one, files open in the default app. */
  launchEditor?: EditorLauncher | undefined;
}

/** The use cases of the desktop app: the shared ones, plus the Logins view and links opened in the browser. */
export function createDesktopApp(deps: AppDeps & AppOptions & DesktopPorts) {
  const clock = deps.now;
  const handover = createPlanHandover(clock ? { now: () => clock().getTime() } : {});
  const app = createApp({
    ...deps,
    handover,
    // Values read under one session are not handed to a sync after it started or ended.
    onSessionChange: async (change) => {
      handover.clear();
      await deps.onSessionChange?.(change);
    },
  });
  const logins = lazyLogins(deps);
  return {
    ...app,
    // A new server must be confirmed in main's dialog first; a new server or token makes the cached login list
    // someone else's.
    op: {
      ...app.op,
      configure: async (input: Parameters<App['op']['configure']>[0]) => {
        const { configureOp } = await opConnection.get();
        const configured = await configureOp({ ...deps, confirmHost: deps.confirmConnectHost }, input);
        logins.forget();
        handover.clear();
        return configured;
      },
    },
    logins,
    links: { open: (url: string) => openHttpsLink(deps.openInBrowser, url) },
    manifestEditor: { open: (project: AppProjectRef) => openManifestInEditor(deps.openFile, project) },
    /** "Open in editor" at a key's line of the profile's target (the plan's review). */
    target: {
      openAtKey: (request: Parameters<typeof openTargetAtKey>[1]) => editor.fn('openTargetAtKey')(deps, request),
      /** "Open file" of a file secret the profile writes (the review of its change). */
      openFile: (request: Parameters<typeof openFileSecret>[1]) => editor.fn('openFileSecret')(deps, request),
    },
  };
}

/** The Logins view, with 1Password Connect loaded on its first use. */
function lazyLogins(deps: LoginsDeps): Logins {
  let made: Logins | undefined;
  const get = once(async () => (made = (await import('./onepassword/logins')).createLogins(deps)));
  return {
    search: async (query) => (await get()).search(query),
    details: async (login) => (await get()).details(login),
    copy: async (login, field) => (await get()).copy(login, field),
    reveal: async (login) => (await get()).reveal(login),
    openUrl: async (login) => (await get()).openUrl(login),
    // Nothing is cached before the first use.
    forget: () => made?.forget(),
  };
}

export type App = ReturnType<typeof createApp>;
export type DesktopApp = ReturnType<typeof createDesktopApp>;

// What the adapters (cli/, ipc/, electron/) may name: they import the app, never the layers below it.
export { createRuntime, type Runtime } from './runtime';
export type { CliProjectRef } from './project-lookup';
export type { AwsAccessResult } from '../aws/access';
export { createStateStore, type StateStore } from './state-store';
export type { AccessKeyInfo, AwsProfileListing } from './aws/profiles';
export type { PlannedSync } from './sync';
export type { ExecOutcome, ExportFormat, K8sSecretOptions, NameCase, NameTransform } from './values';
export type { AuditVerification } from './audit-trail';
export type { ChamberKey, ChamberHistoryEntry, ImportOutcome } from './chamber';
export type { RotateResult, SharedKeyDescription } from './rotate-shared';
export type { RotationScan } from './rotation-scan';
export type { AwsFileEdit } from './aws/setup';
export type { AwsKeys } from './aws/keys';
export type { InitRequest, InitResult } from './init';
export type { PersonalSecretListing } from './personal-secrets';
