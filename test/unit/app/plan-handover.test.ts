import { describe, expect, it } from 'vitest';
import { createPlanHandover, HANDOVER_TTL_MS } from '../../../main/app/plan-handover';
import type { SourceRegistry } from '../../../main/core/sync';
import type { ChamberSpec, ResolveContext, ResolvedSecret, SecretSource, SpecOf } from '../../../main/core/types';

type SetSpec = SpecOf<'set'>;

// The handover's rules with counting sources: what the sync replays, and every case where it must read again.

const SPEC: ChamberSpec = { kind: 'chamber', service: 'api/dev', index: 0, aws: {} };

function countingChamber(value: () => string, reused = false) {
  let reads = 0;
  const source: SecretSource<'chamber'> = {
    kind: 'chamber',
    resolve: async (specs) => {
      reads += 1;
      const secret: ResolvedSecret = reused
        ? { spec: specs[0]!, sourceKey: 'db_password', reused: true, meta: { version: '3' } }
        : { spec: specs[0]!, sourceKey: 'db_password', value: value(), meta: { version: '3' } };
      return { secrets: [secret], warnings: [] };
    },
  };
  return { source, reads: () => reads };
}

function countingSet() {
  let reads = 0;
  const source: SecretSource<'set'> = {
    kind: 'set',
    resolve: async (specs: SetSpec[]) => {
      reads += 1;
      return {
        secrets: specs.map((spec) => ({ spec, sourceKey: 'LOG_LEVEL', value: 'debug', meta: {} })),
        warnings: [],
      };
    },
  };
  return { source, reads: () => reads };
}

const ctx = (canReuse = true): ResolveContext => ({ canReuse: () => canReuse });
const valueOf = async (sources: SourceRegistry, specs = [SPEC], reuse = true) =>
  (await sources.chamber!.resolve(specs, ctx(reuse))).secrets[0]?.value;

describe('plan handover', () => {
  it("hands a plan's remote answer to the next sync once, and reads again after that", async () => {
    let remote = 'canary-v1';
    const chamber = countingChamber(() => remote);
    const handover = createPlanHandover();
    const planning = handover.recording('dev', { chamber: chamber.source });
    expect(await valueOf(planning.sources)).toBe('canary-v1');
    planning.keep();
    remote = 'canary-v2';

    expect(await valueOf(handover.replaying('dev', { chamber: chamber.source }))).toBe('canary-v1');
    expect(chamber.reads()).toBe(1);
    // Used once: the next sync reads the source.
    expect(await valueOf(handover.replaying('dev', { chamber: chamber.source }))).toBe('canary-v2');
    expect(chamber.reads()).toBe(2);
  });

  it('reads again for another profile, other specs, after the time to review, or after clear()', async () => {
    let now = 0;
    const chamber = countingChamber(() => 'canary');
    const handover = createPlanHandover({ now: () => now });
    const plan = async () => {
      const planning = handover.recording('dev', { chamber: chamber.source });
      await valueOf(planning.sources);
      planning.keep();
    };

    await plan();
    await valueOf(handover.replaying('prod', { chamber: chamber.source }));
    expect(chamber.reads()).toBe(2);

    await plan();
    await valueOf(handover.replaying('dev', { chamber: chamber.source }), [{ ...SPEC, service: 'web/dev' }]);
    expect(chamber.reads()).toBe(4);

    await plan();
    now += HANDOVER_TTL_MS + 1;
    await valueOf(handover.replaying('dev', { chamber: chamber.source }));
    expect(chamber.reads()).toBe(6);

    await plan();
    handover.clear();
    await valueOf(handover.replaying('dev', { chamber: chamber.source }));
    expect(chamber.reads()).toBe(8);
  });

  it('keeps nothing from a plan that was reading when everything was dropped', async () => {
    const chamber = countingChamber(() => 'canary');
    const handover = createPlanHandover();
    const planning = handover.recording('dev', { chamber: chamber.source });
    await valueOf(planning.sources);
    handover.clear(); // a write to the source, or a session change, while that plan was being made
    planning.keep();
    await valueOf(handover.replaying('dev', { chamber: chamber.source }));
    expect(chamber.reads()).toBe(2);
  });

  it('replays a value skipped as reusable only while it still is (the file untouched since the plan)', async () => {
    const chamber = countingChamber(() => 'canary', true);
    const handover = createPlanHandover();
    const plan = async () => {
      const planning = handover.recording('dev', { chamber: chamber.source });
      await valueOf(planning.sources);
      planning.keep();
    };
    await plan();
    await valueOf(handover.replaying('dev', { chamber: chamber.source }), [SPEC], true);
    expect(chamber.reads()).toBe(1);
    await plan();
    await valueOf(handover.replaying('dev', { chamber: chamber.source }), [SPEC], false);
    expect(chamber.reads()).toBe(3);
  });

  it('never hands over local sources: set: (and the keychain) are read fresh', async () => {
    const set = countingSet();
    const handover = createPlanHandover();
    const spec: SetSpec = { kind: 'set', values: { LOG_LEVEL: 'debug' }, index: 0 };
    const planning = handover.recording('dev', { set: set.source });
    expect(planning.sources.set).toBe(set.source);
    await planning.sources.set!.resolve([spec], ctx());
    planning.keep();
    const syncing = handover.replaying('dev', { set: set.source });
    expect(syncing.set).toBe(set.source);
  });
});
