import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../../main/core/manifest';
import { assignNames } from '../../../main/core/names';
import { OP_TOKEN_ACCOUNT, saveOpConnectHost } from '../../../main/core/op-settings';
import { preparePlan } from '../../../main/core/sync';
import type { OpSpec, ResolveContext } from '../../../main/core/types';
import { createOpSource } from '../../../main/onepassword/source';
import { connectId, startConnectServer, type ConnectServer, type SeedVault } from '../../support/connect-server';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { rejection } from '../../support/temp';
import { currentTotp } from '../../support/totp';
import { exitCodeFor } from '../../../main/cli/exit-codes';

const TOKEN = 'connect-token-canary-0b7e';
const OTP_SECRET = 'otpauth://totp/Acme:ci?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme';
const V = {
  dbPassword: 'canary-op-dbpass-4f1c',
  prodPassword: 'canary-op-prodpass-77aa',
  apiKey: 'canary-op-apikey-e2d9',
  dbHost: 'db.canary-op.internal',
  stripe: 'canary-op-stripe-1a2b',
  dupA: 'canary-op-dup-a',
  dupB: 'canary-op-dup-b',
  hidden: 'canary-op-hidden-9999',
};
const CANARIES = [...Object.values(V), TOKEN, OTP_SECRET];
const BACKEND_ID = connectId('backend-item');

const VAULTS: SeedVault[] = [
  {
    name: 'Engineering',
    items: [
      {
        id: BACKEND_ID,
        title: 'Backend',
        category: 'DATABASE',
        version: 7,
        updatedAt: '2026-10-20T08:30:00Z',
        sections: [{ id: 'prodsection00000000000000x', label: 'prod' }],
        fields: [
          {
            id: 'dbpassfield000000000000000',
            label: 'password',
            value: V.dbPassword,
            type: 'CONCEALED',
            purpose: 'PASSWORD',
          },
          { label: 'password', value: V.prodPassword, type: 'CONCEALED', section: 'prod' },
          { label: 'api-key', value: V.apiKey, type: 'CONCEALED', section: 'prod' },
          { label: 'db.host', value: V.dbHost },
          { label: 'one-time password', value: OTP_SECRET, type: 'OTP' },
          { label: 'notesPlain', value: '', purpose: 'NOTES' },
        ],
      },
      { title: 'Stripe', version: 2, fields: [{ label: 'secret key', value: V.stripe, type: 'CONCEALED' }] },
      { title: 'Twin', fields: [{ label: 'password', value: V.dupA }] },
      { title: 'Twin', fields: [{ label: 'password', value: V.dupB }] },
    ],
  },
  { name: 'Twins', items: [] },
  { name: 'Twins', items: [] },
  {
    name: 'Secret Ops',
    inScope: false,
    items: [{ title: 'Hidden', fields: [{ label: 'password', value: V.hidden }] }],
  },
];

