import { KEY_STATUSES, type KeyStatus, type Plan, type PlanEntry } from '../../contract/plan';
import type { Envelope, ManifestView, MethodName, MethodOutput, ProjectSummary, Settings } from '../../contract/ipc';

/**
 * A stand-in for the main process that answers every contract method with canned, valid outputs, and a plan of
 * `keyCount` keys (names, origins, statuses, never a value). The UI benchmark measures the renderer, not the
 * sources, so nothing here touches AWS, the keychain or the disk.
 */
export interface FakeBackend {
  handle(method: string, payload: unknown): Envelope<unknown>;
  project: ProjectSummary;
  profile: string;
  plan: Plan;
}

const DIR = '/home/dev/acme-api';
const SERVICES = ['api/dev', 'billing/dev', 'search/dev', 'auth/dev', 'shared/dev'];

export function createFakeBackend(keyCount: number): FakeBackend {
  const project: ProjectSummary = { dir: DIR, name: 'acme-api', manifestPath: `${DIR}/latchkey.yml`, lastOpened: '2026-11-28T09:00:00.000Z', state: 'ok' };
  const manifest: ManifestView = {
    path: `${DIR}/latchkey.yml`,
    dir: DIR,
    aws: { profile: 'acme-dev', region: 'us-east-1' },
    maxAgeDays: 90,
    profiles: [
      {
        name: 'dev',
        description: 'Local development against the shared dev stack',
        target: '.env',
        dialect: 'portable',
        maxAgeDays: 90,
        sources: SERVICES.map((service, index) => ({ index, kind: 'chamber' as const, ref: service, line: 7 + index, col: 9 })),
      },
    ],
  };
  const plan = bigPlan(keyCount);
  const settings: Settings = { theme: 'system', revealSeconds: 15, clipboardClearSeconds: 30, confirmBeforeSync: false };

  const answers: { [M in MethodName]: (payload: unknown) => MethodOutput<M> } = {
    'projects.list': () => ({ projects: [project] }),
    'projects.open': () => ({ project }),
    'projects.pick': () => ({ dir: null }),
    'projects.forget': () => ({}),
    'manifest.read': () => ({ manifest }),
    'manifest.create': () => ({ manifest }),
    'manifest.writeProfile': () => ({ manifest }),
    readiness: () => ({
      items: [
        { id: 'aws', label: 'AWS credentials for acme-dev (us-east-1)', state: 'ok' },
        { id: 'op', label: '1Password Connect', state: 'unavailable', detail: 'Not used by this profile' },
      ],
    }),
    plan: () => ({ plan }),
    sync: () => ({ plan, wrote: true }),
    'gitignore.add': () => ({ gitignore: `${DIR}/.gitignore` }),
    'secrets.setPersonal': () => ({}),
    'secrets.reveal': () => ({ name: 'UNUSED', value: 'unused' }),
    'settings.get': () => ({ settings }),
    'settings.set': () => ({ settings }),
    'audit.tail': () => ({ events: [] }),
    'shell.openExternal': () => ({}),
  };

  return {
    project,
    profile: 'dev',
    plan,
    handle(method, payload) {
      const answer = answers[method as MethodName];
      if (!answer) return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown method ${method}` } };
      return { ok: true, value: answer(payload) };
    },
  };
}

/**
 * A plan shaped like a big real profile: mostly keys in sync, a few hundred changed remotely or new, some local
 * edits and conflicts, local-only keys and a handful of errors, spread over five chamber services.
 */
export function bigPlan(keyCount: number): Plan {
  const entries: PlanEntry[] = [];
  for (let i = 0; i < keyCount; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const sourceKey = `${service.split('/')[0]}_setting_${String(i).padStart(5, '0')}`;
    const status = statusFor(i);
    const ageDays = (i * 7) % 140;
    entries.push({
      name: sourceKey.toUpperCase(),
      status,
      origin: status === 'local-only' ? undefined : { id: `chamber:${service}#${sourceKey}`, kind: 'chamber', ref: service, sourceKey, sourceIndex: i % SERVICES.length },
      overrides: [],
      reason: status === 'error' ? 'the value has no portable spelling (a carriage return)' : status === 'conflict' ? 'edited in the file since the last sync' : undefined,
      meta: status === 'local-only' ? undefined : { version: String(1 + (i % 9)), modifiedAt: new Date(Date.UTC(2026, 10, 28) - ageDays * 86_400_000).toISOString(), modifiedBy: 'arn:aws:iam::123456789012:user/ci' },
      rotation: status === 'local-only' ? undefined : { status: ageDays >= 90 ? 'overdue' : ageDays >= 72 ? 'due' : 'ok', maxAgeDays: 90, ageDays },
      reused: status === 'unchanged',
      remoteChanged: status === 'conflict' ? i % 2 === 0 : undefined,
    });
  }
  const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>;
  for (const e of entries) counts[e.status] += 1;
  return {
    profile: 'dev',
    manifestPath: `${DIR}/latchkey.yml`,
    target: `${DIR}/.env`,
    dialect: 'portable',
    entries,
    counts,
    warnings: [],
    gitignoreNeeded: false,
    writes: true,
  };
}

function statusFor(i: number): KeyStatus {
  const r = i % 100;
  if (r < 80) return 'unchanged';
  if (r < 88) return 'change';
  if (r < 94) return 'add';
  if (r < 96) return 'conflict';
  if (r < 99) return 'local-only';
  return 'error';
}
