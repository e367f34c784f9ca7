import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { appDataDir, ensureAppDataDir } from '../../../main/core/paths';
import {
  emptySyncState,
  HMAC_KEY_ACCOUNT,
  hmacMatches,
  loadOrCreateHmacKey,
  loadSyncState,
  saveSyncState,
  syncStatePath,
  valueHmac,
  type SecretStore,
  type SyncState,
} from '../../../main/core/state';
import { rejection } from '../../support/temp';

let appDir: string;

beforeEach(async () => {
  appDir = await fs.mkdtemp(path.join(os.tmpdir(), 'latchkey-state-'));
});

afterEach(async () => {
  await fs.rm(appDir, { recursive: true, force: true });
});

const key = new Uint8Array(32).fill(7);
const target = path.resolve('/projects/api/.env');

function sampleState(): SyncState {
  return {
    version: 1,
    target,
    manifest: '/projects/api/latchkey.yml',
    profile: 'dev',
    updatedAt: '2025-06-01T10:00:00.000Z',
    entries: new Map([
      [
        'DB_PASSWORD',
        {
          origin: 'chamber:api/dev#db_password',
          version: '3',
          chamberVersion: 3,
          modifiedAt: '2025-05-01T00:00:00.000Z',
          syncedAt: '2025-06-01T10:00:00.000Z',
          hmac: valueHmac(key, 'DB_PASSWORD', 'hunter2-canary'),
        },
      ],
      [
        'LOG_LEVEL',
        {
          origin: 'set#LOG_LEVEL',
          syncedAt: '2025-06-01T10:00:00.000Z',
          hmac: valueHmac(key, 'LOG_LEVEL', 'debug'),
        },
      ],
    ]),
  };
}

describe('sync state files', () => {
  it('starts empty when nothing was synced yet', async () => {
    expect(await loadSyncState(appDir, target)).toEqual(emptySyncState(target));
    expect(emptySyncState(target).entries).toEqual(new Map());
  });

  it('round-trips through a 0600 file named by a hash of the target, holding no values', async () => {
    const saved = await saveSyncState(appDir, sampleState());
    expect(await loadSyncState(appDir, target)).toEqual(saved);
    const file = syncStatePath(appDir, target);
    expect(path.dirname(file)).toBe(path.join(appDir, 'state'));
    expect(path.basename(file)).toMatch(/^[0-9a-f]{32}\.json$/);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain('hunter2-canary');
    expect(text).not.toContain('debug');
  });

  it('keeps a given updatedAt and stamps an empty one', async () => {
    expect((await saveSyncState(appDir, sampleState())).updatedAt).toBe('2025-06-01T10:00:00.000Z');
    const now = new Date('2025-07-01T00:00:00.000Z');
    const stamped = await saveSyncState(appDir, { ...sampleState(), updatedAt: '' }, now);
    expect(stamped.updatedAt).toBe(now.toISOString());
  });

  it('gives each target its own file', () => {
    expect(syncStatePath(appDir, '/a/.env')).not.toBe(syncStatePath(appDir, '/b/.env'));
    expect(syncStatePath(appDir, '/a/.env')).toBe(syncStatePath(appDir, '/a/x/../.env'));
  });

  it('reports a corrupt file with its path, what is wrong, and what deleting it does', async () => {
    const file = syncStatePath(appDir, target);
    await fs.mkdir(path.dirname(file), { recursive: true });

    await fs.writeFile(file, '{"version": 1, "target": "some-secret-looking-text');
    let error = await rejection(loadSyncState(appDir, target));
    expect(error.code).toBe('STATE_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain('some-secret-looking-text');
    expect(error.hint).toMatch(/[Dd]elete/);
    expect(error.hint).toMatch(/conflict/);

    const bad = { ...sampleState(), entries: Object.fromEntries(sampleState().entries) } as unknown as {
      entries: Record<string, Record<string, unknown>>;
    };
    bad.entries.DB_PASSWORD!.hmac = 'zz';
    await fs.writeFile(file, JSON.stringify(bad));
    error = await rejection(loadSyncState(appDir, target));
    expect(error.code).toBe('STATE_INVALID');
    expect(error.message).toContain('entries.DB_PASSWORD.hmac');

    await fs.writeFile(file, JSON.stringify({ ...sampleState(), value: 'x' }));
    expect((await rejection(loadSyncState(appDir, target))).message).toMatch(/value/);

    await fs.writeFile(file, JSON.stringify({ ...sampleState(), version: 2 }));
    expect((await rejection(loadSyncState(appDir, target))).message).toContain('version');
  });

  it('refuses a state file that belongs to another target', async () => {
    const file = syncStatePath(appDir, target);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify({ ...sampleState(), target: '/elsewhere/.env' }));
    const error = await rejection(loadSyncState(appDir, target));
    expect(error.code).toBe('STATE_INVALID');
    expect(error.message).toContain('/elsewhere/.env');
  });

  it('refuses to save an invalid state, e.g. an entry carrying a value', async () => {
    const state = sampleState();
    (state.entries.get('LOG_LEVEL') as Record<string, unknown>).value = 'debug';
    const error = await rejection(saveSyncState(appDir, state));
    expect(error.code).toBe('STATE_INVALID');
    expect(error.message).not.toContain('debug');
    await expect(fs.stat(syncStatePath(appDir, target))).rejects.toThrow();
  });
});

