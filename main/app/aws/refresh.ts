import type { EventPayload } from '../../../contract/ipc';
import { isFresh } from '../../aws/profiles';
import { createSessionRefresher, type RefreshEvent, type SessionRefresher } from '../../aws/refresher';
import type { AppDeps } from '../deps';

export type { RefreshEvent, SessionRefresher };

export type SessionNews = EventPayload<'aws.session'>;

/**
 * Refreshes Latchkey's AWS sessions before they expire while the app runs, and tells `onNews` of each refresh,
 * each session that now needs an MFA code, and each that expired.
 */
export function createSessionRefreshing(deps: AppDeps, onNews: (news: SessionNews) => void): SessionRefresher {
  return createSessionRefresher({
    keychain: deps.runtime.keychain,
    appDir: deps.runtime.appDir,
    onEvent: (event) => {
      const news = sessionEventOf(event, new Date());
      if (news) onNews(news);
    },
  });
}

/** The refresher's news for the app; a failed refresh says nothing while the session still has time to retry. */
export function sessionEventOf(e: RefreshEvent, now: Date, retryMs = 60_000): SessionNews | undefined {
  if (e.state === 'refreshed') return { profile: e.profile, state: 'refreshed', expiresAt: e.expiresAt };
  if (e.state === 'needs-mfa') return { profile: e.profile, state: 'needs-mfa', expiresAt: e.expiresAt };
  return isFresh(e.expiresAt, now, retryMs)
    ? undefined
    : { profile: e.profile, state: 'expired', expiresAt: e.expiresAt };
}
