import { KEY_STATUSES, type KeyStatus, type Plan, type PlanEntry } from '../../contract/plan';
import { packPlan } from '../../contract/plan-packing';
import type {
  AwsProfileView,
  Envelope,
  LoginSummary,
  ManifestView,
  MethodName,
  MethodOutput,
  ProjectSummary,
  Settings,
} from '../../contract/ipc';

/**
 * A stand-in for the main process that answers every contract method with canned, valid outputs, and a plan of
 * `keyCount` keys (names, origins, statuses, never a value). The UI benchmark measures the renderer, not the
 * sources, so nothing here touches AWS, the keychain or the disk.
 */
export interface FakeBackend {
  handle(method: string, payload: unknown): Envelope<unknown>;
  project: ProjectSummary;
  profile: string;
  plan: Plan;
}

const DIR = '/home/dev/acme-api';
const SERVICES = ['api/dev', 'billing/dev', 'search/dev', 'auth/dev', 'shared/dev'];
/** Shared logins as search results: summaries only, never a value. */
const LOGINS: LoginSummary[] = ['AWS console', 'GitHub org', 'Grafana', 'PagerDuty', 'Sentry'].map((title, i) => ({
  vaultId: `vault${String(i % 2).padStart(21, '0')}abcde`,
  itemId: `item${String(i).padStart(22, '0')}`,
  vault: i % 2 === 0 ? 'Shared' : 'Ops',
  title,
  url: `https://${title.toLowerCase().replace(/\s+/g, '-')}.acme.test/`,
  updatedAt: '2026-11-20T10:00:00.000Z',
}));

/** AWS profiles of every kind, one with a running session: names and expiries only, never a credential. */
const AWS_PROFILES: AwsProfileView[] = [
  {
    name: 'acme-dev',
    kind: 'keychain-keys',
    region: 'us-east-1',
    mfaSerial: 'arn:aws:iam::123456789012:mfa/dev',
    latchkeyProcess: false,
    isDefault: true,
    session: { active: true, managed: true, expiresAt: '2026-11-28T21:00:00.000Z' },
  },
  {
    name: 'acme-admin',
    kind: 'role',
    roleArn: 'arn:aws:iam::123456789012:role/admin',
    sourceProfile: 'acme-dev',
    latchkeyProcess: false,
    isDefault: false,
    session: { active: false, managed: false },
  },
  {
    name: 'legacy',
    kind: 'file-keys',
    region: 'eu-west-1',
    latchkeyProcess: false,
    isDefault: false,
    session: { active: false, managed: false },
  },
  {
    name: 'sso-readonly',
    kind: 'sso',
    region: 'us-east-1',
    latchkeyProcess: false,
    isDefault: false,
    session: { active: false, managed: false },
  },
];

