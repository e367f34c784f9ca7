import { describe, expect, it, vi } from 'vitest';
import { INTERNAL_MESSAGE } from '../../../contract/errors';
import { METHOD_NAMES, type Envelope, type IpcError } from '../../../contract/ipc';
import { LatchkeyError } from '../../../main/core/errors';
import { NeedsInputError } from '../../../main/core/keychain';
import { ManifestError } from '../../../main/core/manifest';
import { createRouter, type Handlers, type SenderInfo } from '../../../main/ipc/router';
import { createSenderCheck, originOf } from '../../../main/ipc/sender';

/** An id of the contract's shape; these handlers are stand-ins, so no registry is asked. */
const PROJECT_ID = 'p_AAAAAAAAAAAAAAAAAAAAAA';

const TRUSTED: SenderInfo = { url: 'app://latchkey/index.html', isMainFrame: true };
const CANARY = 'sk_live_canary_7f3a9c2e';

function stubHandlers(overrides: Partial<Record<keyof Handlers, (input: never) => Promise<unknown>>> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async (input: unknown) => {
        calls.push({ method, input });
        const override = overrides[method] as ((input: unknown) => Promise<unknown>) | undefined;
        return override ? override(input) : {};
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

function routerWith(overrides: Parameters<typeof stubHandlers>[0] = {}) {
  const { handlers, calls } = stubHandlers(overrides);
  const logs: string[] = [];
  const router = createRouter(handlers, {
    isTrustedSender: createSenderCheck(['app://latchkey']),
    log: (line) => logs.push(line),
  });
  return { router, calls, logs };
}

function errorOf(envelope: Envelope<unknown>): IpcError {
  expect(envelope.ok).toBe(false);
  return (envelope as { ok: false; error: IpcError }).error;
}

describe('router: method and sender', () => {
  it('refuses a method the contract does not name, including names every object has', async () => {
    const { router, calls } = routerWith();
    for (const method of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'plan ', 'PLAN']) {
      const error = errorOf(await router.handle(method, TRUSTED, {}));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).not.toContain(method || '\u0000');
    }
    expect(calls).toEqual([]);
  });

  it('refuses other origins, lookalikes, subframes and unparsable urls before reading the payload', async () => {
    const { router, calls } = routerWith();
    const strangers: SenderInfo[] = [
      { url: 'https://evil.test/', isMainFrame: true },
      { url: 'app://latchkey.evil/', isMainFrame: true },
      { url: 'app://evil/latchkey', isMainFrame: true },
      { url: 'http://latchkey/', isMainFrame: true },
      { url: 'file:///app/index.html', isMainFrame: true },
      { url: 'about:blank', isMainFrame: true },
      { url: 'not a url', isMainFrame: true },
      { url: '', isMainFrame: true },
      { url: 'app://latchkey/index.html', isMainFrame: false },
    ];
    for (const sender of strangers) {
      expect(errorOf(await router.handle('settings.get', sender, {})).code).toBe('FORBIDDEN_SENDER');
    }
    expect(errorOf(await router.handle('settings.get', null as unknown as SenderInfo, {})).code).toBe(
      'FORBIDDEN_SENDER',
    );
    expect(calls).toEqual([]);
  });

  it('treats a sender check that throws as a refusal', async () => {
    const { handlers } = stubHandlers();
    const router = createRouter(handlers, {
      isTrustedSender: () => {
        throw new Error('boom');
      },
      log: () => undefined,
    });
    expect(errorOf(await router.handle('settings.get', TRUSTED, {})).code).toBe('FORBIDDEN_SENDER');
  });
});

