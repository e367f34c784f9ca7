import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendAuditEvent,
  AUDIT_ANCHOR_FILE,
  AUDIT_FILE,
  AUDIT_HEAD_FILE,
  AUDIT_LOCK_FILE,
  GENESIS_HASH,
  hashAuditEvent,
  tailAudit,
  useAuditKeychain,
  verifyAudit,
  type AuditEvent,
  type AuditInput,
} from '../../../main/core/audit';
import { canonicalJson } from '../../../main/core/canonical-json';
import { processStartId } from '../../../main/core/process-identity';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { rejection } from '../../support/temp';
import { REPO_ROOT } from '../../support/paths';

const repoRoot = REPO_ROOT;
let appDir: string;
let logFile: string;
let headFile: string;

beforeEach(async () => {
  appDir = await fs.mkdtemp(path.join(os.tmpdir(), 'latchkey-audit-'));
  logFile = path.join(appDir, AUDIT_FILE);
  headFile = path.join(appDir, AUDIT_HEAD_FILE);
});

afterEach(async () => {
  await fs.rm(appDir, { recursive: true, force: true });
});

const sample = (i: number): AuditInput => ({
  action: 'sync',
  profile: 'dev',
  target: '/p/.env',
  keys: ['DB_PASSWORD', `KEY_${i}`],
  versions: { DB_PASSWORD: String(i) },
  outcome: 'ok',
  detail: `event ${i}`,
});

async function appendMany(n: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let i = 1; i <= n; i++) events.push(await appendAuditEvent(appDir, sample(i)));
  return events;
}

const readLines = async () => (await fs.readFile(logFile, 'utf8')).split('\n').slice(0, -1);
const writeLines = (lines: string[]) => fs.writeFile(logFile, lines.map((l) => `${l}\n`).join(''));
/** Re-seals an edited event so that its own hash is right again: a careful forger. */
const reseal = (event: Omit<AuditEvent, 'hash'>) => JSON.stringify({ ...event, hash: hashAuditEvent(event) });

