import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../contract/ipc';
import { OUT_PRELOAD } from '../support/built-bundles';
import { APP_URL, CSP } from './harness/serve';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

describe('the app shell in Chromium (CSP, bridge, sender checks)', () => {
  it('loads under the strict CSP with window.latchkey from the shipped preload, as the bridge leaves it', async () => {
    const app = await e2e.launch();
    const response = await app.page.goto(APP_URL);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    await app.page.waitForFunction(() => (document.getElementById('root') ?? document.body).childElementCount > 0);
    const shape = await app.page.evaluate(() => {
      const api = (window as unknown as { latchkey: Record<string, unknown> }).latchkey;
      const descriptor = Object.getOwnPropertyDescriptor(window, 'latchkey');
      return {
        frozen: Object.isFrozen(api),
        writable: descriptor?.writable,
        configurable: descriptor?.configurable,
        functions: Object.keys(api)
          .filter((k) => typeof api[k] === 'function')
          .sort(),
        // Context-bridge proxies carry no name and no properties of the preload's functions.
        names: [...new Set(Object.values(api).map((f) => (f as () => void).name))],
      };
    });
    expect(shape).toEqual({
      frozen: true,
      writable: false,
      configurable: false,
      functions: [...METHOD_NAMES, 'on'].sort(),
      names: [''],
    });
    // It came from out/preload/index.cjs, run in the sandbox stand-in for this document, needing only electron.
    expect(app.preload.worlds.map((w) => ({ main: w.isMainFrame, required: w.world.required }))).toEqual([
      { main: true, required: ['electron'] },
    ]);
    // The app asked main for something on start, through the preload and the real router (its answer may still be
    // crossing when the first paint is there).
    await expect.poll(() => app.exchanges.some((x) => x.method === 'projects.list' && x.envelope.ok)).toBe(true);
    expect(app.exchanges.every((x) => x.sender.url.startsWith(APP_URL) && x.sender.isMainFrame)).toBe(true);
  });

  it('warms the locale data in a worker from the build, under the CSP, and ends the worker once it has', async () => {
    const app = await e2e.launch();
    const workers: { url: string; closed: boolean }[] = [];
    app.page.on('worker', (worker) => {
      const seen = { url: worker.url(), closed: false };
      workers.push(seen);
      worker.on('close', () => (seen.closed = true));
    });
    await app.open();
    // One worker, the build's own file on the app's origin (the CSP's script-src 'self' admits it), and it ends
    // after its message; the suite fails the test on any CSP violation or console error meanwhile.
    await expect
      .poll(() => workers.map((w) => ({ file: w.url.replace(/-[\w-]+\.js$/, '.js'), closed: w.closed })))
      .toEqual([{ file: `${APP_URL}assets/warm-intl.worker.js`, closed: true }]);
  });

  it('marks the platform, and starts each font stack with a family this machine has', async () => {
    const app = await e2e.launch();
    await app.open();
    const fonts = await app.page.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      const context = document.createElement('canvas').getContext('2d')!;
      const width = (family: string) => {
        context.font = `40px ${family}`;
        return context.measureText('mmmmmmmmmmlli 0O@#WwQq').width;
      };
      // A family the system lacks falls through to the generic after it, whichever generic that is.
      const installed = (family: string) =>
        ['serif', 'sans-serif', 'monospace'].some((generic) => width(`"${family}", ${generic}`) !== width(generic));
      const keywords = new Set(['system-ui', 'sans-serif', 'serif', 'monospace']);
      const firstOf = (stack: string) => {
        const first = stack
          .split(',')[0]!
          .trim()
          .replace(/^['"]|['"]$/g, '');
        return { first, found: keywords.has(first) || installed(first) };
      };
      return {
        platform: document.documentElement.dataset.platform,
        ui: firstOf(root.getPropertyValue('--font-ui')),
        mono: firstOf(root.getPropertyValue('--font-mono')),
      };
    });
    // Each missing family costs a font lookup per size and weight on a window's first layouts (issue 14, item 5).
    const expected = { darwin: 'mac', win32: 'windows', linux: 'linux' }[process.platform as string] ?? 'other';
    expect(fonts).toMatchObject({ platform: expected, ui: { found: true }, mono: { found: true } });
  });

  it('shows the dead screen of issue 9 when the preload needs a module the sandbox lacks', async () => {
    // The shipped preload with the defect put back: it must fail here as it failed in Electron.
    const broken = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-preload-')), 'index.cjs');
    writeFileSync(broken, `require("zod");\n${readFileSync(OUT_PRELOAD, 'utf8')}`);
    try {
      const app = await e2e.launch({ preload: broken });
      await app.page.goto(APP_URL);
      expect(await app.page.evaluate(() => 'latchkey' in window)).toBe(false);
      expect(app.problems.preload).toEqual([expect.stringMatching(/the preload did not load .*module not found: zod/)]);
      // The renderer's first subscription finds no API, React drops the tree: the screen stays empty.
      await expect.poll(() => app.problems.pageErrors.length).toBeGreaterThan(0);
      expect(app.problems.pageErrors[0]).toMatch(
        /Cannot read properties of undefined \(reading '(on|projects\.list)'\)/,
      );
      await expect.poll(() => app.page.evaluate(() => document.getElementById('root')?.childElementCount ?? 0)).toBe(0);
      expect(app.exchanges).toEqual([]);
      // Provoked on purpose; closed first, so nothing more arrives after the lists are emptied.
      await app.page.close();
      app.problems.preload.length = 0;
      app.problems.pageErrors.length = 0;
    } finally {
      rmSync(path.dirname(broken), { recursive: true, force: true });
    }
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
    // Electron runs no preload in subframes unless nodeIntegrationInSubFrames is set; with it, a frame's calls reach
    // main with that frame as the sender, and the router must refuse them.
    const app = await e2e.launch({ preloadInSubFrames: true });
    await app.open();
    const answer = await app.page.evaluate(async () => {
      // about:blank: the app's CSP (frame-ancestors 'none') keeps any document of its own out of a frame.
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const child = frame.contentWindow as unknown as { latchkey?: Record<string, (i: unknown) => Promise<unknown>> };
      for (let i = 0; i < 200 && !child.latchkey; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      if (!child.latchkey) throw new Error('no preload in the child frame');
      return child.latchkey['projects.list']!({});
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(JSON.stringify(answer)).not.toMatch(/\bat .*\.ts:\d+/);
    const refused = app.exchanges.find((x) => !x.sender.isMainFrame);
    expect(refused?.sender.url).toBe('about:blank');
    expect(refused?.envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(app.preload.worlds.map((w) => w.isMainFrame)).toEqual([true, false]);
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
