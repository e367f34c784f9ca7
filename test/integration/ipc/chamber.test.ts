import { afterEach, describe, expect, it } from 'vitest';
import { useSeededMoto } from '../../support/aws-env';
import { ipcOverMoto, type MotoIpc } from '../../support/moto-ipc';
import { seedChamberService } from '../../support/ssm-seed';

// The service browser's IPC area through the real router, handlers and runtime, against moto: names, versions and
// users cross; the values seeded here never do.

const SERVICES = 55;
const CANARY = 'canary-service-browser-ipc-7c1e';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
`;

useSeededMoto(async (ssm) => {
  for (let i = 0; i < SERVICES; i++) {
    const service = `svc-${String(i).padStart(2, '0')}/dev`;
    await seedChamberService(ssm, service, { db_password: `${CANARY}-${i}`, log_level: `${CANARY}-level` });
  }
  await seedChamberService(ssm, 'api/dev', { database_url: `${CANARY}-url`, jwt_secret: `${CANARY}-jwt` });
  // A second write: chamber's counter and SSM's version move to 2.
  await seedChamberService(ssm, 'api/dev', { jwt_secret: `${CANARY}-jwt-2` });
});

let h: MotoIpc | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('chamber.* handlers over moto', () => {
  it("lists services, a service's keys and finds across services with the project's credentials; no value crosses", async () => {
    h = ipcOverMoto(MANIFEST);
    const projectId = await h.projectId();

    const { services } = await h.ok('chamber.listServices', { projectId });
    expect(services).toHaveLength(SERVICES + 1);
    expect(services[0]).toEqual({ service: 'api/dev', keys: 2 });
    expect(services.map((s) => s.service)).toContain('svc-54/dev');

    const { keys } = await h.ok('chamber.listKeys', { projectId, service: 'API/dev' });
    expect(keys).toEqual([
      expect.objectContaining({ service: 'api/dev', key: 'database_url', version: 1, chamberVersion: 1 }),
      expect.objectContaining({ service: 'api/dev', key: 'jwt_secret', version: 2, chamberVersion: 2 }),
    ]);
    for (const key of keys) {
      expect(key.lastModifiedUser).toBe('N/A'); // moto's LastModifiedUser
      expect(Number.isNaN(Date.parse(key.lastModified!))).toBe(false);
    }

    const found = await h.ok('chamber.find', { projectId, pattern: 'db_*' });
    expect(found.keys).toHaveLength(SERVICES);
    expect(new Set(found.keys.map((k) => k.service)).size).toBe(SERVICES);
    const scoped = await h.ok('chamber.find', { projectId, pattern: 'svc-0?/*/log_*' });
    expect(scoped.keys.map((k) => `${k.service}/${k.key}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => `svc-0${i}/dev/log_level`),
    );

    expect(JSON.stringify(h.envelopes)).not.toContain(CANARY);
  });

  it("without a project id uses the environment's credentials: here none, so a clear error and no value", async () => {
    h = ipcOverMoto(MANIFEST);
    const envelope = await h.call('chamber.listServices', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    if (!envelope.ok) expect(envelope.error.hint).toMatch(/profile/);
    expect(JSON.stringify(h.envelopes)).not.toContain(CANARY);
  });

  it('refuses a bad service, an id main did not issue and a folder path, before AWS is asked', async () => {
    h = ipcOverMoto(MANIFEST);
    const projectId = await h.projectId();
    expect(await h.call('chamber.listKeys', { projectId, service: '/api//dev' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await h.call('chamber.listKeys', { projectId: `p_${'Z'.repeat(22)}`, service: 'api/dev' })).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_NOT_OPEN' },
    });
    expect(await h.call('chamber.find', { projectId, pattern: '*', dir: '/' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
