import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../contract/ipc';
import { APP_URL, CSP } from './harness/serve';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

describe('the app shell in Chromium (CSP, bridge, sender checks)', () => {
  it('loads under the strict CSP with window.latchkey built by the real createApi', async () => {
    const app = await e2e.launch();
    const response = await app.page.goto(APP_URL);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    await app.open();
    const shape = await app.page.evaluate(() => {
      const api = (window as unknown as { latchkey: Record<string, unknown> }).latchkey;
      return {
        frozen: Object.isFrozen(api),
        functions: Object.keys(api)
          .filter((k) => typeof api[k] === 'function')
          .sort(),
      };
    });
    expect(shape.frozen).toBe(true);
    expect(shape.functions).toEqual([...METHOD_NAMES, 'on'].sort());
    // The app asked main for something on start, through the binding and the real router.
    expect(app.exchanges.some((x) => x.method === 'projects.list' && x.envelope.ok)).toBe(true);
    expect(app.exchanges.every((x) => x.sender.url.startsWith(APP_URL) && x.sender.isMainFrame)).toBe(true);
  });

  it('blocks inline script, as the Electron protocol does', async () => {
    const app = await e2e.launch();
    await app.open();
    const ran = await app.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => app.problems.cspViolations.length).toBeGreaterThan(0);
    expect(app.problems.cspViolations.join('\n')).toMatch(/script-src/);
    app.problems.cspViolations.length = 0; // provoked on purpose
  });

  it('refuses a call from a child frame (FORBIDDEN_SENDER), and the envelope carries no stack', async () => {
    const app = await e2e.launch();
    await app.open();
    const answer = await app.page.evaluate(async () => {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const child = frame.contentWindow as unknown as { __latchkeyInvoke(c: string, p: unknown): Promise<unknown> };
      return child.__latchkeyInvoke('latchkey:projects.list', {});
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(JSON.stringify(answer)).not.toMatch(/\bat .*\.ts:\d+/);
    const refused = app.exchanges.find((x) => !x.sender.isMainFrame);
    expect(refused?.envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('answers a malformed payload with INVALID_INPUT, not a crash', async () => {
    const app = await e2e.launch();
    await app.open();
    const answer = await app.page.evaluate(() =>
      (window as unknown as { latchkey: Record<string, (i: unknown) => Promise<unknown>> }).latchkey['projects.open']!({
        dir: 42,
        extra: '<script>',
      }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('opens only https links in the browser, through main', async () => {
    const app = await e2e.launch();
    await app.open();
    const answers = await app.page.evaluate(async () => {
      const api = (window as unknown as { latchkey: Record<string, (i: unknown) => Promise<{ ok: boolean }>> })
        .latchkey;
      const open = (url: string) => api['shell.openExternal']!({ url }).then((r) => r.ok);
      return {
        https: await open('https://docs.example.com/latchkey'),
        http: await open('http://example.com'),
        file: await open('file:///etc/passwd'),
        js: await open('javascript:alert(1)'),
      };
    });
    expect(answers).toEqual({ https: true, http: false, file: false, js: false });
    expect(app.openedExternal).toEqual(['https://docs.example.com/latchkey']);
  });
});
