import { planIsInSync, type Plan } from '../../contract/plan';
import type { Tone } from './status';

const keys = (n: number) => `${n.toLocaleString()} key${n === 1 ? '' : 's'}`;

/**
 * Why a sync cannot write this plan, in words, or undefined when it can. Main refuses such a plan anyway (apply()
 * checks again); this is what the disabled Sync buttons say, so a greyed button is never a riddle (issue 14, item 1).
 */
export function syncBlocker(plan: Plan): { text: string; tone: Tone } | undefined {
  const c = plan.counts;
  if (c.error) return { text: `${keys(c.error)} with errors`, tone: 'bad' };
  const offline = plan.offline?.length ?? 0;
  // Only "offline" when every one of them is: a refusal or a missing source is not fixed by waiting.
  const unreachable = plan.offline?.every((o) => o.code === undefined || o.code === 'SOURCE_FAILED') ?? true;
  if (offline && unreachable)
    return { text: `${offline === 1 ? 'A source is' : `${offline} sources are`} offline`, tone: 'warn' };
  if (offline) return { text: `${offline === 1 ? 'A source' : `${offline} sources`} could not be read`, tone: 'warn' };
  if (c['keychain-locked']) return { text: 'The keychain is locked', tone: 'bad' };
  if (c['needs-input'])
    return { text: `${keys(c['needs-input'])} need${c['needs-input'] === 1 ? 's' : ''} input`, tone: 'warn' };
  return undefined;
}

/** The action bar's one line about a plan: what a sync would do, in words, and the tone to show it in. */
export function pendingSummary(plan: Plan | undefined, failed: boolean, stale: boolean): { text: string; tone: Tone } {
  if (!plan) return failed ? { text: 'The plan failed', tone: 'bad' } : { text: 'Planning…', tone: 'muted' };
  const c = plan.counts;
  const blocked = syncBlocker(plan);
  if (blocked) return blocked;
  // A stale plan cannot vouch for the file: "in sync" beside a Stale badge read as a contradiction (issue 14, item 4).
  if (planIsInSync(plan))
    return stale ? { text: 'In sync at the last check', tone: 'muted' } : { text: 'Everything is in sync', tone: 'ok' };
  const kinds = [c.add, c.change, c.remove].filter(Boolean).length;
  const changes = (c.add ?? 0) + (c.change ?? 0) + (c.remove ?? 0);
  // One kind of change reads best spelled out; several read best as one total.
  const changeText =
    kinds > 1
      ? `${changes.toLocaleString()} changes`
      : c.add
        ? `${c.add.toLocaleString()} to add`
        : c.change
          ? `${c.change.toLocaleString()} to update`
          : c.remove
            ? `${c.remove.toLocaleString()} to remove`
            : '';
  const parts = [
    changeText,
    c.conflict ? `${c.conflict.toLocaleString()} conflict${c.conflict === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return { text: parts.join(' · '), tone: c.conflict ? 'bad' : 'warn' };
}