describe('appendAuditEvent', () => {
  it('builds a hash chain from the genesis hash and keeps the head record', async () => {
    const events = await appendMany(5);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    for (const event of events) {
      const { hash, ...rest } = event;
      const expected = createHash('sha256')
        .update(rest.prevHash + canonicalJson(rest))
        .digest('hex');
      expect(hash).toBe(expected);
    }
    expect((await readLines()).map((line) => JSON.parse(line))).toEqual(events);
    expect(JSON.parse(await fs.readFile(headFile, 'utf8'))).toEqual({ seq: 5, hash: events[4]!.hash });
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 5, problems: [] });
  });

  it('records time, OS user and the given fields, and nothing else', async () => {
    const before = Date.now();
    const event = await appendAuditEvent(appDir, {
      action: 'reveal',
      profile: 'dev',
      keys: ['API_TOKEN'],
      outcome: 'cancelled',
    });
    expect(Object.keys(event).sort()).toEqual([
      'action',
      'hash',
      'keys',
      'outcome',
      'prevHash',
      'profile',
      'seq',
      'time',
      'user',
    ]);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(event.user).toBe(os.userInfo().username);
    const fixed = await appendAuditEvent(appDir, { action: 'copy', outcome: 'ok' }, { now: new Date(0), user: 'ci' });
    expect(fixed.time).toBe('1970-01-01T00:00:00.000Z');
    expect(fixed.user).toBe('ci');
  });

  it('writes the log and head private to the user', async () => {
    await appendMany(1);
    expect((await fs.stat(logFile)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(headFile)).mode & 0o777).toBe(0o600);
    await expect(fs.stat(path.join(appDir, AUDIT_LOCK_FILE))).rejects.toThrow();
  });

  it('refuses unknown fields, long details and unknown actions, without echoing them and without writing', async () => {
    const attempts: unknown[] = [
      { ...sample(1), value: 'canary-secret-value' },
      { ...sample(1), detail: 'x'.repeat(501) },
      { ...sample(1), action: 'steal' },
      { ...sample(1), outcome: 'maybe' },
      { ...sample(1), keys: 'A' },
      { action: 'sync' },
    ];
    for (const attempt of attempts) {
      const error = await rejection(appendAuditEvent(appDir, attempt as AuditInput));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).not.toContain('canary-secret-value');
    }
    await expect(fs.stat(logFile)).rejects.toThrow();
    const atLimit = await appendAuditEvent(appDir, { ...sample(1), detail: 'x'.repeat(500) });
    expect(atLimit.detail).toHaveLength(500);
  });

  it('records a file secret under its path however deep, up to PATH_MAX, and refuses a runaway name', async () => {
    const deepPath = `file:${'certs/'.repeat(60)}server.pem`;
    expect(deepPath.length).toBeGreaterThan(256);
    const event = await appendAuditEvent(appDir, {
      action: 'sync',
      profile: 'dev',
      keys: [deepPath],
      versions: { [deepPath]: '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY' },
      outcome: 'ok',
    });
    expect(event.keys).toEqual([deepPath]);
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 1, problems: [] });
    const runaway = await rejection(appendAuditEvent(appDir, { ...sample(1), keys: [`file:${'a'.repeat(4097)}`] }));
    expect(runaway.code).toBe('INVALID_INPUT');
  });

  it('serializes concurrent appends within one process', async () => {
    const events = await Promise.all(Array.from({ length: 25 }, (_, i) => appendAuditEvent(appDir, sample(i))));
    expect(events.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 25, problems: [] });
  });

  it('stays a valid chain with 4 processes appending 50 events each at the same time', async () => {
    const runChild = (id: number) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(repoRoot, 'test/support/audit-append-child.ts'), appDir, String(id), '50'],
          { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`child ${id} exited ${code}: ${stderr}`)),
        );
      });
    await Promise.all([1, 2, 3, 4].map(runChild));

    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 200, problems: [] });
    const events = (await readLines()).map((line) => JSON.parse(line) as AuditEvent);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (const id of [1, 2, 3, 4]) {
      const mine = events.filter((e) => e.profile === `worker-${id}`).map((e) => e.detail);
      expect(mine).toEqual(Array.from({ length: 50 }, (_, i) => `${id}:${i}`));
    }
    expect(JSON.parse(await fs.readFile(headFile, 'utf8')).seq).toBe(200);
  }, 120_000);

  describe('the lock (issue 10, item 22)', () => {
    const lock = () => path.join(appDir, AUDIT_LOCK_FILE);
    const holder = (fields: Record<string, unknown>) =>
      fs.writeFile(lock(), JSON.stringify({ host: os.hostname(), token: 'other', ...fields }));
    /** Resolves with the append, or rejects if it stalls as the old lock did (10 s). */
    const promptly = <T>(work: Promise<T>) =>
      Promise.race([
        work,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stalled on the lock')), 8000)),
      ]);

    it('breaks a lock whose process is gone, or whose pid now belongs to another process, at once', async () => {
      await holder({ pid: 2 ** 22 + 12345, start: '1' });
      await promptly(appendAuditEvent(appDir, sample(1)));
      // Our own pid, but a start time that is not ours: the pid was reused by someone else since.
      await holder({ pid: process.pid, start: 'not-our-start' });
      await promptly(appendAuditEvent(appDir, sample(2)));
      await expect(fs.stat(lock())).rejects.toThrow();
      expect((await verifyAudit(appDir)).events).toBe(2);
    });

    it('breaks an empty or unreadable lock left by a crash between create and write', async () => {
      for (const content of ['', '{"pid": 12']) {
        await fs.writeFile(lock(), content);
        // Older than the moment a writer needs between creating a lock and filling it; far younger than 10 s.
        const old = new Date(Date.now() - 1_500);
        await fs.utimes(lock(), old, old);
        await promptly(appendAuditEvent(appDir, sample(1)));
      }
      expect((await verifyAudit(appDir)).events).toBe(2);
    });

    it('fails fast, naming the holder, when a live process keeps it', async () => {
      await holder({ pid: process.ppid, start: processStartId(process.ppid) });
      const error = await rejection(promptly(appendAuditEvent(appDir, sample(1))));
      expect(error.code).toBe('WRITE_FAILED');
      expect(error.message).toContain(`process ${process.ppid}`);
      expect(error.hint).toMatch(/still running/);
      // It is theirs: never removed.
      expect(JSON.parse(await fs.readFile(lock(), 'utf8')).token).toBe('other');
      await fs.unlink(lock());
      await holder({ pid: process.pid, host: 'another-host', start: '1' });
      expect((await rejection(promptly(appendAuditEvent(appDir, sample(1))))).message).toContain('another-host');
    });

    it('waits for a live holder that lets go', async () => {
      await holder({ pid: process.ppid, start: processStartId(process.ppid) });
      let done = false;
      const pending = appendAuditEvent(appDir, sample(1)).then((event) => {
        done = true;
        return event;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      await fs.unlink(lock());
      expect((await pending).seq).toBe(1);
    });

    it('is never seen empty: it is written whole, then linked into place', async () => {
      const seen: string[] = [];
      const watcher = setInterval(() => {
        fs.readFile(lock(), 'utf8').then(
          (text) => seen.push(text),
          () => undefined,
        );
      }, 0);
      try {
        await appendMany(30);
      } finally {
        clearInterval(watcher);
      }
      for (const text of seen) expect(JSON.parse(text)).toMatchObject({ pid: process.pid });
    });
  });

  it('refuses to extend a log whose tail was cut off, since that would hide it', async () => {
    await appendMany(3);
    await writeLines((await readLines()).slice(0, 2));
    const error = await rejection(appendAuditEvent(appDir, sample(4)));
    expect(error.code).toBe('AUDIT_BROKEN');
    expect(error.message).toMatch(/truncated/);
    expect(error.hint).toMatch(/audit verify/);
  });

  it('repairs a half-written last line left by a crash, then continues the chain', async () => {
    await appendMany(2);
    await fs.appendFile(logFile, '{"seq":3,"time":"2025-');
    const broken = await verifyAudit(appDir);
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([
      expect.objectContaining({ line: 3, problem: expect.stringMatching(/incomplete last line/) }),
    ]);

    const next = await appendAuditEvent(appDir, sample(3));
    expect(next.seq).toBe(3);
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 3, problems: [] });
  });

  it('accepts a head one event behind (a crash between the line and the head), and catches up', async () => {
    const events = await appendMany(3);
    await fs.writeFile(headFile, JSON.stringify({ seq: 2, hash: events[1]!.hash }));
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 3, problems: [] });
    await appendAuditEvent(appDir, sample(4));
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 4, problems: [] });
    expect(JSON.parse(await fs.readFile(headFile, 'utf8')).seq).toBe(4);
  });
});

