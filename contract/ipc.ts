import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { PlanSchema, SourceKindSchema } from './plan';

/**
 * The IPC contract between the renderer and the main process: every method is one line (name, input schema,
 * output schema), every event one line (name, payload schema). The preload builds `window.latchkey` from these
 * tables, the router validates against them, and nothing else crosses the bridge.
 *
 * No output carries a secret value, except `secrets.reveal`, which the user asked for explicitly and which is audited.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

const Dir = z.string().min(1).max(4096);
const ProfileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/)
  .max(200);
const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
  .max(256);

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ManifestProblemSchema = z.object({
  line: z.number().int(),
  col: z.number().int(),
  path: z.string(),
  message: z.string(),
});
export type ManifestProblem = z.infer<typeof ManifestProblemSchema>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string().optional(),
  /** For MANIFEST_INVALID: every problem with its position. */
  problems: z.array(ManifestProblemSchema).optional(),
  /** For NEEDS_INPUT: the personal secrets to ask for. */
  missing: z.array(EnvName).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ProjectSummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  manifestPath: z.string().nullable(),
  lastOpened: z.string(),
  /** `missing`: the folder is gone; `no-manifest`: no latchkey.yml yet; `invalid`: it does not parse. */
  state: z.enum(['ok', 'missing', 'no-manifest', 'invalid']),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const SourceViewSchema = z.object({
  index: z.number().int().nonnegative(),
  kind: SourceKindSchema,
  /** What the entry names: service, parameter, reference, keychain name; `set` for plain values. */
  ref: z.string(),
  as: z.string().optional(),
  only: z.array(z.string()).optional(),
  file: z.string().optional(),
  /** `set` entries: the names, and the plain values written in the manifest (never secrets: they are committed). */
  keys: z.array(z.string()).optional(),
  values: z.record(z.string(), z.string()).optional(),
  line: z.number().int().optional(),
  col: z.number().int().optional(),
});
export type SourceView = z.infer<typeof SourceViewSchema>;

export const ProfileViewSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  target: z.string(),
  dialect: z.enum(['portable', 'docker', 'shell']),
  maxAgeDays: z.number(),
  sources: z.array(SourceViewSchema),
});
export type ProfileView = z.infer<typeof ProfileViewSchema>;

export const ManifestViewSchema = z.object({
  path: z.string(),
  dir: z.string(),
  aws: z.object({ profile: z.string().optional(), region: z.string().optional() }),
  maxAgeDays: z.number(),
  profiles: z.array(ProfileViewSchema),
});
export type ManifestView = z.infer<typeof ManifestViewSchema>;

/** A source entry as the profile editor sends it. Validated again by the manifest schema when written. */
export const SourceDraftSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chamber'),
    service: z.string().min(1).max(512),
    only: z.array(z.string().max(256)).max(500).optional(),
  }),
  z.object({ kind: z.literal('ssm'), name: z.string().min(1).max(2048), as: EnvName.optional() }),
  z.object({ kind: z.literal('op'), ref: z.string().min(1).max(2048), as: EnvName.optional() }),
  z.object({ kind: z.literal('keychain'), name: EnvName }),
  z.object({
    kind: z.literal('s3'),
    url: z.string().min(1).max(2048),
    as: EnvName.optional(),
    file: z.string().max(1024).optional(),
  }),
  z.object({ kind: z.literal('set'), values: z.record(EnvName, z.string().max(4096)) }),
]);
export type SourceDraft = z.infer<typeof SourceDraftSchema>;

export const ProfileDraftSchema = z.object({
  name: ProfileName,
  description: z.string().max(500).optional(),
  target: z.string().min(1).max(1024),
  dialect: z.enum(['portable', 'docker', 'shell']).optional(),
  sources: z.array(SourceDraftSchema).max(200),
});
export type ProfileDraft = z.infer<typeof ProfileDraftSchema>;

export const READINESS_STATES = ['ok', 'missing', 'error', 'pending', 'unavailable'] as const;
export const ReadinessItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(READINESS_STATES),
  detail: z.string().optional(),
  /** What the UI can offer to fix it, e.g. `set-personal:GITHUB_TOKEN`. */
  action: z.string().optional(),
});
export type ReadinessItem = z.infer<typeof ReadinessItemSchema>;

export const SettingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  revealSeconds: z.number().int().min(5).max(120),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  confirmBeforeSync: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  user: z.string(),
  action: z.string(),
  outcome: z.string(),
  profile: z.string().optional(),
  /** The file a sync or manifest change touched, so the timeline can name the project. */
  target: z.string().optional(),
  keys: z.array(z.string()).optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const ProfileRef = z.object({ dir: Dir, profile: ProfileName });

/** 1Password Connect ids: 26 characters of [a-z0-9]. */
const OpId = z.string().regex(/^[a-z0-9]{26}$/);
const LoginRef = z.object({ vaultId: OpId, itemId: OpId });

