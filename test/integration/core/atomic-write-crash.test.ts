import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATOMIC_WRITE_STEPS,
  cleanStaleTemps,
  isOurTempFile,
  TEMP_FOLDER,
  writeFileAtomic,
} from '../../../main/core/atomic-write';
import { seededRandom as prng } from '../../support/random';
import { REPO_ROOT } from '../../support/paths';

// DESIGN.md §9, crash injection: kill the writer at random points (and at each exact step); the target is always
// exactly the old or the new file, never a mix, and always 0600.

const repoRoot = REPO_ROOT;
const childScript = path.join(repoRoot, 'test/support/atomic-write-crash-child.ts');
const ITERATIONS = Number(process.env.LATCHKEY_CRASH_ITERATIONS ?? 200);
const SEED = Number(process.env.LATCHKEY_CRASH_SEED ?? 20251128);
const LANES = 2; // independent targets killed in parallel, one per core
const MAX_KILL_DELAY_MS = 30;
const SIZE = 200 * 1024; // large enough that a kill often lands while bytes are still being written

let work: string;
let fileA: string;
let fileB: string;
let contentA: Buffer;
let contentB: Buffer;

/** Two contents of the same size that differ in every 4 KB page, so a mix of them can never pass for either. */
function content(label: string): Buffer {
  const buffer = Buffer.alloc(SIZE);
  for (let offset = 0; offset < SIZE; offset += 64) {
    buffer.write(`${label}-${String(offset).padStart(8, '0')}`.padEnd(63, label) + '\n', offset, 'latin1');
  }
  return buffer;
}

function startChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', childScript, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function readyOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`child ended before ready (code ${code}, signal ${signal})`)));
  });
}

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;
/** Temps a killed writer left: the new content (.tmp) and the replaced file linked aside (.old), full paths. */
const tempsIn = async (dir: string) => {
  const folder = path.join(await fs.realpath(dir), TEMP_FOLDER);
  return (await fs.readdir(folder).catch(() => [] as string[]))
    .filter(isOurTempFile)
    .sort()
    .map((name) => path.join(folder, name));
};
/** After cleaning: the target, and the private temp folder holding only its own .gitignore. */
const expectOnlyTarget = async (dir: string, where = '') => {
  expect((await fs.readdir(dir)).sort(), where).toEqual(['.env', TEMP_FOLDER]);
  expect(await fs.readdir(path.join(dir, TEMP_FOLDER)), where).toEqual(['.gitignore']);
};

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'latchkey-crash-'));
  contentA = content('A');
  contentB = content('B');
  fileA = path.join(work, 'content-a');
  fileB = path.join(work, 'content-b');
  await fs.writeFile(fileA, contentA);
  await fs.writeFile(fileB, contentB);
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('writeFileAtomic under SIGKILL', () => {
  it(`leaves exactly the old or the new content after ${ITERATIONS} random kills (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const delays = Array.from({ length: ITERATIONS }, () => Math.floor(random() * MAX_KILL_DELAY_MS));
    const seen = { a: 0, b: 0, leftoverTemps: 0 };

    const lane = async (laneNo: number) => {
      const dir = path.join(work, `lane-${laneNo}`);
      await fs.mkdir(dir);
      const target = path.join(dir, '.env');
      for (let i = laneNo; i < ITERATIONS; i += LANES) {
        const child = startChild(['loop', target, fileA, fileB]);
        const exited = exitOf(child);
        await readyOf(child);
        await new Promise((resolve) => setTimeout(resolve, delays[i]));
        child.kill('SIGKILL');
        const { signal, stderr } = await exited;
        const where = `iteration ${i}, delay ${delays[i]} ms, seed ${SEED}`;
        expect(signal, `${where}: child died on its own: ${stderr}`).toBe('SIGKILL');

        const bytes = await fs.readFile(target);
        const isA = bytes.equals(contentA);
        const isB = bytes.equals(contentB);
        expect(isA || isB, `${where}: target is neither content (${bytes.length} bytes)`).toBe(true);
        if (isA) seen.a++;
        else seen.b++;
        expect(await modeOf(target), where).toBe(0o600);

        const temps = await tempsIn(dir);
        expect(temps.filter((t) => t.endsWith('.tmp')).length, `${where}: more than one temp left`).toBeLessThanOrEqual(
          1,
        );
        expect(
          temps.filter((t) => t.endsWith('.old')).length,
          `${where}: more than one aside left`,
        ).toBeLessThanOrEqual(1);
        if (temps.length > 0) {
          seen.leftoverTemps++;
          // Their writer is gone: the next run may remove them at once (item 4).
          expect((await cleanStaleTemps(dir)).sort()).toEqual(temps);
        }
        await expectOnlyTarget(dir, where);
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, laneNo) => lane(laneNo)));

    // The kills must actually land at different points: both outcomes occur, and some land before the rename.
    expect(seen.a + seen.b).toBe(ITERATIONS);
    expect(seen.a, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.b, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.leftoverTemps, JSON.stringify(seen)).toBeGreaterThan(0);
  }, 300_000);

  for (const step of ATOMIC_WRITE_STEPS) {
    const beforeRename = ATOMIC_WRITE_STEPS.indexOf(step) < ATOMIC_WRITE_STEPS.indexOf('renamed');

    it(`a kill right after '${step}' leaves the ${beforeRename ? 'old' : 'new'} content`, async () => {
      const dir = path.join(work, `step-${step}`);
      await fs.mkdir(dir);
      const target = path.join(dir, '.env');
      await writeFileAtomic(target, contentA);

      const { signal, stderr } = await exitOf(startChild([`step:${step}`, target, fileB]));
      expect(signal, `the hook did not kill the child: ${stderr}`).toBe('SIGKILL');

      expect((await fs.readFile(target)).equals(beforeRename ? contentA : contentB)).toBe(true);
      expect(await modeOf(target)).toBe(0o600);
      const temps = await tempsIn(dir);
      const aside = step === 'checked' || step === 'renamed' || step === 'dir-synced';
      expect(temps.filter((t) => t.endsWith('.tmp'))).toHaveLength(beforeRename ? 1 : 0);
      expect(temps.filter((t) => t.endsWith('.old'))).toHaveLength(aside ? 1 : 0);
      for (const temp of temps) expect(await modeOf(temp)).toBe(0o600);
      if (step === 'temp-synced') expect((await fs.readFile(temps[0]!)).equals(contentB)).toBe(true);
      expect((await cleanStaleTemps(dir)).sort()).toEqual(temps);
      await expectOnlyTarget(dir);
    }, 30_000);
  }

  it('a kill before the rename of a first write leaves no target at all', async () => {
    const dir = path.join(work, 'first-write');
    await fs.mkdir(dir);
    const target = path.join(dir, '.env');
    const { signal } = await exitOf(startChild(['step:temp-synced', target, fileB]));
    expect(signal).toBe('SIGKILL');
    await expect(fs.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await cleanStaleTemps(dir)).toHaveLength(1);
    expect(await fs.readdir(dir)).toEqual([TEMP_FOLDER]);
  }, 30_000);
});
