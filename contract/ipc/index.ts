import type { z } from 'zod';
import { AUDIT_METHODS } from './audit';
import { AWS_EVENTS, AWS_METHODS } from './aws';
import { CHAMBER_METHODS } from './chamber';
import { MANIFEST_METHODS } from './manifest';
import { OP_METHODS } from './op';
import { PROJECT_METHODS } from './projects';
import { ROTATION_EVENTS, ROTATION_METHODS } from './rotation';
import { SECRET_METHODS } from './secrets';
import { SETTINGS_METHODS } from './settings';
import { SHARED_SECRET_EVENTS, SHARED_SECRET_METHODS } from './shared-secrets';
import { SHELL_EVENTS, SHELL_METHODS } from './shell';
import { STATE_EVENTS } from './state';
import type { Envelope, MethodSchemas } from './shared';
import { SYNC_EVENTS, SYNC_METHODS } from './sync';

/**
 * The IPC contract between the renderer and the main process, composed from one file per area: every method is one
 * entry (name, input schema, output schema), every event one entry (name, payload schema). The preload builds
 * `window.latchkey` from these tables, the router validates against them, and nothing else crosses the bridge.
 *
 * No output carries a secret value, except `secrets.reveal`, `secrets.revealChange` and `logins.reveal`, which the user asked for
 * explicitly and which are audited.
 */

export * from './audit';
export * from './aws';
export * from './chamber';
export * from './manifest';
export * from './op';
export * from './projects';
export * from './rotation';
export * from './secrets';
export * from './settings';
export * from './shared';
export * from './shared-secrets';
export * from './shell';
export * from './state';
export * from './sync';

/** Methods: name -> input schema, output schema. An area's tables are spread in; a test checks no name repeats. */
export const METHODS = {
  ...PROJECT_METHODS,
  ...MANIFEST_METHODS,
  ...SYNC_METHODS,
  ...SECRET_METHODS,
  ...SHARED_SECRET_METHODS,
  ...SETTINGS_METHODS,
  ...AUDIT_METHODS,
  ...SHELL_METHODS,
  ...OP_METHODS,
  ...AWS_METHODS,
  ...CHAMBER_METHODS,
  ...ROTATION_METHODS,
} as const satisfies Record<string, MethodSchemas>;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof METHODS)[M]['output']>;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Events: main -> renderer. */
export const EVENTS = {
  ...SYNC_EVENTS,
  ...AWS_EVENTS,
  ...SHELL_EVENTS,
  ...SHARED_SECRET_EVENTS,
  ...STATE_EVENTS,
  ...ROTATION_EVENTS,
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
