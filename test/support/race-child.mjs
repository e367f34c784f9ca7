// Child process for the race tests (test/support/races.ts): the other party of a race, in its own process so
// that it really runs at the same time as the sync. It prints `ready` once it is racing (the swapper after its
// first whole swap), so that no sync runs before it; it runs until its parent closes stdin, then prints its counts
// as one JSON line.
//
//   node test/support/race-child.mjs swap <project> <folder> <outside>
//     Swaps <project>/<folder> for a symlink to <outside> and back, over and over.
//   node test/support/race-child.mjs edit <file> <mode> <maxPauseMs>
//     An editor saving <file> over and over (mode: inplace | rename | both), a random 0..maxPauseMs apart, so that
//     some syncs write between saves and some collide with one: each save sets EDIT=<n+1> and keeps
//     every other line as it read them. Before each save it checks that its previous save is still there: if the
//     file holds an older EDIT (or none), a sync overwrote a save, which is a lost edit.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

const [mode, ...args] = process.argv.slice(2);
let running = true;
process.stdin.on('end', () => (running = false));
process.stdin.on('close', () => (running = false));
process.stdin.resume();

const pause = () => nextTurn();

async function swap(project, folder, outside) {
  const real = path.join(project, folder);
  const moved = `${real}.real`;
  let swaps = 0;
  while (running) {
    try {
      await fs.rename(real, moved);
      await fs.symlink(outside, real);
      await pause();
      await fs.unlink(real);
      await fs.rename(moved, real);
      swaps++;
      if (swaps === 1) process.stdout.write('ready\n');
    } catch {
      await putBack(real, moved, swaps);
    }
    await pause();
  }
  await putBack(real, moved, swaps);
  return { swaps };
}

/**
 * Undoes a half-done swap. While our folder was moved away, a sync may have created a new `real` folder (the
 * engine makes missing parents): then that one stays, and ours is kept beside it, inside the project, so that
 * neither holds up the next swap and no synced byte is lost.
 */
async function putBack(real, moved, swaps) {
  const now = await fs.lstat(real).catch(() => undefined);
  if (now?.isSymbolicLink()) await fs.unlink(real).catch(() => undefined);
  else if (now?.isDirectory()) {
    await fs.rename(moved, `${real}.kept-${swaps}-${Date.now()}`).catch(() => undefined);
    return;
  }
  await fs.rename(moved, real).catch(() => undefined);
}

async function edit(file, how, maxPauseText = '300') {
  const maxPauseMs = Number(maxPauseText);
  process.stdout.write('ready\n');
  const counts = { saves: 0, inPlace: 0, rename: 0, lost: 0 };
  let last = 0;
  for (let turn = 0; running; turn++) {
    let text;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      await pause();
      continue;
    }
    const seen = /^EDIT=(\d+)$/m.exec(text);
    const value = seen ? Number(seen[1]) : -1;
    if (value < last) counts.lost++;
    const next = last + 1;
    const body = seen
      ? text.replace(/^EDIT=\d+$/m, `EDIT=${next}`)
      : `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}EDIT=${next}\n`;
    const useRename = how === 'rename' || (how === 'both' && turn % 2 === 1);
    if (useRename) {
      const swp = `${file}.swp-${process.pid}`;
      await fs.writeFile(swp, body, { mode: 0o600 });
      await fs.rename(swp, file);
      counts.rename++;
    } else {
      await fs.writeFile(file, body);
      counts.inPlace++;
    }
    counts.saves++;
    last = next;
    const ms = Math.floor(Math.random() * (maxPauseMs + 1));
    await (ms === 0 ? pause() : sleep(ms));
  }
  const final = /^EDIT=(\d+)$/m.exec(await fs.readFile(file, 'utf8').catch(() => ''));
  if ((final ? Number(final[1]) : -1) < last) counts.lost++;
  return counts;
}

const result = mode === 'swap' ? await swap(...args) : mode === 'edit' ? await edit(...args) : undefined;
if (!result) {
  console.error('usage: race-child.mjs swap <project> <folder> <outside> | edit <file> <inplace|rename|both>');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
