/**
 * The race tests of issue 10 at the red team's scale: a parent folder swapped for a symlink during 300 syncs, and
 * an editor saving in place, by rename, and both ways during 300 syncs each. Zero bytes outside the project and
 * zero lost edits are the pass mark; the other counts show that the races really happened (swaps made, syncs that
 * collided with a save and were refused, syncs that wrote).
 *
 *   node --import tsx test/bench/hardening-bench.ts   → bench-results/hardening.json and hardening.md
 *
 * Knobs (environment): BENCH_RACE_RUNS (300), BENCH_RACE_PAUSE_MS (300: an editor save every 0..300 ms, about as
 * often as a sync here, so that some syncs write between saves and some collide with one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { raceEditorSaves, raceParentSwap, type EditorCounts, type ParentSwapCounts } from '../support/races';
import { log } from './measure';

const RUNS = positiveInt(process.env.BENCH_RACE_RUNS, 300);
const PAUSE_MS = positiveInt(process.env.BENCH_RACE_PAUSE_MS, 300);
const RESULTS_DIR = path.resolve(import.meta.dirname, '../../bench-results');

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

log(`parent folder swapped during ${RUNS} syncs`);
const swap: ParentSwapCounts = await raceParentSwap(RUNS);
const editors: Record<string, EditorCounts> = {};
for (const how of ['inplace', 'rename', 'both'] as const) {
  log(`editor saving (${how}) during ${RUNS} syncs`);
  editors[how] = await raceEditorSaves(RUNS, how, PAUSE_MS);
}

const swapOk = swap.filesOutside === 0 && swap.bytesOutside === 0 && swap.wroteElsewhere === 0 && swap.swaps > 0;
const editorsOk = Object.values(editors).every((counts) => counts.lostEdits === 0 && counts.saves > 0);
const results = { runs: RUNS, editorPauseMs: PAUSE_MS, swap, editors, pass: swapOk && editorsOk };

const markdown = [
  '# Race tests (issue 10, items 2 and 3)',
  '',
  `\`npm run bench\` (test/bench/hardening-bench.ts), ${RUNS} syncs per race; the adversary is another process.`,
  '',
  '## Parent folder swapped for a symlink to a folder outside the project',
  '',
  '| syncs | wrote | refused | swaps | files outside | bytes outside | reported writes not in the project |',
  '|---|---|---|---|---|---|---|',
  `| ${swap.syncs} | ${swap.wrote} | ${swap.refused} | ${swap.swaps} | ${swap.filesOutside} | ${swap.bytesOutside} | ${swap.wroteElsewhere} |`,
  '',
  `## An editor saving the target (a save every 0..${PAUSE_MS} ms)`,
  '',
  '| editor | syncs | wrote | refused (conflict reported) | saves in place | saves by rename | lost edits |',
  '|---|---|---|---|---|---|---|',
  ...Object.entries(editors).map(
    ([how, c]) => `| ${how} | ${c.syncs} | ${c.wrote} | ${c.refused} | ${c.inPlace} | ${c.rename} | ${c.lostEdits} |`,
  ),
  '',
  results.pass ? 'Pass: no byte outside the project, no lost edit.' : '**FAIL**: see the counts above.',
  '',
].join('\n');

mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(path.join(RESULTS_DIR, 'hardening.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(RESULTS_DIR, 'hardening.md'), markdown);
process.stdout.write(markdown);
process.exitCode = results.pass ? 0 : 1;
