// Runs each vitest project in turn and prints one closing summary line that CI can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const ALL = ['unit', 'slow', 'integration', 'e2e', 'electron'];
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
const outDir = path.resolve('test-results');
mkdirSync(outDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const broken = [];
for (const suite of suites) {
  const report = path.join(outDir, `${suite}.json`);
  rmSync(report, { force: true });
  console.log(`\n== suite: ${suite}`);
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--project', suite, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    {
      stdio: 'inherit',
    },
  );
  let counts;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts = {
      passed: json.numPassedTests,
      failed: json.numFailedTests,
      skipped: json.numPendingTests + json.numTodoTests,
    };
    // A file that fails to load has no tests in it; count it so a broken import cannot pass as green.
    const failedFiles = json.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
    counts.failed += failedFiles;
  } catch {
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.failed > 0) broken.push(suite);
  console.log(`suite ${suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const k of Object.keys(totals)) totals[k] += counts[k];
}
if (broken.length > 0) console.log(`\nfailing suites: ${broken.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
