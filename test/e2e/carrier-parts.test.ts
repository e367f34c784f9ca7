import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { launchBrowser } from './harness/browser';
import { attachShippedPreload } from './harness/preload';
import { PART_CHARS } from './harness/wire';

// The e2e carrier (harness/preload.ts) sends an asynchronous outcome larger than PART_CHARS of JSON in parts, a
// crossing each, and the page parses it whole. Here with a preload of the test's own, so the sizes are chosen: what
// the page gets must be exactly what the preload's promise resolved with, small or large, and calls that overlap
// must each get their own answer.

const PRELOAD = `
const { contextBridge, ipcRenderer } = require('electron');
contextBridge.exposeInMainWorld('probe', { fetch: (size) => ipcRenderer.invoke('probe:fetch', size) });
`;
const PAGE_URL = 'https://carrier.test/';

/** What main answers for `size`: a long string, nested objects and numbers that JSON must carry back exactly. */
function answerFor(size: number) {
  const text = Array.from({ length: size }, (_, i) => String.fromCharCode(32 + ((i * 7) % 90))).join('');
  return { size, text, nested: { list: [1.5, -0, 'é "quoted" \\ ', null, true], empty: {} }, tail: `${size}` };
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-carrier-'));
  writeFileSync(path.join(dir, 'preload.cjs'), PRELOAD);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the e2e carrier', () => {
  it('carries small and large outcomes (in parts) exactly, each call its own, in the order asked', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const carrier = await attachShippedPreload(page, {
        preload: path.join(dir, 'preload.cjs'),
        mirrorScript: inject('e2ePageMirror'),
        invoke: async (channel, args) => {
          if (channel !== 'probe:fetch') throw new Error(`no handler for ${channel}`);
          return answerFor(args[0] as number);
        },
      });
      await page.route('**/*', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>carrier</title>' }),
      );
      await page.goto(PAGE_URL);
      const sizes = [10, PART_CHARS - 200, PART_CHARS * 3 + 17, PART_CHARS * 8];
      const got = await page.evaluate(async (asked) => {
        const probe = (window as unknown as { probe: { fetch(size: number): Promise<unknown> } }).probe;
        // All at once: a parted answer's parts and other calls' answers interleave.
        return Promise.all(asked.map((size) => probe.fetch(size)));
      }, sizes);
      expect(got).toEqual(sizes.map(answerFor));
      // The wire keeps -0 apart from 0 in parts too (JSON alone would not).
      expect(Object.is((got[3] as ReturnType<typeof answerFor>).nested.list[1], -0)).toBe(true);
      expect(carrier.problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
