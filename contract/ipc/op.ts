import * as z from 'zod';
import type { MethodSchemas } from './shared';

/** 1Password: the Connect server settings, "Test connection", and shared logins. */

/**
 * The Connect server rule, the same in the settings form and in main: an http(s) URL with no credentials, query or
 * fragment. Returns what is wrong in words (never echoing the input, which may be a token pasted in the wrong
 * field), or undefined when the URL is acceptable.
 */
export function connectHostProblem(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'not a URL: write it like https://connect.example.com';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'the Connect server URL must start with http:// or https://';
  if (url.username || url.password || url.search || url.hash)
    return 'the Connect server URL may not carry credentials, a query or a fragment';
  return undefined;
}

export const ConnectHostSchema = z
  .string()
  .max(2048)
  .refine((host) => connectHostProblem(host) === undefined);

/** 1Password Connect ids: 26 characters of [a-z0-9]. */
export const OP_ID_PATTERN = /^[a-z0-9]{26}$/;
const OpId = z.string().regex(OP_ID_PATTERN);
const LoginRef = z.object({ vaultId: OpId, itemId: OpId });

/** The steps of "Test connection", in the order they run: each runs only when the one before passed. */
export const OP_CHECK_IDS = ['connection', 'heartbeat', 'token', 'vaults'] as const;
export type OpCheckId = (typeof OP_CHECK_IDS)[number];
const OP_CHECK_STATES = ['ok', 'error', 'missing', 'skipped'] as const;

const OpCheckSchema = z.object({
  id: z.enum(OP_CHECK_IDS),
  label: z.string(),
  state: z.enum(OP_CHECK_STATES),
  detail: z.string().optional(),
});
export type OpCheck = z.infer<typeof OpCheckSchema>;

/** Where the server URL came from: OP_CONNECT_HOST, the app's settings, or nowhere yet. */
const OP_HOST_SOURCES = ['env', 'settings', 'none'] as const;
export type OpHostSource = (typeof OP_HOST_SOURCES)[number];

/** A shared login as a search result: a summary, with no field values at all. */
const LoginSummarySchema = z.object({
  vaultId: z.string(),
  itemId: z.string(),
  vault: z.string(),
  title: z.string(),
  url: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type LoginSummary = z.infer<typeof LoginSummarySchema>;

/** Details on demand: the username is shown (it is not a secret); the password and the code never are. */
const LoginDetailsSchema = LoginSummarySchema.extend({
  username: z.string().optional(),
  hasPassword: z.boolean(),
  hasOtp: z.boolean(),
  urls: z.array(z.string()),
});
export type LoginDetails = z.infer<typeof LoginDetailsSchema>;

export const LOGIN_FIELDS = ['username', 'password', 'otp'] as const;
export type LoginField = (typeof LOGIN_FIELDS)[number];

export const OP_METHODS = {
  /** "Test connection": the Connect server (settings or OP_CONNECT_HOST), its heartbeat, the token, the vaults in scope. */
  'op.status': {
    input: z.object({}),
    output: z.object({
      host: z.string().nullable(),
      hostSource: z.enum(OP_HOST_SOURCES),
      checks: z.array(OpCheckSchema),
    }),
  },
  /** Saves the server URL in settings and/or the token in the keychain (the token crosses once, renderer to main). */
  'op.configure': {
    input: z.object({ host: ConnectHostSchema.optional(), token: z.string().min(1).max(8192).optional() }),
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
} as const satisfies Record<string, MethodSchemas>;
