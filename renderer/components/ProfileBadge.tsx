import type { ReactElement } from 'react';
import { pushedSummary, usePushedProfile } from '../state/main-state';
import type { ProfileRef } from '../state/profile-store';

/**
 * A profile's plan in a word, from main's pushed summary: the sidebar's profile rows and the profile tabs show it,
 * and the status bar says the same line, so none of them can disagree.
 */
export function ProfileBadge({ refp, testId }: { refp: ProfileRef; testId: string }): ReactElement | null {
  const summary = pushedSummary(usePushedProfile(refp));
  if (!summary) return null;
  return (
    <span className={`nav-badge tone-${summary.tone}`} data-testid={testId} data-tone={summary.tone}>
      <span className="sr-only">, </span>
      {summary.text}
    </span>
  );
}
