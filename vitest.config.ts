import { defineConfig } from 'vitest/config';

// The unit files that spend their time in fast-check: the IPC fuzz and the .env round trips through the real readers,
// 98 s and 70 s of the 260 s of test time in `vitest run --project unit --reporter=verbose` on two cores, and the
// export formats read back by their real consumers (PyYAML, terraform, kubectl, Python's csv: 38 s). The next
// property-heavy file takes 5 s. They run as their own project, `slow`, so `npm run test:unit` stays quick; `npm test`
// runs both.
const SLOW_UNIT = [
  'test/unit/ipc/fuzz.test.ts',
  'test/unit/core/dotenv/roundtrip.test.ts',
  'test/unit/core/export/consumers.test.ts',
];

// Where `npm run screenshots` saves the main screens; the e2e run takes the same shots into test-results/ instead, so
// `npm test` never rewrites a tracked file.
const SCREENSHOTS_DIR = 'docs/screenshots';

// One project per test layer. Integration runs its files one at a time because every file shares one
// moto server (started once in globalSetup) and resets it between tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: SLOW_UNIT,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'slow',
          include: SLOW_UNIT,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The built renderer in Chromium against the real router, handlers and runtime (moto, the keyring): one
        // browser per file, files one at a time (two cores, one moto, one keyring).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `npm run bench`, not `npm test`: the UI budgets of a 5,000-key profile over the e2e harness (issue 14).
        test: {
          name: 'bench-ui',
          include: ['test/bench/ui-big-profile.bench.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 1_200_000,
          hookTimeout: 600_000,
        },
      },
      {
        // `npm run screenshots`, not `npm test`: the screenshots file of e2e, saving into docs/screenshots/.
        test: {
          name: 'screenshots',
          include: ['test/e2e/screenshots.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          env: { LATCHKEY_SCREENSHOTS_DIR: SCREENSHOTS_DIR },
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The real app in a real Electron (Playwright's _electron), where a binary is installed; skipped with the
        // reason printed elsewhere. One app at a time: it holds the single-instance lock. Run via test/electron/run.sh.
        test: {
          name: 'electron',
          include: ['test/electron/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