let server: ConnectServer;
const appDirs: string[] = [];
const newAppDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-op-app-'));
  appDirs.push(dir);
  return dir;
};
const ctx: ResolveContext = { canReuse: () => false };
let nextIndex = 0;
const spec = (ref: string, extra: Partial<OpSpec> = {}): OpSpec => ({ kind: 'op', ref, index: nextIndex++, ...extra });
const source = (
  env: NodeJS.ProcessEnv = { OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: TOKEN },
  concurrency?: number,
) =>
  createOpSource({
    keychain: memoryKeychain(),
    appDir: newAppDir(),
    env,
    concurrency,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
const values = async (refs: (string | OpSpec)[]) => {
  const result = await source().resolve(
    refs.map((r) => (typeof r === 'string' ? spec(r) : r)),
    ctx,
  );
  return result.secrets.map((s) => s.value);
};
const itemGets = () => Object.entries(server.stats().byPath).filter(([p]) => /\/items\/[a-z0-9]{26}$/.test(p));
const expectNoCanary = (text: string) => {
  for (const c of CANARIES) expect(text).not.toContain(c);
};

beforeAll(async () => {
  server = await startConnectServer({ token: TOKEN, vaults: VAULTS });
});
afterAll(async () => {
  await server.stop();
  for (const dir of appDirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  server.setFaults({});
  server.resetStats();
});

const engineering = () => server.vaults[0]!;
const backend = () => engineering().items[0]!;

describe('op: references through the real @1password/connect client', () => {
  it('resolves every reference form: vault and item by name or id, optional section, field by label or id', async () => {
    const vaultId = engineering().id;
    const apiKeyId = backend().fields[2]!.id;
    expect(
      await values([
        'op://Engineering/Backend/db.host',
        `op://${vaultId}/Backend/db.host`,
        `op://Engineering/${BACKEND_ID}/db.host`,
        `op://${vaultId}/${BACKEND_ID}/dbpassfield000000000000000`,
        'op://Engineering/Backend/prod/password',
        'op://Engineering/Backend/prodsection00000000000000x/password',
        `op://Engineering/Backend/prod/${apiKeyId}`,
        'op://Engineering/Stripe/secret key',
      ]),
    ).toEqual([V.dbHost, V.dbHost, V.dbHost, V.dbPassword, V.prodPassword, V.prodPassword, V.apiKey, V.stripe]);
  });

  it('gives the current RFC 6238 code for ?attribute=otp, and the otpauth URI without it', async () => {
    const before = currentTotp(OTP_SECRET);
    const [code, uri] = await values([
      'op://Engineering/Backend/one-time password?attribute=otp',
      'op://Engineering/Backend/one-time password',
    ]);
    expect([before, currentTotp(OTP_SECRET)]).toContain(code);
    expect(code).toMatch(/^\d{6}$/);
    expect(uri).toBe(OTP_SECRET);
  });

  it('computes the code itself when the server is older than Connect 1.5 (no totp in the field)', async () => {
    const old = await startConnectServer({ token: TOKEN, vaults: VAULTS, version: '1.4.0' });
    try {
      const src = createOpSource({
        keychain: memoryKeychain(),
        appDir: newAppDir(),
        env: { OP_CONNECT_HOST: old.url, OP_CONNECT_TOKEN: TOKEN },
      });
      const before = currentTotp(OTP_SECRET);
      const { secrets } = await src.resolve([spec('op://Engineering/Backend/one-time password?attribute=otp')], ctx);
      expect([before, currentTotp(OTP_SECRET)]).toContain(secrets[0]!.value);
    } finally {
      await old.stop();
    }
  });

  it('records the item version, updatedAt and lastEditedBy, and names a single field from its label unless as: is given', async () => {
    const { secrets } = await source().resolve(
      [spec('op://Engineering/Backend/prod/api-key'), spec('op://Engineering/Stripe/secret key', { as: 'STRIPE_KEY' })],
      ctx,
    );
    expect(secrets[0]!.meta).toEqual({
      version: '7',
      modifiedAt: '2026-10-20T08:30:00.000Z',
      modifiedBy: 'test-user-id',
    });
    expect(assignNames(secrets).named.map((n) => n.name)).toEqual(['API_KEY', 'STRIPE_KEY']);
  });

  it('imports a whole item with fields: all, naming each field <ITEM>_<FIELD> by chamber’s rule, never the OTP seed', async () => {
    const result = await source().resolve([spec('op://Engineering/Backend', { fields: 'all' })], ctx);
    expect(result.secrets.map((s) => s.sourceKey).sort()).toEqual(['api-key', 'db.host']);
    const { named } = assignNames(result.secrets);
    expect(Object.fromEntries(named.map((n) => [n.name, n.secret.value]))).toEqual({
      BACKEND_API_KEY: V.apiKey,
      BACKEND_DB_HOST: V.dbHost,
    });
    const warnings = result.warnings.join('\n');
    // Two fields labelled "password" (one per section) cannot be told apart by name: neither is imported, and we say so.
    expect(warnings).toMatch(/several fields labelled "password"/);
    // The TOTP seed outlives every code: it is left out, and the warning says how to get the code instead.
    expect(warnings).toMatch(/one-time password field "one-time password" is not imported .*totp: code/);
    expectNoCanary(warnings);
    expect(JSON.stringify(result.secrets)).not.toContain('otpauth');
  });

  it('with totp: code, writes the current code of an OTP field (also one pasted as an otpauth URI in a text field)', async () => {
    const seeded = await startConnectServer({
      token: TOKEN,
      vaults: [
        {
          name: 'Ops',
          items: [
            {
              title: 'CI Login',
              fields: [
                { label: 'username', value: 'ci-bot' },
                { label: 'otp', value: OTP_SECRET, type: 'OTP' },
                { label: 'backup otp', value: OTP_SECRET },
              ],
            },
          ],
        },
      ],
    });
    try {
      const src = createOpSource({
        keychain: memoryKeychain(),
        appDir: newAppDir(),
        env: { OP_CONNECT_HOST: seeded.url, OP_CONNECT_TOKEN: TOKEN },
      });
      const without = await src.resolve([spec('op://Ops/CI Login', { fields: 'all' })], ctx);
      expect(without.secrets.map((s) => s.sourceKey)).toEqual(['username']);
      expect(without.warnings.join('\n')).toMatch(/"otp" is not imported[^]*"backup otp" is not imported/);

      const before = currentTotp(OTP_SECRET);
      const withCodes = await src.resolve([spec('op://Ops/CI Login', { fields: 'all', totp: 'code' })], ctx);
      const values = Object.fromEntries(assignNames(withCodes.secrets).named.map((n) => [n.name, n.secret.value]));
      expect(Object.keys(values).sort()).toEqual(['CI_LOGIN_BACKUP_OTP', 'CI_LOGIN_OTP', 'CI_LOGIN_USERNAME']);
      for (const name of ['CI_LOGIN_OTP', 'CI_LOGIN_BACKUP_OTP'])
        expect([before, currentTotp(OTP_SECRET)]).toContain(values[name]);
      expect(JSON.stringify(withCodes)).not.toContain('otpauth');
    } finally {
      await seeded.stop();
    }
  });

  it('keeps the same label of two items apart by their titles, and as: maps chosen fields to names', async () => {
    const result = await source().resolve(
      [
        spec('op://Engineering/Backend', { fields: 'all', fieldNames: { 'db.host': 'DATABASE_HOST' } }),
        spec('op://Engineering/Stripe', { fields: 'all', fieldNames: { 'no such field': 'NOPE' } }),
      ],
      ctx,
    );
    const { named, errors } = assignNames(result.secrets);
    expect(errors).toEqual([]);
    expect(named.map((n) => n.name).sort()).toEqual(['BACKEND_API_KEY', 'DATABASE_HOST', 'STRIPE_SECRET_KEY']);
    expect(result.warnings.join('\n')).toMatch(
      /Stripe has no imported field labelled "no such field" \(named in as:\)/,
    );
  });

  it('fetches each item at most once per sync, whatever the number of references to it', async () => {
    await values([
      'op://Engineering/Backend/dbpassfield000000000000000',
      'op://Engineering/Backend/prod/password',
      'op://Engineering/Backend/prod/api-key',
      `op://Engineering/${BACKEND_ID}/db.host`,
      spec('op://Engineering/Backend', { fields: 'all' }),
      'op://Engineering/Stripe/secret key',
      'op://Engineering/Stripe/secret key',
    ]);
    const gets = itemGets();
    expect(gets).toHaveLength(2);
    for (const [, count] of gets) expect(count).toBe(1);
    expect(server.stats().byPath['GET /v1/vaults']).toBe(1);
    expect(server.stats().byPath[`GET /v1/vaults/${engineering().id}/items`]).toBe(1);
  });

  it('keeps requests within the concurrency cap', async () => {
    const many: SeedVault = {
      name: 'Many',
      items: Array.from({ length: 12 }, (_, i) => ({
        title: `item-${i}`,
        fields: [{ label: 'v', value: `val-${i}` }],
      })),
    };
    const busy = await startConnectServer({ token: TOKEN, vaults: [many], latencyMs: 20 });
    try {
      const src = createOpSource({
        keychain: memoryKeychain(),
        appDir: newAppDir(),
        env: { OP_CONNECT_HOST: busy.url, OP_CONNECT_TOKEN: TOKEN },
        concurrency: 3,
      });
      const { secrets } = await src.resolve(
        many.items.map((i) => spec(`op://Many/${i.title}/v`)),
        ctx,
      );
      expect(secrets.map((s) => s.value)).toEqual(many.items.map((_, i) => `val-${i}`));
      expect(busy.stats().maxInFlight).toBe(3);
    } finally {
      await busy.stop();
    }
  });

  describe('errors name the reference, never a value', () => {
    const cases: [string, string, RegExp][] = [
      [
        'op://Nowhere/Backend/password',
        'SOURCE_NOT_FOUND',
        /op:\/\/Nowhere\/Backend\/password: no vault named "Nowhere"/,
      ],
      ['op://Twins/Backend/password', 'SOURCE_FAILED', /2 vaults are named "Twins".*use the vault id/],
      ['op://Engineering/Missing/password', 'SOURCE_NOT_FOUND', /no item titled "Missing" in vault "Engineering"/],
      ['op://Engineering/Twin/password', 'SOURCE_FAILED', /2 items are titled "Twin".*use the item id/],
      ['op://Engineering/Backend/nope', 'SOURCE_NOT_FOUND', /item "Backend" has no field "nope"/],
      ['op://Engineering/Backend/staging/password', 'SOURCE_NOT_FOUND', /has no section "staging"/],
      ['op://Engineering/Backend/password', 'SOURCE_NOT_FOUND', /2 fields labelled "password"; add the section/],
      ['op://Engineering/Stripe/secret key?attribute=otp', 'SOURCE_NOT_FOUND', /is not a one-time password field/],
      [
        `op://Engineering/${connectId('no-such-item')}/password`,
        'SOURCE_NOT_FOUND',
        /not found in vault "Engineering"/,
      ],
    ];
    it.each(cases)('%s → %s', async (ref, code, message) => {
      const error = await rejection(source().resolve([spec(ref)], ctx));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(ref);
      expectNoCanary(`${error.message} ${error.hint ?? ''}`);
    });

    it('the second ambiguous Twin fixture really has the same field as the first (so the values exist)', () => {
      expect(engineering().items.filter((i) => i.title === 'Twin')).toHaveLength(2);
    });

    it('reports every failing reference at once', async () => {
      const error = await rejection(
        source().resolve(
          [
            spec('op://Engineering/Missing/x'),
            spec('op://Engineering/Backend/nope'),
            spec('op://Engineering/Stripe/secret key'),
          ],
          ctx,
        ),
      );
      expect(error.message).toMatch(/^2 1Password references failed/);
    });

    it('401: a bad token is ACCESS_DENIED with a hint to set the token', async () => {
      const error = await rejection(
        source({ OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: 'wrong-token' }).resolve(
          [spec('op://Engineering/Backend/password')],
          ctx,
        ),
      );
      expect(error.code).toBe('ACCESS_DENIED');
      expect(error.message).toMatch(/rejected the token \(401\)/);
      expect(error.hint).toMatch(/op set-token/);
      expect(`${error.message}${error.hint}`).not.toContain('wrong-token');
    });

    it('403: a vault outside the token’s scope is ACCESS_DENIED naming the reference', async () => {
      const hidden = server.vaults[3]!;
      const ref = `op://${hidden.id}/${hidden.items[0]!.id}/password`;
      const error = await rejection(source().resolve([spec(ref)], ctx));
      expect(error.code).toBe('ACCESS_DENIED');
      expect(error.message).toContain(ref);
      expectNoCanary(error.message);
    });

    it('a vault outside scope is also invisible by name', async () => {
      const error = await rejection(source().resolve([spec('op://Secret Ops/Hidden/password')], ctx));
      expect(error.code).toBe('SOURCE_NOT_FOUND');
    });

    it('no server configured and no token are SOURCE_FAILED (exit 5; 6 is a personal secret) with a hint; settings + keychain are used otherwise', async () => {
      const keychain = memoryKeychain();
      const appDir = newAppDir();
      const src = createOpSource({ keychain, appDir, env: {} });
      const noHost = await rejection(src.resolve([spec('op://Engineering/Stripe/secret key')], ctx));
      expect(noHost.code).toBe('SOURCE_FAILED');
      expect(exitCodeFor(noHost.code)).toBe(5);
      expect(noHost.hint).toMatch(/op set-host/);
      await saveOpConnectHost(appDir, `${server.url}/`);
      const noToken = await rejection(src.resolve([spec('op://Engineering/Stripe/secret key')], ctx));
      expect(noToken.code).toBe('SOURCE_FAILED');
      expect(noToken.hint).toMatch(/op set-token/);
      await keychain.set(OP_TOKEN_ACCOUNT, TOKEN);
      expect((await src.resolve([spec('op://Engineering/Stripe/secret key')], ctx)).secrets[0]!.value).toBe(V.stripe);
      // The standard variables override both.
      const overridden = createOpSource({ keychain, appDir, env: { OP_CONNECT_TOKEN: 'wrong-token' } });
      expect((await rejection(overridden.resolve([spec('op://Engineering/Stripe/secret key')], ctx))).code).toBe(
        'ACCESS_DENIED',
      );
    });
  });

  describe('faults', () => {
    it('retries 429, 500 and connection resets, then succeeds', async () => {
      server.setFaults({ next: [429, 500, 'reset'] });
      expect(await values(['op://Engineering/Backend/db.host', 'op://Engineering/Stripe/secret key'])).toEqual([
        V.dbHost,
        V.stripe,
      ]);
      expect(server.stats().faults).toEqual({ '429': 1, '500': 1, reset: 1 });
      expect(server.stats().byPath['GET /v1/vaults']).toBe(4);

      // And on the item reads themselves (by id: no listing), where two run side by side.
      server.resetStats();
      server.setFaults({ next: ['reset', 429, 500, 'reset'], match: '/items/' });
      const stripeId = engineering().items[1]!.id;
      expect(
        await values([
          `op://${engineering().id}/${BACKEND_ID}/db.host`,
          `op://${engineering().id}/${stripeId}/secret key`,
        ]),
      ).toEqual([V.dbHost, V.stripe]);
      expect(server.stats().faults).toEqual({ '429': 1, '500': 1, reset: 2 });
      expect(itemGets().reduce((n, [, c]) => n + c, 0)).toBe(6);
    });

    it('gives up after its retries with SOURCE_FAILED, and no value in the message', async () => {
      server.setFaults({ next: Array(20).fill(500), match: '/items/' });
      const error = await rejection(source().resolve([spec(`op://Engineering/${BACKEND_ID}/db.host`)], ctx));
      expect(error.code).toBe('SOURCE_FAILED');
      expect(error.message).toMatch(/answered 500/);
      expectNoCanary(error.message);
    });

    it('an unreachable server is SOURCE_FAILED naming the host', async () => {
      const gone = await startConnectServer({ token: TOKEN, vaults: [] });
      await gone.stop();
      const error = await rejection(
        source({ OP_CONNECT_HOST: gone.url, OP_CONNECT_TOKEN: TOKEN }).resolve(
          [spec('op://Engineering/Stripe/secret key')],
          ctx,
        ),
      );
      expect(error.code).toBe('SOURCE_FAILED');
      expect(error.message).toContain(gone.url);
    });
  });
});

describe('op: in a sync (engine + state + audit)', () => {
  it('plans with item versions, writes the values, and persists none of them outside the target', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-op-project-'));
    const appDir = newAppDir();
    appDirs.push(dir);
    writeFileSync(
      path.join(dir, 'latchkey.yml'),
      `version: 1
profiles:
  dev:
    target: .env
    sources:
      - op: "op://Engineering/Backend/prod/password"
        as: DB_PASSWORD
      - op: "op://Engineering/Stripe"
        fields: all
      - op: "op://Engineering/Backend/one-time password?attribute=otp"
        as: CI_OTP
`,
    );
    const manifest = await loadManifest({ dir });
    const env = { sources: { op: source() }, keychain: memoryKeychain(), appDir };
    const prepared = await preparePlan(manifest, 'dev', env);
    const planText = JSON.stringify(prepared.plan);
    expectNoCanary(planText);
    const byName = Object.fromEntries(prepared.plan.entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['CI_OTP', 'DB_PASSWORD', 'STRIPE_SECRET_KEY']);
    expect(byName.DB_PASSWORD!.meta).toMatchObject({ version: '7', modifiedAt: '2026-10-20T08:30:00.000Z' });
    expect(byName.STRIPE_SECRET_KEY!.origin!.id).toBe('op:op://Engineering/Stripe#secret key');
    await prepared.apply();
    const written = readFileSync(path.join(dir, '.env'), 'utf8');
    expect(written).toContain(V.prodPassword);
    expect(written).toContain(V.stripe);
    const files = readdirSync(appDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(1); // state, audit, HMAC key...
    for (const f of files) expectNoCanary(readFileSync(path.join(f.parentPath, f.name), 'utf8'));
  });
});
