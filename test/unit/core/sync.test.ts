import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TEMP_FOLDER } from '../../../main/core/atomic-write';
import { LatchkeyError } from '../../../main/core/errors';
import { tailAudit, verifyAudit } from '../../../main/core/audit';
import { parseManifest } from '../../../main/core/manifest';
import { personalSecretAccount } from '../../../main/core/keychain';
import { HMAC_KEY_ACCOUNT, loadSyncState } from '../../../main/core/state';
import { preparePlan, profileOf, resolveValues } from '../../../main/core/sync';
import type { SecretSource } from '../../../main/core/types';
import { readWithDotenv, readWithNodeParseEnv } from '../../support/env-readers';
import { memoryKeychain, offlineRuntime } from '../../support/ipc-sandbox';
import { rejection, useTempDir } from '../../support/temp';

// The sync engine offline (set and keychain sources, an in-memory keychain), for the rules that need no network.

const tmp = useTempDir('latchkey-sync-');

/** Names that every plain object already answers to: a lookup by them must find nothing unless it was defined. */
const OBJECT_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

async function project(manifest: string) {
  const dir = path.join(tmp.path, 'project');
  const appDir = path.join(tmp.path, 'home');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latchkey.yml');
  await fs.writeFile(file, manifest);
  const keychain = memoryKeychain();
  const runtime = offlineRuntime(appDir, keychain);
  const m = parseManifest(manifest, file);
  return { dir, appDir, keychain, manifest: m, env: runtime.syncEnvironment(m) };
}