export function createFakeBackend(keyCount: number): FakeBackend {
  const project: ProjectSummary = {
    id: 'p_benchProjectId00000000',
    dir: DIR,
    name: 'acme-api',
    manifestPath: `${DIR}/latchkey.yml`,
    lastOpened: '2026-11-28T09:00:00.000Z',
    state: 'ok',
  };
  const manifest: ManifestView = {
    path: `${DIR}/latchkey.yml`,
    dir: DIR,
    aws: { profile: 'acme-dev', region: 'us-east-1' },
    maxAgeDays: 90,
    profiles: [
      {
        name: 'dev',
        description: 'Local development against the shared dev stack',
        target: '.env',
        dialect: 'portable',
        maxAgeDays: 90,
        sources: SERVICES.map((service, index) => ({
          index,
          kind: 'chamber' as const,
          ref: service,
          line: 7 + index,
          col: 9,
        })),
      },
    ],
  };
  const plan = bigPlan(keyCount);
  const settings: Settings = {
    theme: 'system',
    revealSeconds: 15,
    clipboardClearSeconds: 30,
    confirmBeforeSync: false,
    editorCommand: '',
    notifications: false,
  };

  const CHAMBER_KEY = {
    service: 'api/dev',
    key: 'database_url',
    version: 3,
    chamberVersion: 3,
    lastModified: '2026-11-20T08:00:00.000Z',
    lastModifiedUser: 'arn:aws:iam::123456789012:user/dana',
  };
  const answers: { [M in MethodName]: (payload: unknown) => MethodOutput<M> } = {
    'projects.list': () => ({ projects: [project] }),
    'projects.open': () => ({ project }),
    'projects.pick': () => ({ picked: null }),
    'projects.forget': () => ({}),
    'manifest.read': () => ({ manifest }),
    'manifest.openInEditor': () => ({}),
    'manifest.create': () => ({ manifest }),
    'manifest.writeProfile': () => ({ manifest }),
    readiness: () => ({
      items: [
        { id: 'aws', label: 'AWS credentials for acme-dev (us-east-1)', state: 'ok' },
        { id: 'op', label: '1Password Connect', state: 'unavailable', detail: 'Not used by this profile' },
      ],
    }),
    plan: () => ({ plan: packPlan(plan) }),
    'plan.cached': () => ({}),
    'plan.cachedChunk': () => ({}),
    sync: () => ({ plan: packPlan(plan), wrote: true, syncedAt: new Date().toISOString() }),
    'gitignore.add': () => ({ gitignore: `${DIR}/.gitignore`, added: true, ignored: true }),
    'keys.keep': () => ({ file: `${DIR}/latchkey.local.yml` }),
    'target.openAtKey': () => ({ line: 1, via: 'default-app' }),
    'target.openFile': () => ({ via: 'default-app' }),
    'secrets.setPersonal': () => ({}),
    'secrets.reveal': () => ({ name: 'UNUSED', value: 'unused' }),
    'secrets.revealChange': () => ({ name: 'UNUSED', local: 'unused', remote: 'unused' }),
    'secrets.revealFileChange': () => ({ path: 'unused.pem', local: 'unused', remote: 'unused' }),
    // The benchmarks never open the key drawer: these answer only so the table covers the contract.
    'sharedSecrets.describe': () => ({
      key: 'UNUSED',
      profile: 'dev',
      parameter: '/api/dev/unused',
      sourceKind: 'chamber',
      version: 1,
      chamberVersion: 1,
      history: [],
      policy: { length: 40, charset: 'url-safe' },
      otherUses: [],
    }),
    'sharedSecrets.rotate': () => ({
      key: 'UNUSED',
      parameter: '/api/dev/unused',
      previousVersion: 1,
      version: 2,
      policy: { length: 40, charset: 'url-safe' },
      otherUses: [],
    }),
    'sharedSecrets.write': () => ({
      key: 'UNUSED',
      parameter: '/api/dev/unused',
      previousVersion: 1,
      version: 2,
      otherUses: [],
    }),
    'settings.get': () => ({ settings }),
    'settings.set': () => ({ settings }),
    'audit.tail': () => ({ events: [] }),
    'audit.verify': () => ({ ok: true, events: 0, problems: [] }),
    'audit.export': () => ({ saved: false, events: 0 }),
    'shell.openExternal': () => ({}),
    'menu.pending': () => ({ commands: [] }),
    'op.status': () => ({
      host: 'https://connect.acme.test',
      hostSource: 'settings',
      checks: [
        { id: 'connection', label: 'Server and token configured', state: 'ok' },
        { id: 'heartbeat', label: 'Server answers', state: 'ok' },
        { id: 'token', label: 'Token accepted', state: 'ok' },
        { id: 'vaults', label: 'Vaults in scope', state: 'ok', detail: '2 vaults in scope: Shared, Ops' },
      ],
    }),
    'op.configure': () => ({}),
    'logins.search': () => ({ logins: LOGINS }),
    'logins.details': () => ({
      login: { ...LOGINS[0]!, username: 'deploy@acme.test', hasPassword: true, hasOtp: true, urls: [LOGINS[0]!.url!] },
    }),
    'logins.copy': (payload) => ({
      field: (payload as { field: 'username' | 'password' | 'otp' }).field,
      clearsInSeconds: settings.clipboardClearSeconds,
    }),
    'logins.reveal': () => ({ value: 'unused' }),
    'logins.openUrl': () => ({}),
    'aws.list': () => ({ profiles: AWS_PROFILES }),
    'aws.keys': () => ({
      keys: [
        {
          idTail: 'WXYZ',
          status: 'Active',
          createdAt: '2026-09-01T08:00:00.000Z',
          rotation: { status: 'due', maxAgeDays: 90, ageDays: 88 },
          lastUsedAt: '2026-11-27T16:00:00.000Z',
          lastUsedService: 'ssm',
        },
      ],
    }),
    'aws.login': () => ({ expiresAt: '2026-11-28T21:00:00.000Z' }),
    'aws.logout': () => ({}),
    'aws.useDefault': () => ({ expiresAt: '2026-11-28T21:00:00.000Z' }),
    'aws.import': (payload) => ({ removedPlaintext: (payload as { removePlaintext: boolean }).removePlaintext }),
    'aws.rotateKey': () => ({
      newKeyIdTail: 'QRST',
      deletedKeyIdTail: 'WXYZ',
      detail: 'The new key …QRST works and is in the keychain; the old key …WXYZ is deleted in IAM.',
    }),
    'chamber.listServices': () => ({ services: [{ service: 'api/dev', keys: 1 }] }),
    'chamber.listKeys': () => ({ keys: [CHAMBER_KEY] }),
    'chamber.find': () => ({ keys: [CHAMBER_KEY] }),
    'rotation.scan': () => ({ rows: [], projects: [], scannedAt: '2026-11-20T08:00:00.000Z' }),
  };

  return {
    project,
    profile: 'dev',
    plan,
    handle(method, payload) {
      const answer = answers[method as MethodName];
      if (!answer) return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown method ${method}` } };
      return { ok: true, value: answer(payload) };
    },
  };
}

/**
 * A plan shaped like a big real profile: mostly keys in sync, a few hundred changed remotely or new, some local
 * edits and conflicts, local-only keys and a handful of errors, spread over five chamber services.
 */
function bigPlan(keyCount: number): Plan {
  const entries: PlanEntry[] = [];
  for (let i = 0; i < keyCount; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const sourceKey = `${service.split('/')[0]}_setting_${String(i).padStart(5, '0')}`;
    const status = statusFor(i);
    const ageDays = (i * 7) % 140;
    entries.push({
      name: sourceKey.toUpperCase(),
      status,
      origin:
        status === 'local-only'
          ? undefined
          : {
              id: `chamber:${service}#${sourceKey}`,
              kind: 'chamber',
              ref: service,
              sourceKey,
              sourceIndex: i % SERVICES.length,
            },
      overrides: [],
      reason:
        status === 'error'
          ? 'the value has no portable spelling (a carriage return)'
          : status === 'conflict'
            ? 'edited in the file since the last sync'
            : undefined,
      meta:
        status === 'local-only'
          ? undefined
          : {
              version: String(1 + (i % 9)),
              modifiedAt: new Date(Date.UTC(2026, 10, 28) - ageDays * 86_400_000).toISOString(),
              modifiedBy: 'arn:aws:iam::123456789012:user/ci',
            },
      rotation:
        status === 'local-only'
          ? undefined
          : { status: ageDays >= 90 ? 'overdue' : ageDays >= 72 ? 'due' : 'ok', maxAgeDays: 90, ageDays },
      reused: status === 'unchanged',
      remoteChanged: status === 'conflict' ? i % 2 === 0 : undefined,
    });
  }
  const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>;
  for (const e of entries) counts[e.status] += 1;
  return {
    profile: 'dev',
    manifestPath: `${DIR}/latchkey.yml`,
    target: `${DIR}/.env`,
    dialect: 'portable',
    entries,
    files: [],
    counts,
    warnings: [],
    gitignoreNeeded: false,
    writes: true,
  };
}

function statusFor(i: number): KeyStatus {
  const r = i % 100;
  if (r < 80) return 'unchanged';
  if (r < 88) return 'change';
  if (r < 94) return 'add';
  if (r < 96) return 'conflict';
  if (r < 99) return 'local-only';
  return 'error';
}
