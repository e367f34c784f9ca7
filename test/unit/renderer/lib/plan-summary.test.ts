import { describe, expect, it } from 'vitest';
import { KEY_STATUSES, type Plan } from '../../../../contract/plan';
import { pendingSummary, syncBlocker } from '../../../../renderer/lib/plan-summary';

/** A plan with these counts (every other status 0); the summary reads nothing else of it. */
const planWith = (counts: Partial<Plan['counts']>): Plan =>
  ({ counts: { ...Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])), ...counts } }) as Plan;

describe('pendingSummary', () => {
  it('says everything is in sync only for a fresh plan', () => {
    expect(pendingSummary(planWith({ unchanged: 12 }), false, false)).toEqual({
      text: 'Everything is in sync',
      tone: 'ok',
    });
    // Stale: the file or the manifest changed since; the plan cannot vouch for it any more.
    expect(pendingSummary(planWith({ unchanged: 12 }), false, true)).toEqual({
      text: 'In sync at the last check',
      tone: 'muted',
    });
  });

  it('spells out one kind of change, totals several, and puts conflicts first in tone', () => {
    expect(pendingSummary(planWith({ add: 12 }), false, false)).toEqual({ text: '12 to add', tone: 'warn' });
    expect(pendingSummary(planWith({ add: 2, change: 1 }), false, false).text).toBe('3 changes');
    expect(pendingSummary(planWith({ change: 1, conflict: 2 }), false, true)).toEqual({
      text: '1 to update · 2 conflicts',
      tone: 'bad',
    });
  });

  it('names a failed or running plan', () => {
    expect(pendingSummary(undefined, true, false)).toEqual({ text: 'The plan failed', tone: 'bad' });
    expect(pendingSummary(undefined, false, false)).toEqual({ text: 'Planning…', tone: 'muted' });
  });

  it('says why a sync cannot write: errors first, then keys that need input', () => {
    expect(syncBlocker(planWith({ add: 3 }))).toBeUndefined();
    expect(syncBlocker(planWith({ add: 3, 'needs-input': 1 }))).toEqual({ text: '1 key needs input', tone: 'warn' });
    expect(syncBlocker(planWith({ 'needs-input': 2 }))?.text).toBe('2 keys need input');
    expect(syncBlocker(planWith({ error: 1, 'needs-input': 2 }))).toEqual({ text: '1 key with errors', tone: 'bad' });
    // A source offline blocks the sync even when it left no rows (never synced), and says so.
    expect(
      syncBlocker({ ...planWith({ add: 1 }), offline: [{ kind: 'chamber', refs: ['api/dev'], reason: 'no answer' }] }),
    ).toEqual({ text: 'A source is offline', tone: 'warn' });
    // A refusal is not "offline": waiting will not fix it.
    const denied = { kind: 'chamber' as const, refs: ['api/dev'], reason: 'denied', code: 'ACCESS_DENIED' as const };
    const down = { kind: 'ssm' as const, refs: ['/x'], reason: 'no answer', code: 'SOURCE_FAILED' as const };
    expect(syncBlocker({ ...planWith({ add: 1 }), offline: [denied] })?.text).toBe('A source could not be read');
    expect(syncBlocker({ ...planWith({ add: 1 }), offline: [denied, down] })?.text).toBe('2 sources could not be read');
    expect(syncBlocker({ ...planWith({ add: 1 }), offline: [down] })?.text).toBe('A source is offline');
    // The action bar's line says the same, rather than "3 to add" beside a disabled Sync.
    expect(pendingSummary(planWith({ add: 3, 'needs-input': 1 }), false, false).text).toBe('1 key needs input');
  });
});
