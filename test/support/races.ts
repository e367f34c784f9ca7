import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLatchkeyError } from '../../main/core/errors';
import { parseManifest } from '../../main/core/manifest';
import { preparePlan } from '../../main/core/sync';
import { memoryKeychain, offlineRuntime } from './ipc-sandbox';
import { REPO_ROOT } from './paths';

/**
 * The race tests of issue 10 (items 2 and 3), shared by the integration suite (a small count) and `npm run bench`
 * (the red team's 300 and more). The sync runs here through the real engine; its adversary runs in a child
 * process (race-child.mjs), so that the two really run at the same time.
 */

const CHILD = path.join(REPO_ROOT, 'test/support/race-child.mjs');
/** How long a child may take to start racing: a Node start and one swap, on a loaded machine. */
const READY_MS = 30_000;

export interface ParentSwapCounts {
  syncs: number;
  /** Syncs that reported a write. */
  wrote: number;
  /** Syncs refused (TARGET_UNSAFE and kin): the swap was seen. */
  refused: number;
  swaps: number;
  /** Files and bytes that appeared outside the project: must both be 0. */
  filesOutside: number;
  bytesOutside: number;
  /** Reported writes whose bytes are not in the project (neither in the folder nor where it was moved). */
  wroteElsewhere: number;
}

export interface EditorCounts {
  syncs: number;
  wrote: number;
  refused: number;
  saves: number;
  inPlace: number;
  rename: number;
  /** Saves a sync overwrote: must be 0. */
  lostEdits: number;
}

interface RaceChild {
  child: ChildProcess;
  result: Promise<Record<string, number>>;
}

/**
 * Starts the adversary and resolves once it says it is racing. On a loaded machine a child Node takes long enough
 * to start that a whole run of syncs could finish before its first move, and the race would not have happened.
 */
async function startChild(args: string[]): Promise<RaceChild> {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const result = new Promise<Record<string, number>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`race child ${args[0]} exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>);
    });
  });
  // A child that dies, or never gets to race (a swapper whose every swap fails), fails here and says so, rather
  // than leaving the wait to the test's timeout.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill();
      reject(new Error(`race child ${args[0]} was not racing after ${READY_MS} ms: ${err || 'no error output'}`));
    }, READY_MS);
  });
  try {
    await Promise.race([ready, result, late]);
  } finally {
    clearTimeout(timer);
  }
  return { child, result };
}

async function filesUnder(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

async function workspace(prefix: string) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const project = path.join(root, 'project');
  const appDir = path.join(root, 'home');
  await fs.mkdir(project);
  const keychain = memoryKeychain();
  const runtime = offlineRuntime(appDir, keychain);
  const manifestFile = path.join(project, 'latchkey.yml');
  /** A manifest whose one value changes every run, so that every sync has something to write. */
  const manifestFor = async (target: string, value: string) => {
    const text = `version: 1\nprofiles:\n  dev:\n    target: ${target}\n    sources: [{ set: { SYNCED: "${value}" } }]\n`;
    await fs.writeFile(manifestFile, text);
    const manifest = parseManifest(text, manifestFile);
    return { manifest, env: runtime.syncEnvironment(manifest) };
  };
  return { root, project, manifestFor, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/**
 * Whether `sub/.env` holds the canary, wherever the swapper has the real `sub` folder at the moment (`sub` or
 * `sub.real`): a look is counted only when the folder was a real folder before and after the read, and a few looks
 * are made, since the swapper may be half-way through a swap during any one of them.
 */
async function projectHolds(project: string, canary: string): Promise<boolean> {
  for (let look = 0; look < 50; look++) {
    for (const folder of ['sub', 'sub.real']) {
      const dir = path.join(project, folder);
      const before = await fs.lstat(dir).catch(() => undefined);
      if (!before?.isDirectory()) continue;
      const text = await fs.readFile(path.join(dir, '.env'), 'utf8').catch(() => '');
      const after = await fs.lstat(dir).catch(() => undefined);
      if (after?.isDirectory() && after.ino === before.ino && text.includes(canary)) return true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

/** Syncs `sub/.env` `runs` times while another process swaps `sub` for a symlink to a folder outside and back. */
export async function raceParentSwap(runs: number): Promise<ParentSwapCounts> {
  const ws = await workspace('latchkey-race-swap-');
  const outside = path.join(ws.root, 'outside');
  await fs.mkdir(outside);
  await fs.mkdir(path.join(ws.project, 'sub'));
  const counts: ParentSwapCounts = {
    syncs: 0,
    wrote: 0,
    refused: 0,
    swaps: 0,
    filesOutside: 0,
    bytesOutside: 0,
    wroteElsewhere: 0,
  };
  const swapper = await startChild(['swap', ws.project, 'sub', outside]);
  try {
    for (let i = 0; i < runs; i++) {
      const canary = `swap-canary-${i}`;
      const { manifest, env } = await ws.manifestFor('sub/.env', canary);
      counts.syncs++;
      try {
        const prepared = await preparePlan(manifest, 'dev', env, { takeRemote: ['SYNCED'] });
        const result = await prepared.apply();
        if (result.wrote) {
          counts.wrote++;
          if (!(await projectHolds(ws.project, canary))) counts.wroteElsewhere++;
        }
      } catch (error) {
        if (!isLatchkeyError(error)) throw error;
        counts.refused++;
      }
      const seen = await filesUnder(outside);
      counts.filesOutside = Math.max(counts.filesOutside, seen.files);
      counts.bytesOutside = Math.max(counts.bytesOutside, seen.bytes);
    }
  } finally {
    swapper.child.stdin!.end();
    counts.swaps = (await swapper.result).swaps ?? 0;
  }
  const last = await filesUnder(outside);
  counts.filesOutside = Math.max(counts.filesOutside, last.files);
  counts.bytesOutside = Math.max(counts.bytesOutside, last.bytes);
  await ws.cleanup();
  return counts;
}

/**
 * Syncs `.env` `runs` times while an editor saves it (in place, by rename, or both), a random 0..maxPauseMs apart:
 * about as often as a sync takes here, so that many syncs collide with a save (and are refused) and many write.
 */
export async function raceEditorSaves(
  runs: number,
  how: 'inplace' | 'rename' | 'both',
  maxPauseMs = 300,
): Promise<EditorCounts> {
  const ws = await workspace('latchkey-race-edit-');
  const target = path.join(ws.project, '.env');
  await fs.writeFile(target, 'EDIT=0\n', { mode: 0o600 });
  const counts: EditorCounts = { syncs: 0, wrote: 0, refused: 0, saves: 0, inPlace: 0, rename: 0, lostEdits: 0 };
  const editor = await startChild(['edit', target, how, String(maxPauseMs)]);
  try {
    for (let i = 0; i < runs; i++) {
      const { manifest, env } = await ws.manifestFor('.env', `edit-run-${i}`);
      counts.syncs++;
      try {
        const prepared = await preparePlan(manifest, 'dev', env, { takeRemote: ['SYNCED'] });
        if ((await prepared.apply()).wrote) counts.wrote++;
      } catch (error) {
        if (!isLatchkeyError(error)) throw error;
        counts.refused++;
      }
    }
  } finally {
    editor.child.stdin!.end();
    const edited = await editor.result;
    counts.saves = edited.saves ?? 0;
    counts.inPlace = edited.inPlace ?? 0;
    counts.rename = edited.rename ?? 0;
    counts.lostEdits = edited.lost ?? 0;
  }
  await ws.cleanup();
  return counts;
}
