import { GetParameterCommand, LabelParameterVersionCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { recordProject } from '../../../main/core/projects';
import { useSeededMoto } from '../../support/aws-env';
import { makeProject, readTree } from '../../support/cli';
import { ipcOverMoto, type MotoIpc } from '../../support/moto-ipc';
import { seedChamberService } from '../../support/ssm-seed';

// The key drawer's methods through the real router and handlers, against moto: what is behind a key (history,
// policy, impact), a typed value written over the version shown, and a rotation with its steps; no value ever
// crosses back to the window.

const OLD = 'canary-shared-old-61d0';
const TYPED = 'canary-shared-typed-a7c4';
const OTHER = 'canary-shared-other-0f5e';
const NAME = '/api/dev/db_password';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
        generate: { length: 24, charset: alphanumeric }
      - set: { LOG_LEVEL: debug }
  ci:
    target: ci.env
    sources:
      - chamber: api/dev
        only: [db_password]
`;

const ssm = useSeededMoto((client) => seedChamberService(client, 'api/dev', { db_password: OLD }));

let h: MotoIpc | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function current() {
  const out = await ssm.send(new GetParameterCommand({ Name: NAME, WithDecryption: true }));
  return { version: out.Parameter?.Version, value: out.Parameter?.Value };
}

function expectNoValues(haystack: string, values: (string | undefined)[]) {
  for (const v of values) if (v) expect(haystack.includes(v), 'a value crossed back').toBe(false);
}

describe('sharedSecrets.* through the router', () => {
  it('describe: the parameter, its history with labels, the policy and the other profiles that read it', async () => {
    await ssm.send(new PutParameterCommand({ Name: NAME, Value: OTHER, Type: 'SecureString', Overwrite: true }));
    await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 2, Labels: ['prod-ready'] }));
    h = ipcOverMoto(MANIFEST);
    // Another project among the recent ones reads the same parameter.
    const elsewhere = makeProject(MANIFEST.replace('  ci:', '  staging:'));
    await recordProject(h.project.home, elsewhere.root, new Date('2020-01-01T00:00:00Z'));
    const projectId = await h.projectId();

    const view = await h.ok('sharedSecrets.describe', { projectId, profile: 'dev', key: 'DB_PASSWORD' });
    expect(view).toMatchObject({
      key: 'DB_PASSWORD',
      parameter: NAME,
      sourceKind: 'chamber',
      version: 2,
      policy: { length: 24, charset: 'alphanumeric' },
    });
    expect(view.history.map((e) => [e.version, e.labels])).toEqual([
      [1, []],
      [2, ['prod-ready']],
    ]);
    expect(view.lastModified).toMatch(/^\d{4}-/);
    expect(view.otherUses).toEqual(
      expect.arrayContaining([
        { project: h.project.root, profile: 'ci' },
        { project: elsewhere.root, profile: 'dev' },
        { project: elsewhere.root, profile: 'staging' },
      ]),
    );
    expect(view.otherUses).toHaveLength(3);
    expectNoValues(JSON.stringify(h.envelopes), [OLD, OTHER]);

    const notShared = await h.call('sharedSecrets.describe', { projectId, profile: 'dev', key: 'LOG_LEVEL' });
    expect(notShared).toMatchObject({ ok: false, error: { code: 'SOURCE_NOT_FOUND' } });
  });

  it('write: the typed value lands over the version shown, and only versions come back', async () => {
    h = ipcOverMoto(MANIFEST);
    const projectId = await h.projectId();
    const written = await h.ok('sharedSecrets.write', {
      projectId,
      profile: 'dev',
      key: 'DB_PASSWORD',
      value: TYPED,
      ifVersion: 1,
    });
    expect(written).toEqual({
      key: 'DB_PASSWORD',
      parameter: NAME,
      previousVersion: 1,
      version: 2,
      otherUses: [{ project: h.project.root, profile: 'ci' }],
    });
    expect(await current()).toEqual({ version: 2, value: TYPED });
    expectNoValues(JSON.stringify(h.envelopes), [TYPED, OLD]);
    for (const file of readTree(h.project.home)) expectNoValues(file.text, [TYPED, OLD]);
  });

  it('write over a version someone else replaced: refused, naming both versions, who and when', async () => {
    h = ipcOverMoto(MANIFEST);
    const projectId = await h.projectId();
    await ssm.send(new PutParameterCommand({ Name: NAME, Value: OTHER, Type: 'SecureString', Overwrite: true }));
    const refused = await h.call('sharedSecrets.write', {
      projectId,
      profile: 'dev',
      key: 'DB_PASSWORD',
      value: TYPED,
      ifVersion: 1,
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('VERSION_CONFLICT');
    expect(refused.error.message).toMatch(/is at version 2, not 1: it was changed (by \S+ )?at \d{4}-\d\d-\d\dT/);
    expect(refused.error.message).toContain('nothing was written');
    expect(await current()).toEqual({ version: 2, value: OTHER });
    expectNoValues(JSON.stringify(h.envelopes), [TYPED, OTHER]);
  });

  it('rotate: each step is announced, the version advances, the value stays in main', async () => {
    h = ipcOverMoto(MANIFEST);
    const projectId = await h.projectId();
    const result = await h.ok('sharedSecrets.rotate', { projectId, profile: 'dev', key: 'DB_PASSWORD', sync: true });
    expect(result).toMatchObject({ key: 'DB_PASSWORD', previousVersion: 1, version: 2, sync: { ok: true } });
    const steps = h.events.filter((e) => e.event === 'sharedSecrets.progress').map((e) => e.payload);
    expect(steps).toEqual(
      ['read', 'generate', 'write', 'audit', 'sync'].map((step) => ({ profile: 'dev', key: 'DB_PASSWORD', step })),
    );
    const now = await current();
    expect(now.version).toBe(2);
    expect(now.value).toMatch(/^[A-Za-z0-9]{24}$/);
    expectNoValues(JSON.stringify(h.envelopes), [now.value, OLD]);
    expectNoValues(JSON.stringify(h.events), [now.value, OLD]);
  });
});
