import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileState } from '../../../../contract/ipc';
import { pushedSummary, useMainState } from '../../../../renderer/state/main-state';

// The renderer's copy of main's pushed per-profile state: the newest revision wins, and the one line the sidebar
// and the status bar both show is worded from it alone.

const AT = { dir: '/work/acme', profile: 'dev' };
const planned = (counts: Record<string, number>, inSync = false): ProfileState => ({
  ...AT,
  plan: {
    counts: counts as NonNullable<ProfileState['plan']>['counts'],
    plannedAt: '2030-01-01T00:00:00.000Z',
    cached: false,
    inSync,
  },
});

afterEach(() => useMainState.setState({ revision: 0, profiles: {} }));

describe('main-state', () => {
  it('keeps the newest push and drops an older one', () => {
    const { onState } = useMainState.getState();
    onState({ revision: 3, sessions: [], profiles: [planned({ add: 2 })] });
    onState({ revision: 2, sessions: [], profiles: [] });
    expect(Object.values(useMainState.getState().profiles)).toEqual([planned({ add: 2 })]);
    onState({ revision: 4, sessions: [], profiles: [] });
    expect(useMainState.getState().profiles).toEqual({});
  });

  it('words a summary the same for every reader', () => {
    expect(pushedSummary(undefined)).toBeUndefined();
    expect(pushedSummary({ ...AT })).toBeUndefined();
    expect(pushedSummary(planned({ unchanged: 3 }, true))).toEqual({ text: 'In sync', tone: 'ok' });
    expect(pushedSummary(planned({ add: 1, change: 2 }))).toEqual({ text: '3 changes', tone: 'warn' });
    expect(pushedSummary(planned({ add: 1 }))).toEqual({ text: '1 change', tone: 'warn' });
    expect(pushedSummary(planned({ add: 1, conflict: 1 }))).toEqual({ text: '1 conflict', tone: 'bad' });
    expect(pushedSummary(planned({ add: 1, 'needs-input': 1 }))).toEqual({ text: 'Needs attention', tone: 'warn' });
    expect(pushedSummary(planned({ 'keychain-locked': 1 }))).toEqual({ text: 'Cannot sync', tone: 'bad' });
  });
});
