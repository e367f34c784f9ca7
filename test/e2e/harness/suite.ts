import type { Browser } from 'playwright-core';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { ROOT } from './build';
import { launchApp, type E2eApp, type LaunchOptions } from './app';
import { launchBrowser } from './browser';
import { removeProjects, seedClient, useAwsProfileEnv } from './project';

export interface E2eSuite {
  /** A fresh browser context on a fresh backend (its own app-data folder); closed after the test. */
  launch(opts?: LaunchOptions): Promise<E2eApp>;
  /** The SSM client the test seeds moto with. */
  ssm(): SSMClient;
}

/**
 * Wires a test file: one Chromium for the file, the AWS profile environment for the backend (moto), and after
 * each test: every app closed, and a check that the page had no uncaught error, no CSP violation, made no
 * request outside its origin (the renderer has no network: connect-src 'none'), and that the shipped preload
 * loaded and carried every call.
 */
export function useE2eSuite(): E2eSuite {
  let browser: Browser | undefined;
  let client: SSMClient | undefined;
  let restoreEnv: (() => void) | undefined;
  const apps: E2eApp[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    client = seedClient();
  });
  afterAll(async () => {
    client?.destroy();
    await browser?.close();
    removeProjects();
  });
  beforeEach(() => {
    restoreEnv = useAwsProfileEnv();
  });
  afterEach(async (context) => {
    const open = apps.splice(0);
    if (context.task.result?.state === 'fail') await saveFailureShots(open, context.task.name);
    const problems = open.map((a) => a.problems);
    for (const app of open) await app.close();
    restoreEnv?.();
    for (const p of problems) {
      expect(p.pageErrors, 'uncaught errors in the page').toEqual([]);
      expect(p.cspViolations, 'CSP violations').toEqual([]);
      expect(p.strayRequests, 'requests outside https://latchkey.test').toEqual([]);
      expect(p.preload, 'the shipped preload: failed to load, a listener threw, or a call could not cross').toEqual([]);
    }
  });

  return {
    async launch(opts) {
      if (!browser) throw new Error('the browser is not running (useE2eSuite must be called at the top of the file)');
      const app = await launchApp(browser, opts);
      apps.push(app);
      return app;
    },
    ssm() {
      if (!client) throw new Error('no SSM client yet');
      return client;
    },
  };
}

/** A picture of every open page of a failed test, in test-results/e2e/, to see what the user would have seen. */
async function saveFailureShots(apps: E2eApp[], testName: string): Promise<void> {
  const dir = path.join(ROOT, 'test-results', 'e2e');
  mkdirSync(dir, { recursive: true });
  const slug = testName.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
  for (const [i, app] of apps.entries()) {
    const file = path.join(dir, `${slug}${apps.length > 1 ? `-${i}` : ''}.png`);
    await app.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.log(`e2e: screenshot of the failed test: ${path.relative(ROOT, file)}`);
  }
}
