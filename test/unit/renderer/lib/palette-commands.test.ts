import { describe, expect, it } from 'vitest';
import type { AwsProfileView, ProjectSummary } from '../../../../contract/ipc';
import type { Plan } from '../../../../contract/plan';
import {
  derivePaletteCommands,
  type PaletteCommand,
  type PaletteSnapshot,
  type ProfileActivity,
} from '../../../../renderer/lib/palette-commands';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const inHours = (h: number) => new Date(NOW + h * 3_600_000).toISOString();

const project = (name: string, state: ProjectSummary['state'] = 'ok'): ProjectSummary => ({
  id: `p-${name}`,
  dir: `/work/${name}`,
  name,
  manifestPath: `/work/${name}/latchkey.yml`,
  lastOpened: '2026-12-01T00:00:00Z',
  state,
});

const aws = (name: string, kind: AwsProfileView['kind'], session: Partial<AwsProfileView['session']> = {}) =>
  ({
    name,
    kind,
    region: 'eu-west-1',
    latchkeyProcess: false,
    isDefault: false,
    session: { active: false, managed: false, ...session },
  }) satisfies AwsProfileView;

function plan(counts: Partial<Plan['counts']>, extra: Partial<Plan> = {}): Plan {
  return {
    profile: 'dev',
    manifestPath: '/work/api/latchkey.yml',
    target: '.env',
    dialect: 'portable',
    entries: [],
    files: [],
    counts,
    warnings: [],
    gitignoreNeeded: false,
    writes: true,
    ...extra,
  } as Plan;
}

function snapshot(over: Partial<PaletteSnapshot> = {}): PaletteSnapshot {
  return {
    screen: 'projects',
    projectDir: null,
    profile: null,
    projects: [project('api'), project('web'), project('gone', 'missing')],
    manifests: {
      '/work/api': {
        status: 'ready',
        manifest: {
          profiles: [
            { name: 'dev', target: '.env' },
            { name: 'prod', target: '.env.prod' },
          ],
        },
      },
      '/work/web': { status: 'ready', manifest: { profiles: [{ name: 'dev', target: '.env' }] } },
    },
    activity: {},
    aws: { profiles: [], busy: {} },
    logins: [],
    theme: 'system',
    now: NOW,
    ...over,
  };
}

const byId = (commands: PaletteCommand[], id: string) => commands.find((c) => c.id === id);
const ids = (commands: PaletteCommand[]) => commands.map((c) => c.id);
const activity = (a: Partial<ProfileActivity>): ProfileActivity => ({
  plan: { status: 'idle' },
  sync: { status: 'idle' },
  ...a,
});

