import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type ManifestView } from '../../../../contract/ipc';
import {
  actionLabel,
  auditPlace,
  auditText,
  foldIntents,
  parseCounts,
  type AuditRow,
  type KnownProject,
} from '../../../../renderer/lib/audit-text';

const manifest = (dir: string, profiles: [string, string][]): ManifestView => ({
  path: `${dir}/latchkey.yml`,
  dir,
  aws: {},
  maxAgeDays: 90,
  profiles: profiles.map(([name, target]) => ({ name, target, dialect: 'portable', maxAgeDays: 90, sources: [] })),
});

const KNOWN: KnownProject[] = [
  { name: 'acme-api', dir: '/work/acme-api', manifest: manifest('/work/acme-api', [['dev', '.env']]) },
  {
    name: 'acme-web',
    dir: '/work/acme-web',
    manifest: manifest('/work/acme-web', [
      ['dev', '.env.local'],
      ['ci', '.env.ci'],
    ]),
  },
  { name: 'nested', dir: '/work/acme-api/packages/nested' },
];

const row = (patch: Partial<AuditRow>): AuditRow => ({
  seq: 1,
  time: '2026-01-01T10:00:00Z',
  user: 'dev',
  action: 'sync',
  outcome: 'ok',
  ...patch,
});

describe('auditPlace', () => {
  it('names the project that holds the target, the deepest one when projects nest', () => {
    expect(auditPlace(row({ target: '/work/acme-api/.env', profile: 'dev' }), KNOWN)).toEqual({
      project: 'acme-api',
      profile: 'dev',
      file: 'acme-api/.env',
    });
    expect(auditPlace(row({ target: '/work/acme-api/packages/nested/.env' }), KNOWN)).toMatchObject({
      project: 'nested',
      file: 'nested/.env',
    });
    // A folder that only shares a prefix is not inside.
    expect(auditPlace(row({ target: '/work/acme-api-old/.env' }), KNOWN)).toMatchObject({
      project: 'acme-api-old',
      file: 'acme-api-old/.env',
    });
  });

  it('without a target, finds the project by profile name, or lists the candidates', () => {
    expect(auditPlace(row({ profile: 'ci' }), KNOWN)).toEqual({
      project: 'acme-web',
      profile: 'ci',
      file: 'acme-web/.env.ci',
    });
    expect(auditPlace(row({ profile: 'dev' }), KNOWN)).toEqual({
      profile: 'dev',
      candidates: ['acme-api', 'acme-web'],
    });
    expect(auditPlace(row({ profile: 'nowhere' }), KNOWN)).toEqual({ profile: 'nowhere' });
    expect(auditPlace(row({}), KNOWN)).toEqual({});
  });
});

describe('foldIntents', () => {
  const at = (seq: number, outcome: string, target = '/p/.env', profile = 'dev') =>
    row({ seq, outcome, target, profile });

  it('keeps one row per sync: the intent goes when its outcome follows', () => {
    const events = [at(1, 'intent'), at(2, 'ok'), at(3, 'intent'), at(4, 'error')];
    expect(foldIntents(events).map((e) => e.seq)).toEqual([2, 4]);
  });

  it('keeps an intent with no outcome after it, newest first or oldest first', () => {
    const events = [at(4, 'intent'), at(3, 'ok'), at(2, 'intent', '/q/.env'), at(1, 'intent')];
    // seq 1's outcome is seq 3; seq 2 (another file) and seq 4 (only an earlier outcome) have none.
    expect(foldIntents(events).map((e) => e.seq)).toEqual([4, 3, 2]);
  });

  it("does not take another file's or profile's outcome for the intent's", () => {
    const events = [at(1, 'intent', '/p/.env', 'dev'), at(2, 'ok', '/p/.env', 'ci'), at(3, 'ok', '/q/.env', 'dev')];
    expect(foldIntents(events).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('auditText', () => {
  it('says what a sync did to which file', () => {
    const place = { project: 'acme-api', file: 'acme-api/.env' };
    expect(parseCounts('add 12, unchanged 3')).toEqual({ add: 12, unchanged: 3 });
    expect(auditText(row({ detail: 'add 12' }), place)).toEqual({
      title: 'Synced',
      sentence: '12 added to acme-api/.env',
    });
    expect(auditText(row({ detail: 'change 2, remove 1, unchanged 9, conflict 1' }), place).sentence).toBe(
      '2 updated and 1 removed in acme-api/.env; 1 local edit kept, 9 already in sync',
    );
    expect(auditText(row({ detail: 'unchanged 4' }), { file: '.env' }).sentence).toBe(
      '.env was already up to date (4 keys in sync)',
    );
  });

  it('turns a failure code into words and says nothing was written', () => {
    expect(auditText(row({ outcome: 'error', detail: 'SOURCE_FAILED' }), { file: '.env' })).toEqual({
      title: 'Sync failed',
      sentence: 'A source could not be read: nothing was written to .env',
    });
    expect(auditText(row({ action: 'reveal', outcome: 'cancelled' }), {})).toEqual({ title: 'Reveal cancelled' });
  });

  it('shows an intent left without an outcome as a write that did not finish', () => {
    expect(auditText(row({ outcome: 'intent', detail: 'writing' }), { file: '.env' })).toEqual({
      title: 'Sync not finished',
      sentence: 'Latchkey was about to write .env and recorded no outcome; check .env and sync again',
    });
  });

  it('has a title and a noun for every action the contract knows, and shows unknown ones as written', () => {
    for (const action of AUDIT_ACTIONS) {
      const ok = auditText(row({ action }), {});
      const failed = auditText(row({ action, outcome: 'error' }), {});
      expect(ok.title).not.toBe(action);
      expect(failed.title).toMatch(/ failed$/);
      expect(actionLabel(action)).not.toBe(action);
    }
    expect(auditText(row({ action: 'vault.unseal' }), {}).title).toBe('Vault.unseal');
    // Names that happen to be properties of every object are still unknown actions.
    expect(auditText(row({ action: 'constructor' }), {}).title).toBe('Constructor');
    expect(actionLabel('toString')).toBe('toString');
  });
});
