import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unpackPlan, type PackedPlan } from '../../../contract/plan-packing';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { readTree } from '../../support/cli';
import { readWithDotenv } from '../../support/env-readers';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { ipcOverMoto, type MotoIpc } from '../../support/moto-ipc';
import { seedChamberService } from '../../support/ssm-seed';

// The IPC path end to end, as the app's window drives it: the real router, handlers and runtime, against moto
// (SSM and STS) and the real keyring (this file runs under test/support/with-keyring.sh).

const API_DEV = {
  database_url: 'postgres://app:canary-db-pass@db.internal:5432/app',
  'jwt-secret': 'canary-jwt-7f3a9c2e',
  quote_double: 'say "canary-q2"',
};
const STRIPE = 'sk_test_canary_stripe_51';
const GITHUB = 'ghp_canaryPersonalToken99';
const CANARIES = [...Object.values(API_DEV), STRIPE, GITHUB];

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    description: Local development
    target: .env
    sources:
      - chamber: api/dev
      - ssm: /legacy/stripe_key
        as: STRIPE_SECRET_KEY
      - keychain: GITHUB_TOKEN
      - set: { LOG_LEVEL: debug }
`;

useSeededMoto(async (ssm) => {
  await seedChamberService(ssm, 'api/dev', API_DEV);
  await ssm.send(
    new PutParameterCommand({ Name: '/legacy/stripe_key', Value: STRIPE, Type: 'SecureString', Overwrite: true }),
  );
});

function harness(endpoint: string = motoEndpoint(), manifest = MANIFEST): MotoIpc {
  return ipcOverMoto(manifest, endpoint);
}

let h: MotoIpc | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('IPC handlers against moto and the keyring', () => {
  it('open → readiness → setPersonal → plan → sync → reveal → audit.tail, and the canaries cross only in the reveal', async () => {
    h = harness();
    const dir = h.project.root;
    const target = path.join(dir, '.env');

    const { picked } = await h.ok('projects.pick', {});
    expect(picked).toEqual({ projectId: expect.stringMatching(/^p_/), dir });
    const projectId = picked!.projectId;
    expect((await h.ok('projects.open', { projectId })).project).toMatchObject({ id: projectId, dir, state: 'ok' });
    const view = await h.ok('manifest.read', { projectId });
    expect(view.manifest.profiles.map((p) => p.name)).toEqual(['dev']);

    const first = await h.ok('readiness', { projectId, profile: 'dev' });
    expect(first.items.map((i) => [i.id, i.state])).toEqual([
      ['manifest', 'ok'],
      ['aws', 'ok'],
      ['keychain:GITHUB_TOKEN', 'missing'],
      ['aws-sessions', 'ok'],
      ['gitignore', 'ok'],
    ]);
    expect(first.items[1]!.detail).toMatch(/^signed in to account \d{12}/);
    expect(first.items[3]!.detail).toBe('long-lived credentials');
    expect(first.items[2]!.action).toBe('set-personal:GITHUB_TOKEN');

    // The missing personal secret is one row of the whole plan; the other keys are planned as usual.
    const partial = { plan: await unpackPlan((await h.ok('plan', { projectId, profile: 'dev' })).plan) };
    expect(partial.plan.entries.find((e) => e.name === 'GITHUB_TOKEN')?.status).toBe('needs-input');
    expect(partial.plan.counts['needs-input']).toBe(1);
    expect(partial.plan.counts.add).toBe(5);
    // A sync cannot write without it, and says which one.
    expect(await h.call('sync', { projectId, profile: 'dev' })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', missing: ['GITHUB_TOKEN'] },
    });
    await h.ok('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    const ready = await h.ok('readiness', { projectId, profile: 'dev' });
    expect(ready.items.every((i) => i.state === 'ok' || i.state === 'unavailable')).toBe(true);

    const plan = await unpackPlan((await h.ok('plan', { projectId, profile: 'dev' })).plan);
    expect(plan.counts.add).toBe(6);
    expect(plan.entries.map((e) => e.name).sort()).toEqual([
      'DATABASE_URL',
      'GITHUB_TOKEN',
      'JWT_SECRET',
      'LOG_LEVEL',
      'QUOTE_DOUBLE',
      'STRIPE_SECRET_KEY',
    ]);
    expect(existsSync(target)).toBe(false);

    const synced = await h.ok('sync', { projectId, profile: 'dev' });
    expect(synced.wrote).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readWithDotenv(readFileSync(target, 'utf8'))).toEqual({
      DATABASE_URL: API_DEV.database_url,
      JWT_SECRET: API_DEV['jwt-secret'],
      QUOTE_DOUBLE: API_DEV.quote_double,
      STRIPE_SECRET_KEY: STRIPE,
      GITHUB_TOKEN: GITHUB,
      LOG_LEVEL: 'debug',
    });
    const progress = h.events
      .filter((e) => e.event === 'sync.progress')
      .map((e) => e.payload as { phase: string; done: number; total: number });
    expect(progress.some((p) => p.phase === 'resolving' && p.total > 0)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done' });

    expect(await h.ok('secrets.reveal', { projectId, profile: 'dev', name: 'JWT_SECRET' })).toEqual({
      name: 'JWT_SECRET',
      value: API_DEV['jwt-secret'],
    });
    await h.ok('settings.set', { settings: { theme: 'dark' } });

    const { events } = await h.ok('audit.tail', { limit: 20 });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['secret.set', 'ok'],
      ['sync', 'intent'],
      ['sync', 'ok'],
      ['reveal', 'ok'],
      ['settings.change', 'ok'],
    ]);
    expect(events[3]).toMatchObject({ profile: 'dev', keys: ['JWT_SECRET'] });

    // The canary check: no seeded value in any envelope but the reveal's, nor in any event, nor in app data.
    for (const { method, envelope } of h.envelopes) {
      const text = JSON.stringify(envelope);
      for (const canary of CANARIES) {
        if (method === 'secrets.reveal' && canary === API_DEV['jwt-secret']) continue;
        expect(text, `${method} carried a seeded value`).not.toContain(canary);
      }
    }
    expect(JSON.stringify(h.events)).not.toMatch(/canary/);
    const files = readTree(h.project.home);
    expect(files.map((f) => path.relative(h!.project.home, f.file)).sort()).toEqual(
      expect.arrayContaining(['audit.head', 'audit.jsonl', 'projects.json', 'settings.json']),
    );
    expect(files.some((f) => f.file.includes(`${path.sep}state${path.sep}`))).toBe(true);
    for (const { file, text } of files) {
      for (const canary of CANARIES) expect(text, file).not.toContain(canary);
    }
  });

  it('a source that is refused marks the app’s plan (named, ACCESS_DENIED), fails the sync, and writes nothing', async () => {
    const proxy: FaultProxy = await startFaultProxy({
      target: motoEndpoint(),
      deny: ['AmazonSSM.GetParameters', 'AmazonSSM.GetParameter', 'AmazonSSM.GetParametersByPath'],
    });
    try {
      h = harness(proxy.url);
      const dir = h.project.root;
      const projectId = await h.projectId();
      await h.ok('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
      // The app's plan stands with what could be read; each refused source is named with its code (issue 14,
      // item 1). Never synced, they have no last-known rows.
      const planned = await h.call('plan', { projectId, profile: 'dev' });
      expect(planned.ok).toBe(true);
      const plan = await unpackPlan((planned as { ok: true; value: { plan: PackedPlan } }).value.plan);
      expect(plan.offline?.length).toBeGreaterThan(0);
      expect(plan.offline?.every((o) => o.code === 'ACCESS_DENIED')).toBe(true);
      expect(plan.offline?.map((o) => `${o.kind} ${o.refs.join(',')}`).join(' ')).toMatch(/api\/dev|stripe_key/);
      expect(JSON.stringify(planned)).not.toMatch(/canary/);
      // A sync cannot write a partial plan: it fails as before, naming the source.
      const envelope = await h.call('sync', { projectId, profile: 'dev' });
      expect(envelope.ok).toBe(false);
      const error = (envelope as { ok: false; error: { code: string; message: string } }).error;
      expect(['ACCESS_DENIED', 'SOURCE_FAILED']).toContain(error.code);
      expect(error.message).toMatch(/api\/dev|stripe_key/);
      expect(JSON.stringify(envelope)).not.toMatch(/canary/);
      expect(existsSync(path.join(dir, '.env'))).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it("readiness says when the manifest's AWS profile has no credentials", async () => {
    h = harness(motoEndpoint(), MANIFEST.replace('profile: acme-dev', 'profile: nobody'));
    const { items } = await h.ok('readiness', { projectId: await h.projectId(), profile: 'dev' });
    expect(items.find((i) => i.id === 'aws')).toMatchObject({
      state: 'error',
      label: 'AWS credentials for profile nobody (us-east-1)',
    });
    expect(items.find((i) => i.id === 'aws')!.detail).toContain('no AWS credentials found for profile nobody');
  });
});