describe('value HMAC', () => {
  it('is hex SHA-256 sized, deterministic, and depends on key, name and value', () => {
    const mac = valueHmac(key, 'A', 'v');
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(valueHmac(key, 'A', 'v')).toBe(mac);
    expect(valueHmac(new Uint8Array(32).fill(8), 'A', 'v')).not.toBe(mac);
    expect(valueHmac(key, 'A', 'w')).not.toBe(mac);
  });

  it('binds the value to its name: equal values under two names differ', () => {
    expect(valueHmac(key, 'DB_PASSWORD', 'same')).not.toBe(valueHmac(key, 'API_TOKEN', 'same'));
    // The separator keeps name/value boundaries unambiguous.
    expect(valueHmac(key, 'AB', 'C')).not.toBe(valueHmac(key, 'A', 'BC'));
  });

  it('is a real HMAC-SHA256 over name NUL value', async () => {
    const { createHmac } = await import('node:crypto');
    expect(valueHmac(key, 'K', 'v')).toBe(createHmac('sha256', key).update('K\0v').digest('hex'));
  });

  it('matches only the right value, and never a malformed expectation', () => {
    const mac = valueHmac(key, 'A', 'v');
    expect(hmacMatches(key, 'A', 'v', mac)).toBe(true);
    expect(hmacMatches(key, 'A', 'x', mac)).toBe(false);
    expect(hmacMatches(key, 'B', 'v', mac)).toBe(false);
    expect(hmacMatches(key, 'A', 'v', mac.toUpperCase())).toBe(false);
    expect(hmacMatches(key, 'A', 'v', mac.slice(0, 63))).toBe(false);
    expect(hmacMatches(key, 'A', 'v', '')).toBe(false);
  });

  it('refuses a name containing NUL', () => {
    expect(() => valueHmac(key, 'A\0B', 'v')).toThrow(LatchkeyError);
  });
});

class MemoryStore implements SecretStore {
  readonly data = new Map<string, string>();
  sets = 0;
  async get(account: string) {
    return this.data.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.sets++;
    this.data.set(account, secret);
  }
}

describe('loadOrCreateHmacKey', () => {
  it('creates a random 32-byte key once, stores it under hmac-key, and reuses it', async () => {
    const store = new MemoryStore();
    const first = await loadOrCreateHmacKey(store);
    expect(first).toBeInstanceOf(Uint8Array);
    expect(first.length).toBe(32);
    expect(store.data.get(HMAC_KEY_ACCOUNT)).toMatch(/^[0-9a-f]{64}$/);
    const again = await loadOrCreateHmacKey(store);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(store.sets).toBe(1);
    const other = await loadOrCreateHmacKey(new MemoryStore());
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
  });

  it('uses whichever key stuck when another process created one at the same moment', async () => {
    const store = new MemoryStore();
    const winner = 'ab'.repeat(32);
    store.set = async (account) => {
      store.sets++;
      store.data.set(account, winner); // the other process's write lands last
    };
    const key = await loadOrCreateHmacKey(store);
    expect(Buffer.from(key).toString('hex')).toBe(winner);
  });

  it('refuses a malformed stored key without replacing it or echoing it', async () => {
    const store = new MemoryStore();
    store.data.set(HMAC_KEY_ACCOUNT, 'not-a-key-but-maybe-secret');
    const error = await rejection(loadOrCreateHmacKey(store));
    expect(error.code).toBe('STATE_INVALID');
    expect(error.message).toContain(HMAC_KEY_ACCOUNT);
    expect(error.message).not.toContain('not-a-key-but-maybe-secret');
    expect(error.hint).toMatch(/conflict/);
    expect(store.sets).toBe(0);
    expect(store.data.get(HMAC_KEY_ACCOUNT)).toBe('not-a-key-but-maybe-secret');
  });

  it('passes keychain failures through untouched', async () => {
    const failure = new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'locked');
    const store: SecretStore = { get: async () => Promise.reject(failure), set: async () => undefined };
    await expect(loadOrCreateHmacKey(store)).rejects.toBe(failure);
  });
});

describe('appDataDir', () => {
  it('honours LATCHKEY_HOME everywhere', () => {
    expect(appDataDir({ LATCHKEY_HOME: '/tmp/lk-home', HOME: '/home/u' }, 'linux')).toBe('/tmp/lk-home');
    expect(appDataDir({ LATCHKEY_HOME: '/tmp/lk-home' }, 'darwin')).toBe('/tmp/lk-home');
    expect(appDataDir({ LATCHKEY_HOME: 'C:\\lk', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe('C:\\lk');
  });

  it('matches Electron userData for productName Latchkey on Linux', () => {
    expect(appDataDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/Latchkey');
    expect(appDataDir({ HOME: '/home/u', XDG_CONFIG_HOME: '/xdg/conf' }, 'linux')).toBe('/xdg/conf/Latchkey');
    expect(appDataDir({ HOME: '/home/u', XDG_CONFIG_HOME: '' }, 'linux')).toBe('/home/u/.config/Latchkey');
  });

  it('matches Electron userData on macOS and Windows', () => {
    expect(appDataDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/Latchkey');
    expect(appDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Latchkey',
    );
    expect(appDataDir({ USERPROFILE: 'C:\\Users\\u' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Roaming\\Latchkey');
  });

  it('falls back to the OS home folder without HOME', () => {
    expect(appDataDir({}, 'linux')).toBe(path.posix.join(os.homedir(), '.config', 'Latchkey'));
  });

  it('creates the folder private to the user', async () => {
    const home = path.join(appDir, 'nested', 'home');
    expect(await ensureAppDataDir({ LATCHKEY_HOME: home })).toBe(home);
    expect((await fs.stat(home)).mode & 0o777).toBe(0o700);
    await fs.chmod(home, 0o755);
    await ensureAppDataDir({ LATCHKEY_HOME: home });
    expect((await fs.stat(home)).mode & 0o777).toBe(0o700);
  });
});
