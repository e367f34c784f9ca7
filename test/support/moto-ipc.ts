import path from 'node:path';
import { expect } from 'vitest';
import { METHODS, type Envelope, type EventName, type MethodName, type MethodOutput } from '../../contract/ipc';
import { createIpcBackend, type IpcBackend } from '../../main/ipc';
import type { SenderInfo } from '../../main/ipc/router';
import { createRuntime } from '../../main/app/runtime';
import { applyEnv, awsTestEnv, motoEndpoint } from './aws-env';
import { makeProject } from './cli';
import { memoryClipboard } from './ipc-sandbox';

// Shared by the test/integration/ipc files (not a test file itself): the IPC path as the app's window drives it,
// through the real router, handlers and runtime, against moto and the real keyring.

const ORIGIN = 'https://latchkey.test';
const WINDOW: SenderInfo = { url: `${ORIGIN}/`, isMainFrame: true };

export interface MotoIpc {
  project: ReturnType<typeof makeProject>;
  backend: IpcBackend;
  /** Every envelope that came back, for the tests that check no value crossed. */
  envelopes: { method: MethodName; envelope: Envelope<unknown> }[];
  events: { event: EventName; payload: unknown }[];
  call<M extends MethodName>(method: M, payload: unknown): Promise<Envelope<MethodOutput<M>>>;
  /** The call's value, after checking it succeeded and matches the contract's output schema. */
  ok<M extends MethodName>(method: M, payload: unknown): Promise<MethodOutput<M>>;
  /** The project folder let in as the user would (main's folder dialog answers it): the id the window uses. */
  projectId(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A project whose manifest names its AWS profile, found only in the project's own AWS files (as a user's ~/.aws
 * would hold it), with the SDK pointed at `endpoint`. The environment holds no keys of its own, so a call that
 * ignored the project's `aws:` would find no credentials.
 */
export function ipcOverMoto(manifest: string, endpoint: string = motoEndpoint()): MotoIpc {
  const project = makeProject(manifest);
  const undoEnv = applyEnv({
    ...awsTestEnv(endpoint),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: path.join(project.awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(project.awsDir, 'credentials'),
  });
  const envelopes: MotoIpc['envelopes'] = [];
  const events: MotoIpc['events'] = [];
  const backend = createIpcBackend({
    runtime: createRuntime({ appDir: project.home }),
    emit: (event, payload) => void events.push({ event, payload }),
    pickFolder: async () => project.root,
    confirmConnectHost: async () => false,
    openExternal: async () => undefined,
    clipboard: memoryClipboard(),
    allowedOrigins: [ORIGIN],
  });
  const call = async <M extends MethodName>(method: M, payload: unknown) => {
    const envelope = await backend.router.handle(method, WINDOW, payload);
    envelopes.push({ method, envelope });
    return envelope as Envelope<MethodOutput<M>>;
  };
  return {
    project,
    backend,
    envelopes,
    events,
    call,
    async ok(method, payload) {
      const envelope = await call(method, payload);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`);
      expect(METHODS[method].output.safeParse(envelope.value).success).toBe(true);
      return envelope.value;
    },
    async projectId() {
      const envelope = await call('projects.pick', {});
      if (!envelope.ok || !envelope.value.picked) throw new Error('projects.pick did not register the project');
      return envelope.value.picked.projectId;
    },
    async close() {
      await backend.dispose();
      undoEnv();
    },
  };
}