describe('palette commands: projects and profiles', () => {
  it('offers Sync and Plan for every profile of every recent project, from any screen', () => {
    const commands = derivePaletteCommands(snapshot({ screen: 'aws' }));
    const sync = byId(commands, 'sync:/work/web:dev');
    expect(sync).toMatchObject({
      label: 'Sync web ▸ dev',
      group: 'Profiles',
      action: { kind: 'sync', dir: '/work/web', profile: 'dev' },
    });
    expect(sync?.disabled).toBeUndefined();
    expect(byId(commands, 'plan:/work/api:prod')?.label).toBe('Plan api ▸ prod');
    expect(byId(commands, 'profile:/work/api:prod')?.action).toEqual({
      kind: 'open-profile',
      dir: '/work/api',
      profile: 'prod',
    });
  });

  it('gives the profile on screen short labels under "This profile", with the same ids', () => {
    const commands = derivePaletteCommands(snapshot({ projectDir: '/work/api', profile: 'dev' }));
    expect(byId(commands, 'sync:/work/api:dev')).toMatchObject({ label: 'Sync dev', group: 'This profile' });
    expect(byId(commands, 'plan:/work/api:dev')).toMatchObject({ label: 'Plan dev', searchOnly: false });
    expect(byId(commands, 'exec:/work/api:dev')).toMatchObject({
      label: 'Copy exec command',
      hint: 'latchkey exec dev -- ',
    });
    expect(byId(commands, 'profile:/work/api:dev')).toBeUndefined();
    expect(byId(commands, 'sync:/work/api:prod')?.label).toBe('Sync api ▸ prod');
  });

  it('disables Sync with the reason when the current plan cannot be written', () => {
    const blocked = derivePaletteCommands(
      snapshot({
        activity: {
          '/work/web\u0000dev': activity({ plan: { status: 'ready', plan: plan({ 'needs-input': 2, add: 3 }) } }),
          '/work/api\u0000prod': activity({
            plan: {
              status: 'ready',
              plan: plan({ unchanged: 4 }, { offline: [{ kind: 'chamber', refs: ['api'], reason: 'timeout' }] }),
            },
          }),
          '/work/api\u0000dev': activity({ plan: { status: 'ready', plan: plan({ 'keychain-locked': 1 }) } }),
        },
      }),
    );
    expect(byId(blocked, 'sync:/work/web:dev')?.disabled).toBe('Sync is not possible yet: 2 keys need input');
    expect(byId(blocked, 'sync:/work/api:prod')?.disabled).toBe('Sync is not possible yet: A source is offline');
    expect(byId(blocked, 'sync:/work/api:dev')?.disabled).toBe('Sync is not possible yet: The keychain is locked');
  });

  it('says what a writable plan would do; a stale plan blocks nothing (the sync plans again)', () => {
    const commands = derivePaletteCommands(
      snapshot({
        activity: {
          '/work/web\u0000dev': activity({ plan: { status: 'ready', plan: plan({ add: 3 }) } }),
          '/work/api\u0000dev': activity({
            plan: { status: 'ready', plan: plan({ 'needs-input': 1 }), stale: 'target-changed' },
          }),
        },
      }),
    );
    expect(byId(commands, 'sync:/work/web:dev')).toMatchObject({ hint: '3 to add' });
    expect(byId(commands, 'sync:/work/web:dev')?.disabled).toBeUndefined();
    expect(byId(commands, 'sync:/work/api:dev')?.disabled).toBeUndefined();
  });

  it('disables Sync and Plan while a sync runs, and everything that needs the manifest when it does not read', () => {
    const running = derivePaletteCommands(
      snapshot({ activity: { '/work/web\u0000dev': activity({ sync: { status: 'running' } }) } }),
    );
    expect(byId(running, 'sync:/work/web:dev')?.disabled).toBe('Syncing now');
    expect(byId(running, 'plan:/work/web:dev')?.disabled).toBe('Syncing now');

    const broken = derivePaletteCommands(
      snapshot({
        manifests: {
          '/work/web': { status: 'ready', manifest: { profiles: [{ name: 'dev', target: '.env' }] }, error: {} },
        },
      }),
    );
    for (const id of ['sync:/work/web:dev', 'plan:/work/web:dev', 'edit:/work/web:dev'])
      expect(byId(broken, id)?.disabled).toMatch(/latchkey\.yml does not read/);
  });

  it('offers no profile of a project whose manifest is not loaded or whose folder is gone', () => {
    const commands = derivePaletteCommands(snapshot({ manifests: {} }));
    expect(ids(commands).filter((id) => id.startsWith('sync:'))).toEqual([]);
    expect(byId(commands, 'project:/work/gone')?.disabled).toBe('The folder is no longer there');
    expect(byId(commands, 'project:/work/api')?.disabled).toBeUndefined();
  });
});