describe('verifyAudit', () => {
  it('is ok with 0 events for a missing or empty log', async () => {
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 0, problems: [] });
    expect(await verifyAudit(path.join(appDir, 'does-not-exist'))).toEqual({ ok: true, events: 0, problems: [] });
    await fs.writeFile(logFile, '');
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 0, problems: [] });
  });

  it('detects an edited line', async () => {
    await appendMany(5);
    const lines = await readLines();
    lines[2] = lines[2]!.replace('"event 3"', '"event 3, edited"');
    await writeLines(lines);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.events).toBe(5);
    expect(result.problems).toEqual([{ line: 3, seq: 3, problem: expect.stringMatching(/hash does not match/) }]);
  });

  it('detects an edited line even when the forger recomputed its hash', async () => {
    await appendMany(5);
    const lines = await readLines();
    const { hash: _hash, ...third } = JSON.parse(lines[2]!) as AuditEvent;
    lines[2] = reseal({ ...third, outcome: 'error' });
    await writeLines(lines);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ line: 4, seq: 4, problem: expect.stringMatching(/prevHash/) }]);
  });

  it('detects a re-sealed edit of the last line through the head record', async () => {
    await appendMany(3);
    const lines = await readLines();
    const { hash: _hash, ...last } = JSON.parse(lines[2]!) as AuditEvent;
    lines[2] = reseal({ ...last, keys: ['NOTHING_TO_SEE'] });
    await writeLines(lines);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ seq: 3, problem: expect.stringMatching(/differs from audit.head/) }]);
  });

  it('detects a deleted line', async () => {
    await appendMany(5);
    const lines = await readLines();
    lines.splice(1, 1);
    await writeLines(lines);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.events).toBe(4);
    expect(result.problems).toEqual([
      { line: 2, seq: 3, problem: expect.stringMatching(/seq 3 where 2 was expected/) },
      { line: 2, seq: 3, problem: expect.stringMatching(/prevHash/) },
    ]);
  });

  it('detects deleted lines at the start', async () => {
    await appendMany(4);
    await writeLines((await readLines()).slice(2));
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.line)).toEqual([1, 1]);
    expect(result.problems[1]!.problem).toMatch(/does not start the chain/);
  });

  it('detects reordered lines', async () => {
    await appendMany(5);
    const lines = await readLines();
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    await writeLines(lines);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.line)).toEqual([2, 2, 3, 3, 4, 4]);
  });

  it('detects a malformed line and judges the chain again right after it', async () => {
    await appendMany(5);
    const lines = await readLines();
    lines[1] = '{"seq": 2, this is not json';
    await writeLines(lines);
    let result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.events).toBe(4);
    expect(result.problems).toEqual([{ line: 2, problem: 'not valid JSON' }]);

    lines[1] = JSON.stringify({ ...JSON.parse((await readLines())[0]!), value: 'canary-value' });
    await writeLines(lines);
    result = await verifyAudit(appDir);
    expect(result.problems).toEqual([{ line: 2, problem: expect.stringMatching(/not a valid audit event/) }]);
    expect(JSON.stringify(result)).not.toContain('canary-value');
  });

  it('detects a blank line inserted', async () => {
    await appendMany(2);
    const lines = await readLines();
    await writeLines([lines[0]!, '', lines[1]!]);
    expect((await verifyAudit(appDir)).problems).toEqual([{ line: 2, problem: 'blank line' }]);
  });

  it('detects tail truncation, down to a deleted log', async () => {
    await appendMany(5);
    const lines = await readLines();
    await writeLines(lines.slice(0, 3));
    let result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.events).toBe(3);
    expect(result.problems).toEqual([
      { seq: 3, problem: expect.stringMatching(/ends at seq 3 .* records seq 5: the tail was truncated/) },
    ]);

    await fs.rm(logFile);
    result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.problem).toMatch(/truncated/);
  });

  it('detects a deleted or malformed head record', async () => {
    await appendMany(3);
    await fs.rm(headFile);
    expect((await verifyAudit(appDir)).problems).toEqual([
      { seq: 3, problem: expect.stringMatching(/audit.head is missing/) },
    ]);
    await fs.writeFile(headFile, 'garbage');
    expect((await verifyAudit(appDir)).problems).toEqual([{ problem: 'audit.head is malformed' }]);
  });

  it('detects a last line whose line ending was removed', async () => {
    await appendMany(2);
    const text = await fs.readFile(logFile, 'utf8');
    await fs.writeFile(logFile, text.slice(0, -1));
    const result = await verifyAudit(appDir);
    expect(result.problems).toEqual([{ line: 2, seq: 2, problem: 'the last line has no line ending' }]);
    expect((await rejection(appendAuditEvent(appDir, sample(3)))).code).toBe('AUDIT_BROKEN');
  });
});