export const OpCheckSchema = z.object({
  id: z.enum(['connection', 'heartbeat', 'token', 'vaults']),
  label: z.string(),
  state: z.enum(['ok', 'error', 'missing', 'skipped']),
  detail: z.string().optional(),
});
export type OpCheck = z.infer<typeof OpCheckSchema>;

/** A shared login as a search result: a summary, with no field values at all. */
export const LoginSummarySchema = z.object({
  vaultId: z.string(),
  itemId: z.string(),
  vault: z.string(),
  title: z.string(),
  url: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type LoginSummary = z.infer<typeof LoginSummarySchema>;

/** Details on demand: the username is shown (it is not a secret); the password and the code never are. */
export const LoginDetailsSchema = LoginSummarySchema.extend({
  username: z.string().optional(),
  hasPassword: z.boolean(),
  hasOtp: z.boolean(),
  urls: z.array(z.string()),
});
export type LoginDetails = z.infer<typeof LoginDetailsSchema>;

export const LOGIN_FIELDS = ['username', 'password', 'otp'] as const;

const AwsProfileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+=,-]*$/)
  .max(128);
const MfaCode = z.string().regex(/^\d{6}$/);

export const AwsProfileViewSchema = z.object({
  name: z.string(),
  kind: z.enum(['file-keys', 'keychain-keys', 'role', 'sso', 'credential-process', 'unknown']),
  region: z.string().optional(),
  mfaSerial: z.string().optional(),
  roleArn: z.string().optional(),
  sourceProfile: z.string().optional(),
  /** credential_process runs `latchkey aws credential-process` for this profile. */
  latchkeyProcess: z.boolean(),
  isDefault: z.boolean(),
  session: z.object({ active: z.boolean(), managed: z.boolean(), expiresAt: z.string().optional() }),
});
export type AwsProfileView = z.infer<typeof AwsProfileViewSchema>;

export const AwsKeyViewSchema = z.object({
  /** The last 4 characters of the access key id: enough to recognise it, never the whole id. */
  idTail: z.string(),
  status: z.string(),
  createdAt: z.string().optional(),
  rotation: z.object({
    status: z.enum(['ok', 'due', 'overdue', 'unknown']),
    maxAgeDays: z.number(),
    ageDays: z.number().optional(),
  }),
  lastUsedAt: z.string().optional(),
  lastUsedService: z.string().optional(),
});
export type AwsKeyView = z.infer<typeof AwsKeyViewSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Methods: name -> input schema, output schema

