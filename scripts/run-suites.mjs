// Runs each vitest project in turn and prints one closing summary line that CI can read. The suites must leave the
// working tree as they found it (a test that rewrites a tracked file hides a real change in the next commit), so the
// tree is compared before and after, and any difference counts as a failure.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const ALL = ['unit', 'slow', 'integration', 'e2e', 'electron'];
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
const outDir = path.resolve('test-results');
mkdirSync(outDir, { recursive: true });

/** `git status --porcelain` (untracked files included), plus a digest of the tracked changes, so a file already
 * modified before the run and rewritten by it still shows. */
function treeState() {
  const git = (...args) => execFileSync('git', args, { encoding: 'buffer', maxBuffer: 1 << 30 });
  const status = git('status', '--porcelain', '--untracked-files=all').toString('utf8');
  const digest = createHash('sha256')
    .update(git('diff', '--binary', 'HEAD'))
    .digest('hex');
  return { status, digest };
}

const treeBefore = treeState();
const totals = { passed: 0, failed: 0, skipped: 0 };
const broken = [];
/** Each failed test as "suite: file > title: first line of the message", repeated at the end so that a log cut to its
 * tail still names what failed. */
const failures = [];
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
    failures.push(...failedTestsOf(suite, json));
  } catch {
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.failed > 0) broken.push(suite);
  console.log(`suite ${suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const k of Object.keys(totals)) totals[k] += counts[k];
}
const treeAfter = treeState();
if (treeAfter.status !== treeBefore.status || treeAfter.digest !== treeBefore.digest) {
  console.log('\n!! the suites changed the working tree (git status --porcelain, before -> after):');
  console.log(`-- before:\n${treeBefore.status || '(clean)\n'}-- after:\n${treeAfter.status || '(clean)\n'}`);
  console.log('!! a test wrote into the repository; point it at a temporary or ignored directory instead');
  totals.failed += 1;
  broken.push('working tree');
} else {
  console.log('\nworking tree: unchanged by the suites (git status --porcelain)');
}
if (broken.length > 0) console.log(`\nfailing suites: ${broken.join(', ')}`);
if (failures.length > 0) console.log(`failing tests:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;

function failedTestsOf(suite, json) {
  const firstLine = (messages) => (messages?.[0] ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  const out = [];
  for (const file of json.testResults) {
    const rel = path.relative(process.cwd(), file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0) {
      out.push(`${suite}: ${rel} (did not load): ${firstLine([file.message])}`.slice(0, 400));
    }
    for (const t of file.assertionResults) {
      if (t.status !== 'failed') continue;
      out.push(`${suite}: ${rel} > ${t.fullName}: ${firstLine(t.failureMessages)}`.slice(0, 400));
    }
  }
  return out;
}