describe('the anchor in the keychain (issue 10, item 19)', () => {
  let keychain: ReturnType<typeof memoryKeychain>;
  beforeEach(() => {
    keychain = memoryKeychain();
    useAuditKeychain(keychain);
  });
  afterEach(() => useAuditKeychain(undefined));

  /** What someone who can write app data but not the keychain does: drop events, re-seal, rewrite the head. */
  async function dropAndReseal(keep: (e: AuditEvent) => boolean) {
    const kept = (await readLines()).map((l) => JSON.parse(l) as AuditEvent).filter(keep);
    let prevHash = GENESIS_HASH;
    const resealed = kept.map((event, i) => {
      const { hash: _hash, ...rest } = event;
      const unsealed = { ...rest, seq: i + 1, prevHash };
      const sealed = { ...unsealed, hash: hashAuditEvent(unsealed) };
      prevHash = sealed.hash;
      return sealed;
    });
    await writeLines(resealed.map((e) => JSON.stringify(e)));
    await fs.writeFile(headFile, JSON.stringify({ seq: resealed.length, hash: prevHash }));
  }

  it('an intact log agrees with its anchor', async () => {
    await appendMany(4);
    expect(await verifyAudit(appDir)).toEqual({ ok: true, events: 4, problems: [], anchoredSeq: 4 });
  });

  it('finds events dropped and the chain re-sealed, which the hash chain alone cannot', async () => {
    await appendMany(5);
    await dropAndReseal((e) => e.seq !== 3);
    // Without the keychain the forgery is a valid chain: that is what the anchor is for.
    expect((await verifyAudit(appDir, { keychain: null })).ok).toBe(true);
    const result = await verifyAudit(appDir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { kind: 'anchor', problem: expect.stringMatching(/the anchor records 5 events.*the log has 4/) },
    ]);
  });

  it('finds a rewritten event that keeps the count', async () => {
    await appendMany(3);
    const lines = await readLines();
    const last = JSON.parse(lines[2]!) as AuditEvent;
    const { hash: _hash, ...rest } = { ...last, detail: 'nothing to see' };
    lines[2] = reseal(rest);
    await writeLines(lines);
    await fs.writeFile(headFile, JSON.stringify({ seq: 3, hash: JSON.parse(lines[2]).hash }));
    expect((await verifyAudit(appDir)).problems).toEqual([
      { kind: 'anchor', seq: 3, problem: expect.stringMatching(/event 3 is not the one the anchor recorded/) },
    ]);
  });

  it('finds an anchor that was edited or deleted', async () => {
    await appendMany(2);
    const anchor = path.join(appDir, AUDIT_ANCHOR_FILE);
    const original = await fs.readFile(anchor, 'utf8');
    await fs.writeFile(anchor, original.replace('"seq":2', '"seq":1'));
    expect((await verifyAudit(appDir)).problems).toEqual([
      { kind: 'anchor', problem: expect.stringMatching(/anchor file was altered/) },
    ]);
    await fs.rm(anchor);
    expect((await verifyAudit(appDir)).problems).toEqual([
      { kind: 'anchor', problem: expect.stringMatching(/anchor file is missing/) },
    ]);
  });

  it('appends without an anchor when the keychain fails, and verify says what is not anchored', async () => {
    await appendMany(2);
    useAuditKeychain({
      get: async () => {
        throw new Error('no Secret Service');
      },
      set: async () => {
        throw new Error('no Secret Service');
      },
    });
    await appendMany(1);
    useAuditKeychain(keychain);
    const result = await verifyAudit(appDir);
    expect(result).toMatchObject({ ok: true, events: 3, anchoredSeq: 2 });
  });
});