export const METHODS = {
  'projects.list': { input: z.object({}), output: z.object({ projects: z.array(ProjectSummarySchema) }) },
  'projects.open': { input: z.object({ dir: Dir }), output: z.object({ project: ProjectSummarySchema }) },
  /** Shows the native folder picker; null when the user cancelled. */
  'projects.pick': { input: z.object({}), output: z.object({ dir: z.string().nullable() }) },
  'projects.forget': { input: z.object({ dir: Dir }), output: z.object({}) },

  'manifest.read': { input: z.object({ dir: Dir }), output: z.object({ manifest: ManifestViewSchema }) },
  /** Creates latchkey.yml in a folder that has none (the guided form). */
  'manifest.create': {
    input: z.object({
      dir: Dir,
      aws: z.object({ profile: z.string().max(200).optional(), region: z.string().max(50).optional() }),
      profile: ProfileDraftSchema,
    }),
    output: z.object({ manifest: ManifestViewSchema }),
  },
  /** Adds or replaces one profile; every comment and every other profile is kept. */
  'manifest.writeProfile': {
    input: z.object({ dir: Dir, previousName: ProfileName.optional(), profile: ProfileDraftSchema }),
    output: z.object({ manifest: ManifestViewSchema }),
  },

  readiness: { input: ProfileRef, output: z.object({ items: z.array(ReadinessItemSchema) }) },
  plan: {
    input: ProfileRef.extend({ takeRemote: z.array(EnvName).max(10_000).optional() }),
    output: z.object({ plan: PlanSchema }),
  },
  sync: {
    input: ProfileRef.extend({ takeRemote: z.array(EnvName).max(10_000).optional() }),
    output: z.object({ plan: PlanSchema, wrote: z.boolean() }),
  },
  'gitignore.add': { input: ProfileRef, output: z.object({ gitignore: z.string() }) },

  /** The value goes from the renderer to main once; it is stored in the keychain and the event is audited. */
  'secrets.setPersonal': {
    input: z.object({ dir: Dir, name: EnvName, value: z.string().min(1).max(65_536) }),
    output: z.object({}),
  },
  /** Returns one value, because the user asked; audited. */
  'secrets.reveal': {
    input: ProfileRef.extend({ name: EnvName }),
    output: z.object({ name: z.string(), value: z.string() }),
  },

  'settings.get': { input: z.object({}), output: z.object({ settings: SettingsSchema }) },
  'settings.set': {
    input: z.object({ settings: SettingsSchema.partial() }),
    output: z.object({ settings: SettingsSchema }),
  },

  'audit.tail': {
    input: z.object({ limit: z.number().int().min(1).max(1000) }),
    output: z.object({ events: z.array(AuditEntrySchema) }),
  },

  /** Opens an https URL in the user's browser; anything else is refused. */
  'shell.openExternal': { input: z.object({ url: z.string().max(4096) }), output: z.object({}) },

  /** "Test connection": the Connect server (settings or OP_CONNECT_HOST), its heartbeat, the token, the vaults in scope. */
  'op.status': {
    input: z.object({}),
    output: z.object({
      host: z.string().nullable(),
      hostSource: z.enum(['env', 'settings', 'none']),
      checks: z.array(OpCheckSchema),
    }),
  },
  /** Saves the server URL in settings and/or the token in the keychain (the token crosses once, renderer to main). */
  'op.configure': {
    input: z.object({ host: z.string().url().max(2048).optional(), token: z.string().min(1).max(8192).optional() }),
    output: z.object({}),
  },
  'logins.search': {
    input: z.object({ query: z.string().max(200) }),
    output: z.object({ logins: z.array(LoginSummarySchema) }),
  },
  'logins.details': { input: LoginRef, output: z.object({ login: LoginDetailsSchema }) },
  /** Copies in the main process; the value never reaches the renderer. Cleared after the configured seconds if the
   * clipboard still holds it. Audited. */
  'logins.copy': {
    input: LoginRef.extend({ field: z.enum(LOGIN_FIELDS) }),
    output: z.object({ field: z.enum(LOGIN_FIELDS), clearsInSeconds: z.number().int() }),
  },
  /** Returns the password because the user asked; audited. */
  'logins.reveal': { input: LoginRef, output: z.object({ value: z.string() }) },
  /** Opens the item's first https URL in the browser. */
  'logins.openUrl': { input: LoginRef, output: z.object({}) },

  'aws.list': { input: z.object({}), output: z.object({ profiles: z.array(AwsProfileViewSchema) }) },
  /** IAM user keys of a profile: age against the rotation policy, and last use (GetAccessKeyLastUsed). */
  'aws.keys': { input: z.object({ profile: AwsProfileName }), output: z.object({ keys: z.array(AwsKeyViewSchema) }) },
  /** Starts (or reuses) a session and writes it into the profile's section. NEEDS_INPUT when an MFA code is needed. */
  'aws.login': {
    input: z.object({ profile: AwsProfileName, mfaCode: MfaCode.optional(), asDefault: z.boolean().optional() }),
    output: z.object({ expiresAt: z.string().optional() }),
  },
  'aws.logout': { input: z.object({ profile: AwsProfileName }), output: z.object({}) },
  'aws.useDefault': {
    input: z.object({ profile: AwsProfileName, mfaCode: MfaCode.optional() }),
    output: z.object({ expiresAt: z.string().optional() }),
  },
  /** Moves a profile's keys from the credentials file into the keychain; the plaintext goes only on request. */
  'aws.import': {
    input: z.object({ profile: AwsProfileName, removePlaintext: z.boolean() }),
    output: z.object({ removedPlaintext: z.boolean(), backup: z.string().optional() }),
  },
  /** Create, verify, store, then delete the old key. The user confirmed in the UI. */
  'aws.rotateKey': {
    input: z.object({ profile: AwsProfileName, confirm: z.literal(true) }),
    output: z.object({ newKeyIdTail: z.string(), deletedKeyIdTail: z.string().optional(), detail: z.string() }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof METHODS)[M]['output']>;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

// ---------------------------------------------------------------------------------------------------------------
// Events: main -> renderer

export const EVENTS = {
  'sync.progress': z.object({
    dir: z.string(),
    profile: z.string(),
    phase: z.enum(['resolving', 'planning', 'writing', 'done']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** The target or the manifest changed on disk: the shown plan is stale. */
  'plan.invalidated': z.object({
    dir: z.string(),
    profile: z.string().optional(),
    reason: z.enum(['manifest', 'target']),
  }),
  /** A native menu item for the renderer to carry out: File ▸ Open Folder… (show the picker) or File ▸ Open Recent. */
  /** A session was refreshed, stopped, expired, or needs a new MFA code before it expires. */
  'aws.session': z.object({
    profile: z.string(),
    state: z.enum(['started', 'refreshed', 'stopped', 'expired', 'needs-mfa']),
    expiresAt: z.string().optional(),
  }),
  /** The clipboard held a copied value and Latchkey cleared it (or found the user had copied something else). */
  'clipboard.cleared': z.object({ reason: z.enum(['timeout', 'replaced']) }),
  'menu.command': z.discriminatedUnion('command', [
    z.object({ command: z.literal('open-folder') }),
    z.object({ command: z.literal('open-project'), dir: z.string() }),
  ]),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** IPC channel names: one invoke channel per method, one send channel per event. */
export const methodChannel = (method: MethodName) => `latchkey:${method}`;
export const eventChannel = (event: EventName) => `latchkey-event:${event}`;

/** The object the preload exposes as `window.latchkey`. */
export type LatchkeyApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Envelope<MethodOutput<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