describe('names that objects already have (issue 10, item 16)', () => {
  it('an unknown profile named like an object property is PROFILE_NOT_FOUND, never an internal error', async () => {
    const { manifest } = await project('version: 1\nprofiles:\n  dev:\n    sources: [{ set: { A: "1" } }]\n');
    for (const name of OBJECT_NAMES) {
      const error = await rejection(Promise.resolve().then(() => profileOf(manifest, name)));
      expect(error.code).toBe('PROFILE_NOT_FOUND');
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it('profiles named constructor and toString are ordinary profiles', async () => {
    const { manifest } = await project(
      'version: 1\nprofiles:\n  constructor:\n    target: a.env\n    sources: [{ set: { A: "1" } }]\n  toString:\n    target: b.env\n    sources: [{ set: { B: "2" } }]\n',
    );
    expect(profileOf(manifest, 'constructor').targetRel).toBe('a.env');
    expect(profileOf(manifest, 'toString').targetRel).toBe('b.env');
  });

  it('syncs, re-plans and keeps local edits of keys named like object properties', async () => {
    const { dir, appDir, keychain, manifest, env } = await project(
      [
        'version: 1',
        'profiles:',
        '  dev:',
        '    dialect: docker # the portable dialect refuses __proto__ (dotenv drops it); docker reads it',
        '    sources:',
        '      - set: { constructor: one, toString: two, valueOf: three, hasOwnProperty: four }',
        '      - keychain: __proto__',
        '',
      ].join('\n'),
    );
    await keychain.set(personalSecretAccount(manifest.path, '__proto__'), 'five');
    const first = await preparePlan(manifest, 'dev', env);
    expect(first.plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['constructor', 'add'],
      ['toString', 'add'],
      ['valueOf', 'add'],
      ['hasOwnProperty', 'add'],
      ['__proto__', 'add'],
    ]);
    await first.apply();
    const target = path.join(dir, '.env');
    const state = await loadSyncState(appDir, target);
    expect([...state.entries.keys()].sort()).toEqual(
      ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'].sort(),
    );

    // The user edits two of them; the next sync keeps both edits as conflicts and still saves its state.
    const text = await fs.readFile(target, 'utf8');
    await fs.writeFile(
      target,
      text.replace('constructor=one', 'constructor=mine').replace('__proto__=five', '__proto__=mine'),
    );
    const second = await preparePlan(manifest, 'dev', env);
    expect(second.plan.entries.filter((e) => e.status !== 'unchanged').map((e) => [e.name, e.status])).toEqual([
      ['constructor', 'conflict'],
      ['__proto__', 'conflict'],
    ]);
    await second.apply();
    const third = await preparePlan(manifest, 'dev', env);
    expect(third.plan.counts.conflict).toBe(2);
    expect(third.plan.counts.unchanged).toBe(3);
  });
});

describe('the file as its readers see it', () => {
  /** A project whose one profile sets `values` (in the portable dialect unless told), with `.env` holding `bytes`. */
  async function withFile(values: Record<string, string>, bytes: Buffer | string, dialect = 'portable') {
    const set = Object.entries(values)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(', ');
    const p = await project(
      `version: 1\nprofiles:\n  dev:\n    dialect: ${dialect}\n    sources: [{ set: { ${set} } }]\n`,
    );
    const target = path.join(p.dir, '.env');
    await fs.writeFile(target, bytes);
    await fs.chmod(target, 0o600);
    // Keys already in the file were not written by Latchkey: taking the remote value is the user's explicit choice.
    const plan = () => preparePlan(p.manifest, 'dev', p.env, { takeRemote: Object.keys(values) });
    return { ...p, target, plan };
  }

  it('keeps bytes that are not UTF-8 in lines it does not change (item 13)', async () => {
    const before = Buffer.concat([
      Buffer.from('# caf\xe9 au lait\nLOCAL=\xff\xfe raw\n', 'latin1'),
      Buffer.from('A=old\n'),
    ]);
    const { target, plan } = await withFile({ A: 'new', B: '2' }, before);
    await (await plan()).apply();
    expect((await fs.readFile(target)).toString('hex')).toBe(
      Buffer.concat([
        Buffer.from('# caf\xe9 au lait\nLOCAL=\xff\xfe raw\n', 'latin1'),
        Buffer.from('A=new\nB=2\n'),
      ]).toString('hex'),
    );
  });

  it('strips a byte order mark, says so, and does not call such a file in sync (item 10)', async () => {
    const { target, plan } = await withFile({ A: '1' }, '\ufeffA=1\n');
    const prepared = await plan();
    expect(prepared.plan.writes).toBe(true);
    expect(prepared.plan.warnings.join('\n')).toMatch(/byte order mark/);
    const result = await prepared.apply();
    expect(result.wrote).toBe(true);
    expect(result.fixes.join('\n')).toMatch(/byte order mark/);
    expect(await fs.readFile(target, 'utf8')).toBe('A=1\n');
    expect(readWithNodeParseEnv(await fs.readFile(target, 'utf8'))).toEqual({ A: '1' });
    const again = await plan();
    expect(again.plan.writes).toBe(false);
    expect(again.plan.warnings).toEqual([]);
  });

  it('appends keys where Node sees them: after a line without = and after a lone CR (item 12)', async () => {
    for (const before of ['A=1\nJUNK', 'A=1\nJUNK\n', 'A=1\nJUNK\n# trailing comment\n', 'A=1\r', 'JUNK\n']) {
      const { target, plan } = await withFile({ B: '2' }, before);
      await (await plan()).apply();
      const after = await fs.readFile(target, 'utf8');
      expect(readWithNodeParseEnv(after).B, JSON.stringify(before)).toBe('2');
      expect(readWithDotenv(after).B, JSON.stringify(before)).toBe('2');
      if (before.startsWith('A=1')) expect(readWithNodeParseEnv(after).A, JSON.stringify(before)).toBe('1');
      await fs.rm(path.dirname(target), { recursive: true });
    }
  });

  it('warns of a line without = that hides the next key from Node (item 12)', async () => {
    const { plan } = await withFile({ A: '1' }, 'JUNK\nA=1\n');
    const prepared = await plan();
    expect(prepared.plan.warnings.join('\n')).toMatch(/line 1 has no "=".*hides A/);
  });

  it('makes an in-sync file private again and says so (item 14)', async () => {
    const { target, plan } = await withFile({ A: '1' }, 'A=1\n');
    await fs.chmod(target, 0o644);
    const prepared = await plan();
    expect(prepared.plan.writes).toBe(true);
    expect(prepared.plan.warnings.join('\n')).toMatch(/mode 0644, so others than you may read it/);
    const result = await prepared.apply();
    expect(result.fixes.join('\n')).toMatch(/0644.*0600/);
    expect((await fs.stat(target)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(target, 'utf8')).toBe('A=1\n');
  });

  it('keeps the export prefix of a key it rewrites (item 23)', async () => {
    const { target, plan } = await withFile({ A: 'new', B: 'two' }, 'export A=old\n  export\t B=old # note\n');
    await (await plan()).apply();
    const after = await fs.readFile(target, 'utf8');
    // Respelled the one way Node reads too: leading spaces kept, `export` and one space.
    expect(after).toBe('export A=new\n  export B=two\n');
    expect(readWithNodeParseEnv(after)).toEqual({ A: 'new', B: 'two' });
  });
});

describe('nothing lands in the target without a record of it (issue 10, item 9)', () => {
  const MANIFEST = 'version: 1\nprofiles:\n  dev:\n    sources: [{ set: { A: "new-canary" } }]\n';

  async function synced() {
    const p = await project(MANIFEST);
    const target = path.join(p.dir, '.env');
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    await fs.writeFile(target, 'A=old\n');
    const before = await fs.readFile(target, 'utf8');
    const plan = () => preparePlan(p.manifest, 'dev', p.env, { takeRemote: ['A'] });
    return { ...p, target, before, plan };
  }

  const untouched = async (target: string, before: string) => {
    expect(await fs.readFile(target, 'utf8')).toBe(before);
    expect(await fs.readdir(path.join(path.dirname(target), TEMP_FOLDER))).toEqual(['.gitignore']);
  };

  it('records an intent before the rename and the outcome after it', async () => {
    const { appDir, target, plan } = await synced();
    await (await plan()).apply();
    expect(await fs.readFile(target, 'utf8')).toBe('A=new-canary\n');
    const events = await tailAudit(appDir, 2);
    expect(events.map((e) => [e.action, e.outcome, e.keys])).toEqual([
      ['sync', 'intent', ['A']],
      ['sync', 'ok', ['A']],
    ]);
  });

  it('refuses before touching the target when the audit log cannot be extended (a deleted head)', async () => {
    const { appDir, target, before, plan } = await synced();
    const prepared = await plan();
    await fs.rm(path.join(appDir, 'audit.head'));
    expect((await rejection(prepared.apply())).code).toBe('AUDIT_BROKEN');
    await untouched(target, before);
  });

  it('refuses before touching the target when the state cannot be written', async () => {
    const { appDir, target, before, plan } = await synced();
    const prepared = await plan();
    await fs.rm(path.join(appDir, 'state'), { recursive: true });
    await fs.writeFile(path.join(appDir, 'state'), 'not a folder');
    const error = await rejection(prepared.apply());
    expect(['STATE_INVALID', 'WRITE_FAILED']).toContain(error.code);
    await untouched(target, before);
    expect((await tailAudit(appDir, 1))[0]).toMatchObject({ action: 'sync', outcome: 'error' });
  });

  it('refuses before touching the target when the app-data folder is full', async (ctx) => {
    const { appDir, target, before, plan } = await synced();
    const prepared = await plan();
    const full = await fillAppData(appDir);
    if (!full) {
      console.log('skipped: cannot mount a small tmpfs here (needs root and mount rights) to fill app data');
      ctx.skip();
    }
    try {
      const error = await rejection(prepared.apply());
      expect(error.code).toBe('WRITE_FAILED');
      expect(error.message).toMatch(/app-data folder .* full|no space/i);
      await untouched(target, before);
    } finally {
      await full!.release();
    }
  });

  it('writes and records a sync that changes 130,000 keys', async () => {
    const count = 130_000;
    const p = await project('version: 1\nprofiles:\n  dev:\n    sources: [{ set: { K_0: "x" } }]\n');
    const many: SecretSource<'set'> = {
      kind: 'set',
      async resolve(specs) {
        const spec = specs[0]!;
        return {
          secrets: Array.from({ length: count }, (_, i) => ({ spec, sourceKey: `K_${i}`, value: `v${i}`, meta: {} })),
          warnings: [],
        };
      },
    };
    const env = { ...p.env, sources: { set: many } };
    const result = await (await preparePlan(p.manifest, 'dev', env)).apply();
    expect(result.plan.counts.add).toBe(count);
    const events = await tailAudit(p.appDir, 2);
    expect(events.map((e) => [e.outcome, e.keys?.length])).toEqual([
      ['intent', count],
      ['ok', count],
    ]);
    expect((await verifyAudit(p.appDir)).ok).toBe(true);
  }, 120_000);
});

/** Moves the app-data folder onto a tiny tmpfs and fills it; undefined where mounting is not allowed. */
async function fillAppData(appDir: string): Promise<{ release(): Promise<void> } | undefined> {
  const copy = `${appDir}.saved`;
  await fs.cp(appDir, copy, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', appDir], { stdio: 'ignore' });
  } catch {
    await fs.rm(copy, { recursive: true });
    return undefined;
  }
  await fs.cp(copy, appDir, { recursive: true });
  // Fill what is left, leaving less than one audit event's worth.
  const filler = path.join(appDir, 'filler');
  try {
    await fs.writeFile(filler, Buffer.alloc(512 * 1024));
  } catch {
    // ENOSPC: full, as intended.
  }
  return {
    async release() {
      execFileSync('umount', [appDir]);
      await fs.rm(copy, { recursive: true });
    },
  };
}

describe('values for exec (issue 10, item 6)', () => {
  it('refuses a value holding a NUL by name, without quoting it', async () => {
    const { manifest, env } = await project(
      'version: 1\nprofiles:\n  dev:\n    dialect: shell\n    sources: [{ set: { OK: "fine", BAD: "x\\0nul-canary-7" } }]\n',
    );
    const error = await rejection(resolveValues(manifest, 'dev', env));
    expect(error.code).toBe('PLAN_HAS_ERRORS');
    expect(error.message).toMatch(/BAD: the value holds a NUL character/);
    expect(error.message).not.toContain('nul-canary-7');
  });
});

describe('the HMAC key and the reads (issue 12: start-up)', () => {
  const MANIFEST = 'version: 1\nprofiles:\n  dev:\n    sources:\n      - set: { A: "1" }\n      - keychain: token\n';

  /** A project whose HMAC key read waits for `release()`, and whose set source notes each time it is asked. */
  async function gatedProject() {
    const p = await project(MANIFEST);
    await p.keychain.set(personalSecretAccount(p.manifest.path, 'token'), 'personal-1');
    let release = () => {};
    let gate = Promise.resolve();
    const read = p.keychain.get.bind(p.keychain);
    p.keychain.get = async (account) => {
      if (account === HMAC_KEY_ACCOUNT) await gate;
      return read(account);
    };
    const asked: string[] = [];
    const set = p.env.sources.set;
    if (!set) throw new Error('the offline runtime has a set source');
    p.env.sources.set = {
      kind: 'set',
      resolve: (specs, ctx) => {
        asked.push('set');
        return set.resolve(specs, ctx);
      },
    };
    const holdKey = () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    };
    return { ...p, asked, holdKey, release: () => release() };
  }

  it('a first plan reads its sources while the keychain is still answering', async () => {
    const p = await gatedProject();
    p.holdKey();
    const planning = preparePlan(p.manifest, 'dev', p.env);
    await vi.waitFor(() => expect(p.asked).toEqual(['set']));
    p.release();
    const prepared = await planning;
    expect(prepared.plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['A', 'add'],
      ['token', 'add'],
    ]);
    await prepared.apply();
    // Tracked: the state it wrote holds the entries, so the key was there for the plan.
    expect([...(await loadSyncState(p.appDir, path.join(p.dir, '.env'))).entries.keys()].sort()).toEqual([
      'A',
      'token',
    ]);
  });

  it('a plan with sync state waits for the key before any read, as it may reuse values', async () => {
    const p = await gatedProject();
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    p.asked.length = 0;
    p.holdKey();
    const planning = preparePlan(p.manifest, 'dev', p.env);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(p.asked).toEqual([]);
    p.release();
    const prepared = await planning;
    expect(p.asked).toEqual(['set']);
    expect(prepared.plan.entries.every((e) => e.status === 'unchanged')).toBe(true);
  });

  it("the keychain's failure is reported before a source's, as when the key was read first", async () => {
    const p = await gatedProject();
    const read = p.keychain.get.bind(p.keychain);
    p.keychain.get = async (account) => {
      if (account === HMAC_KEY_ACCOUNT) throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'no Secret Service');
      return read(account);
    };
    p.env.sources.set = {
      kind: 'set',
      resolve: async () => {
        throw new LatchkeyError('SOURCE_FAILED', 'set: unreachable');
      },
    };
    const error = await rejection(preparePlan(p.manifest, 'dev', p.env));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
  });
});