describe('router: input', () => {
  it('names the invalid paths and what was expected, never the values received', async () => {
    const { router, calls } = routerWith();
    const error = errorOf(
      await router.handle('secrets.setPersonal', TRUSTED, {
        projectId: PROJECT_ID,
        name: `${CANARY} not a name`,
        value: 42,
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('secrets.setPersonal');
    expect(error.message).toContain('name');
    expect(error.message).toContain('value: expected a string');
    expect(JSON.stringify(error)).not.toContain(CANARY);
    expect(calls).toEqual([]);
  });

  it('does not echo hostile keys in paths either', async () => {
    const { router } = routerWith();
    const error = errorOf(
      await router.handle('manifest.writeProfile', TRUSTED, {
        projectId: PROJECT_ID,
        profile: { name: 'dev', target: '.env', sources: [{ kind: 'set', values: { [`${CANARY}-key`]: 'v' } }] },
      }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(error)).not.toContain(CANARY);
  });

  it('hands the handler the parsed input, without fields the contract does not name', async () => {
    const { router, calls } = routerWith();
    const envelope = await router.handle('projects.forget', TRUSTED, { projectId: PROJECT_ID, extra: CANARY });
    expect(envelope.ok).toBe(true);
    expect(calls).toEqual([{ method: 'projects.forget', input: { projectId: PROJECT_ID } }]);
  });

  it('refuses a missing payload', async () => {
    const { router } = routerWith();
    for (const payload of [undefined, null, 'text', 7, []]) {
      expect(errorOf(await router.handle('projects.open', TRUSTED, payload)).code).toBe('INVALID_INPUT');
    }
  });
});

describe('router: output', () => {
  it('strips fields the output schema does not name, at any depth', async () => {
    const { router } = routerWith({
      'settings.get': async () => ({
        settings: {
          theme: 'dark',
          revealSeconds: 15,
          clipboardClearSeconds: 30,
          confirmBeforeSync: true,
          editorCommand: '',
          notifications: false,
          token: CANARY,
        },
        value: CANARY,
      }),
      'audit.tail': async () => ({
        events: [
          { seq: 1, time: 't', user: 'u', action: 'sync', outcome: 'ok', versions: { A: CANARY }, value: CANARY },
        ],
      }),
    });
    const settings = await router.handle('settings.get', TRUSTED, {});
    expect(settings).toEqual({
      ok: true,
      value: {
        settings: {
          theme: 'dark',
          revealSeconds: 15,
          clipboardClearSeconds: 30,
          confirmBeforeSync: true,
          editorCommand: '',
          notifications: false,
        },
      },
    });
    const audit = await router.handle('audit.tail', TRUSTED, { limit: 5 });
    expect(JSON.stringify(audit)).not.toContain(CANARY);
    expect(audit.ok).toBe(true);
  });

  it('turns a result that breaks the contract into INTERNAL, logging the method only', async () => {
    const { router, logs } = routerWith({ 'settings.get': async () => ({ settings: { theme: CANARY } }) });
    const error = errorOf(await router.handle('settings.get', TRUSTED, {}));
    expect(error).toEqual({ code: 'INTERNAL', message: INTERNAL_MESSAGE });
    expect(logs.join('\n')).toContain('settings.get');
    expect(logs.join('\n')).not.toContain(CANARY);
  });
});

describe('router: errors', () => {
  it('passes a LatchkeyError on with its code, message and hint', async () => {
    const { router } = routerWith({
      plan: async () => {
        throw new LatchkeyError('SOURCE_FAILED', 'chamber:api/dev failed: AccessDenied', 'Check the IAM policy.');
      },
    });
    expect(errorOf(await router.handle('plan', TRUSTED, { projectId: PROJECT_ID, profile: 'dev' }))).toEqual({
      code: 'SOURCE_FAILED',
      message: 'chamber:api/dev failed: AccessDenied',
      hint: 'Check the IAM policy.',
    });
  });

  it('adds the problems of a ManifestError and the names (not the accounts) of a NeedsInputError', async () => {
    const problems = [{ line: 3, col: 5, path: 'profiles.dev', message: 'expected a mapping; found a string' }];
    const { router } = routerWith({
      'manifest.read': async () => {
        throw new ManifestError('/p/latchkey.yml', problems);
      },
      sync: async () => {
        throw new NeedsInputError([{ name: 'GITHUB_TOKEN', account: 'personal:/p/latchkey.yml#GITHUB_TOKEN' }]);
      },
    });
    const manifest = errorOf(await router.handle('manifest.read', TRUSTED, { projectId: PROJECT_ID }));
    expect(manifest).toMatchObject({ code: 'MANIFEST_INVALID', problems });
    const needs = errorOf(await router.handle('sync', TRUSTED, { projectId: PROJECT_ID, profile: 'dev' }));
    expect(needs).toMatchObject({ code: 'NEEDS_INPUT', missing: ['GITHUB_TOKEN'] });
    expect(JSON.stringify(needs)).not.toContain('personal:');
  });

  it("never lets an unexpected error's message or stack cross, and logs where it happened without it", async () => {
    const thrown = [
      new Error(`db password is ${CANARY}`),
      new TypeError(CANARY),
      CANARY,
      { message: CANARY, stack: CANARY },
      undefined,
    ];
    for (const value of thrown) {
      const { router, logs } = routerWith({
        'projects.list': async () => {
          throw value;
        },
      });
      const envelope = await router.handle('projects.list', TRUSTED, {});
      expect(errorOf(envelope)).toEqual({ code: 'INTERNAL', message: INTERNAL_MESSAGE });
      expect(JSON.stringify(envelope)).not.toMatch(/ at |Error|canary/);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain('projects.list');
      expect(logs[0]).not.toContain(CANARY);
    }
  });

  it('never throws, even when a handler throws synchronously', async () => {
    const { handlers } = stubHandlers();
    (handlers as unknown as Record<string, unknown>)['projects.list'] = () => {
      throw new Error('sync throw');
    };
    const router = createRouter(handlers, { isTrustedSender: () => true, log: vi.fn() });
    await expect(router.handle('projects.list', TRUSTED, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});

describe('originOf', () => {
  it('gives scheme and host, also for custom schemes where URL.origin is "null"', () => {
    expect(new URL('app://latchkey/index.html').origin).toBe('null');
    expect(originOf('app://latchkey/index.html')).toBe('app://latchkey');
    expect(originOf('APP://LatchKey/')).toBe('app://latchkey');
    expect(originOf('https://latchkey.test:443/x?y#z')).toBe('https://latchkey.test');
    expect(originOf('https://latchkey.test:8443/')).toBe('https://latchkey.test:8443');
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('data:text/html,hi')).toBeUndefined();
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('nonsense')).toBeUndefined();
  });
});