describe('tailAudit', () => {
  it('returns the last n events, oldest first', async () => {
    const events = await appendMany(6);
    expect(await tailAudit(appDir, 3)).toEqual(events.slice(3));
    expect(await tailAudit(appDir, 100)).toEqual(events);
    expect(await tailAudit(appDir, 0)).toEqual([]);
    expect(await tailAudit(path.join(appDir, 'nothing-here'), 5)).toEqual([]);
  });

  it('reads the end of a log larger than its read chunk correctly', async () => {
    const events: AuditEvent[] = [];
    for (let i = 1; i <= 160; i++) {
      events.push(await appendAuditEvent(appDir, { ...sample(i), detail: `${i}:${'é'.repeat(240)}` }));
    }
    expect((await fs.stat(logFile)).size).toBeGreaterThan(128 * 1024);
    expect(await tailAudit(appDir, 150)).toEqual(events.slice(10));
    expect(await tailAudit(appDir, 1)).toEqual(events.slice(-1));
  }, 60_000);
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ é: 1, Z: 2, a: 3, _: 4 })).toBe('{"Z":2,"_":4,"a":3,"é":1}');
    expect(canonicalJson('line\n"quoted"\u2028')).toBe(JSON.stringify('line\n"quoted"\u2028'));
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(null)).toBe('null');
  });

  it('refuses what has no JSON form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });

  it('does not depend on key insertion order, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(text).toBe(canonicalJson(shuffleKeys(value)));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(text).not.toMatch(/^\s|\s$/);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a stable event hash whatever order the fields were set in', () => {
    const a = { seq: 1, time: 't', user: 'u', action: 'sync' as const, outcome: 'ok' as const, prevHash: GENESIS_HASH };
    const b = { prevHash: GENESIS_HASH, outcome: 'ok' as const, action: 'sync' as const, user: 'u', time: 't', seq: 1 };
    expect(hashAuditEvent(a)).toBe(hashAuditEvent(b));
    // Pinned: a change of the canonical form would break every existing log.
    expect(canonicalJson(a)).toBe(
      `{"action":"sync","outcome":"ok","prevHash":"${GENESIS_HASH}","seq":1,"time":"t","user":"u"}`,
    );
    expect(hashAuditEvent(a)).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonicalJson(a))
        .digest('hex'),
    );
  });
});

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v)]));
}
