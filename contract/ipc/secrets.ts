import * as z from 'zod';
import { EnvNameSchema, FileSecretPathSchema, ProfileRef, ProjectIdSchema, type MethodSchemas } from './shared';

/** Personal secrets (the keychain) and revealing one value. */
export const SECRET_METHODS = {
  /** The value goes from the renderer to main once; it is stored in the keychain and the event is audited. */
  'secrets.setPersonal': {
    input: z.object({ projectId: ProjectIdSchema, name: EnvNameSchema, value: z.string().min(1).max(65_536) }),
    output: z.object({}),
  },
  /** Returns one value, because the user asked; audited. */
  'secrets.reveal': {
    input: ProfileRef.extend({ name: EnvNameSchema }),
    output: z.object({ name: z.string(), value: z.string() }),
  },
  /**
   * Both sides of one change for the review's side-by-side reveal (the file's value, the source's), because the
   * user asked; audited as one `reveal` of the key. A side is absent where it has no value (an add, a removal).
   */
  'secrets.revealChange': {
    input: ProfileRef.extend({ name: EnvNameSchema }),
    output: z.object({ name: z.string(), local: z.string().optional(), remote: z.string().optional() }),
  },
  /**
   * Both sides of one file secret's change (the file on disk, the S3 object), because the user asked; only small
   * text (the plan's `compare: 'text'`), else refused. Audited as one `reveal` naming the file.
   */
  'secrets.revealFileChange': {
    input: ProfileRef.extend({ path: FileSecretPathSchema }),
    output: z.object({ path: z.string(), local: z.string().optional(), remote: z.string().optional() }),
  },
} as const satisfies Record<string, MethodSchemas>;