describe('palette commands: AWS profiles', () => {
  const sessionIds = (commands: PaletteCommand[], name: string) =>
    ids(commands).filter((id) => id.startsWith('aws-') && id.endsWith(`:${name}`) && !id.startsWith('aws-env'));

  it('an active session: Refresh and Stop, never Start', () => {
    const commands = derivePaletteCommands(
      snapshot({
        aws: {
          profiles: [aws('acme-dev', 'keychain-keys', { active: true, managed: true, expiresAt: inHours(11) })],
          busy: {},
        },
      }),
    );
    expect(sessionIds(commands, 'acme-dev')).toEqual([
      'aws-refresh:acme-dev',
      'aws-stop:acme-dev',
      'aws-default:acme-dev',
    ]);
    expect(byId(commands, 'aws-start:acme-dev')).toBeUndefined();
  });

  it('a session that has expired can be started again', () => {
    const commands = derivePaletteCommands(
      snapshot({
        aws: { profiles: [aws('acme-dev', 'role', { active: true, managed: true, expiresAt: inHours(-1) })], busy: {} },
      }),
    );
    expect(byId(commands, 'aws-start:acme-dev')?.disabled).toBeUndefined();
    expect(byId(commands, 'aws-stop:acme-dev')).toBeUndefined();
  });

  it('a credential_process profile: no Start; with a cached session, Stop but no Refresh', () => {
    const idle = derivePaletteCommands(snapshot({ aws: { profiles: [aws('tools', 'credential-process')], busy: {} } }));
    expect(sessionIds(idle, 'tools')).toEqual([]);
    const live = derivePaletteCommands(
      snapshot({
        aws: {
          profiles: [aws('tools', 'credential-process', { active: true, managed: true, expiresAt: inHours(2) })],
          busy: {},
        },
      }),
    );
    expect(sessionIds(live, 'tools')).toEqual(['aws-stop:tools']);
  });

  it('keys in plain text: Start shown disabled with the fix, and the fix offered', () => {
    const commands = derivePaletteCommands(snapshot({ aws: { profiles: [aws('old', 'file-keys')], busy: {} } }));
    expect(byId(commands, 'aws-start:old')?.disabled).toMatch(/import them into the keychain first/);
    expect(byId(commands, 'aws-import:old')).toMatchObject({ action: { kind: 'aws-show', profile: 'old' } });
    expect(byId(commands, 'aws-default:old')).toBeUndefined();
  });

  it('sso and unknown profiles: no session command; an unknown one only shows itself', () => {
    const commands = derivePaletteCommands(
      snapshot({ aws: { profiles: [aws('corp', 'sso'), aws('odd', 'unknown')], busy: {} } }),
    );
    expect(sessionIds(commands, 'corp')).toEqual([]);
    expect(ids(commands).filter((id) => id.endsWith(':odd'))).toEqual(['aws:show:odd']);
  });

  it('a profile with an action running: its session commands are disabled, saying so', () => {
    const commands = derivePaletteCommands(
      snapshot({ aws: { profiles: [aws('acme-dev', 'keychain-keys')], busy: { 'acme-dev': 'start' } } }),
    );
    expect(byId(commands, 'aws-start:acme-dev')?.disabled).toBe('Busy: start');
    expect(byId(commands, 'aws-env:acme-dev')?.disabled).toBeUndefined();
  });

  it('the default profile is not offered as the default again', () => {
    const commands = derivePaletteCommands(
      snapshot({ aws: { profiles: [{ ...aws('main', 'keychain-keys'), isDefault: true }], busy: {} } }),
    );
    expect(byId(commands, 'aws-default:main')).toBeUndefined();
    expect(byId(commands, 'aws-start:main')).toBeDefined();
  });
});

describe('palette commands: logins, screens, settings', () => {
  it('offers copy password, copy username and open for each login, carrying only its ids and title', () => {
    const commands = derivePaletteCommands(
      snapshot({
        logins: [
          { vaultId: 'v1', itemId: 'i1', vault: 'Shared', title: 'Grafana', url: 'https://grafana.example' },
          { vaultId: 'v1', itemId: 'i2', vault: 'Shared', title: 'Jenkins' },
        ],
      }),
    );
    const logins = commands.filter((c) => c.group === 'Logins');
    expect(logins.map((c) => c.label)).toEqual([
      'Copy password: Grafana',
      'Copy username: Grafana',
      'Open website: Grafana',
      'Copy password: Jenkins',
      'Copy username: Jenkins',
    ]);
    expect(logins[0]?.action).toEqual({
      kind: 'login-copy',
      login: { vaultId: 'v1', itemId: 'i1', title: 'Grafana' },
      field: 'password',
    });
    expect(logins.every((c) => c.searchOnly)).toBe(true);
  });

  it('has every screen, the 1Password settings and the other themes', () => {
    const commands = derivePaletteCommands(snapshot({ theme: 'dark' }));
    for (const s of ['projects', 'aws', 'logins', 'services', 'rotation', 'audit', 'settings'])
      expect(byId(commands, `go:${s}`)).toBeDefined();
    expect(byId(commands, 'go:op-settings')?.group).toBe('Settings');
    expect(ids(commands).filter((id) => id.startsWith('act:theme:'))).toEqual(['act:theme:system', 'act:theme:light']);
  });

  it('gives every command a unique id', () => {
    const commands = derivePaletteCommands(
      snapshot({
        projectDir: '/work/api',
        profile: 'dev',
        aws: { profiles: [aws('a', 'keychain-keys'), aws('b', 'file-keys')], busy: {} },
        logins: [{ vaultId: 'v', itemId: 'i', vault: 'V', title: 'T', url: 'https://t.example' }],
      }),
    );
    expect(new Set(ids(commands)).size).toBe(commands.length);
  });
});
