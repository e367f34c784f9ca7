import { useState, type ReactElement } from 'react';
import type { ReadinessItem } from '../../contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { StartSessionAction } from '../aws/StartSessionAction';
import { OpSettingsButton } from '../components/OpSettingsButton';
import { PersonalSecretForm } from '../components/PersonalSecretForm';
import { Badge, Skeleton } from '../components/ui';
import { READINESS_LOOKS } from '../lib/status';
import { usePushedProfile } from '../state/main-state';
import { useProfiles, type ProfileData, type ProfileRef } from '../state/profile-store';
import { addToGitignore } from './actions';

/** Names the checklist asks for (missing `keychain:` entries), so an error elsewhere can point here. */
export function personalAsks(items: ReadinessItem[] | undefined): Set<string> {
  return new Set(
    (items ?? []).flatMap((i) =>
      i.state !== 'ok' && i.action?.startsWith('set-personal:') ? [i.action.slice('set-personal:'.length)] : [],
    ),
  );
}

const needsAttention = (i: ReadinessItem) => i.state === 'missing' || i.state === 'error';

export function Readiness({ refp, data }: { refp: ProfileRef; data: ProfileData['readiness'] }): ReactElement {
  const [expanded, setExpanded] = useState<boolean | null>(null);
  const [showAll, setShowAll] = useState(false);
  // Main's pushed checklist (derived again there when a session starts or ends) is the truth; the reply to this
  // window's own check is the same derivation, shown only until its push lands.
  const pushed = usePushedProfile(refp)?.readiness;
  const shown = pushed ?? data.items;
  const items = shown ?? [];
  const attention = items.filter(needsAttention);
  const allGreen = (pushed !== undefined || data.status === 'ready') && attention.length === 0;
  const open = expanded ?? !allGreen;
  const refresh = () => {
    void useProfiles.getState().loadReadiness(refp);
  };
  const afterFix = () => {
    refresh();
    void useProfiles.getState().runPlan(refp, { quiet: true });
  };

  if (data.status === 'error' && data.error) {
    return <ErrorPanel headingLevel={2} error={data.error} context="Readiness check" onRetry={refresh} />;
  }
  if (!shown) {
    return (
      <section className="readiness card" aria-busy="true" aria-label="Readiness">
        <div className="readiness-head">
          <Skeleton width={16} height={16} />
          <Skeleton width={180} />
        </div>
        <div className="readiness-skeleton">
          {[60, 72, 48].map((w) => (
            <div key={w} className="readiness-item">
              <Skeleton width={70} height={18} />
              <Skeleton width={`${w}%`} />
            </div>
          ))}
        </div>
      </section>
    );
  }

  const okCount = items.filter((i) => i.state === 'ok').length;
  const laterCount = items.filter((i) => i.state === 'unavailable').length;
  const headTone = attention.some((i) => i.state === 'error') ? 'bad' : attention.length ? 'warn' : 'ok';
  return (
    <section
      className={`readiness card ${open ? 'is-open' : 'is-collapsed'}`}
      aria-labelledby="readiness-title"
      data-testid="readiness"
    >
      <button
        type="button"
        className="readiness-head"
        aria-expanded={open}
        aria-controls="readiness-list"
        onClick={() => setExpanded(!open)}
      >
        <span className={`readiness-icon tone-${headTone}`}>
          <Icon name={headTone === 'ok' ? 'check' : headTone === 'bad' ? 'error' : 'warning'} size={14} />
        </span>
        <span id="readiness-title" className="readiness-title">
          {allGreen
            ? 'Ready to sync'
            : attention.length === 1
              ? '1 thing needs your attention'
              : `${attention.length} things need your attention`}
        </span>
        <span className="subtle small">
          {okCount} of {items.length - laterCount} checks passed
          {laterCount > 0 ? ` · ${laterCount} arrive${laterCount === 1 ? 's' : ''} with a later version` : ''}
        </span>
        <span className="spacer" />
        {data.status === 'loading' ? <span className="spinner" aria-label="Checking again" /> : null}
        <Icon name={open ? 'chevron-up' : 'chevron-down'} size={15} />
      </button>
      {open ? (
        <ul className="readiness-list" id="readiness-list" role="list">
          {(showAll || allGreen ? items : attention).map((item) => (
            <li
              key={item.id}
              className={`readiness-item state-${item.state}`}
              data-testid={`readiness-${item.id}`}
              data-state={item.state}
            >
              <Badge look={READINESS_LOOKS[item.state]} />
              <div className="grow readiness-text">
                <span className="readiness-label">{item.label}</span>
                {item.detail ? <span className="readiness-detail subtle">{item.detail}</span> : null}
              </div>
              <ReadinessAction item={item} refp={refp} onDone={afterFix} />
            </li>
          ))}
          {!allGreen && attention.length < items.length ? (
            <li className="readiness-more">
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => setShowAll(!showAll)}
                aria-expanded={showAll}
                data-testid="readiness-show-all"
              >
                <Icon name={showAll ? 'chevron-up' : 'chevron-down'} size={13} />
                {showAll ? 'Show only what needs attention' : `Show all ${items.length} checks`}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

function ReadinessAction({
  item,
  refp,
  onDone,
}: {
  item: ReadinessItem;
  refp: ProfileRef;
  onDone: () => void;
}): ReactElement | null {
  if (item.state === 'ok' || !item.action) return null;
  if (item.action.startsWith('set-personal:')) {
    return (
      <div className="readiness-action readiness-action-wide">
        <PersonalSecretForm dir={refp.dir} name={item.action.slice('set-personal:'.length)} onSaved={onDone} />
      </div>
    );
  }
  if (item.action.startsWith('aws-login:')) {
    return (
      <div className="readiness-action readiness-action-wide">
        <StartSessionAction
          profile={item.action.slice('aws-login:'.length)}
          onDone={onDone}
          testId={`readiness-action-${item.id}`}
        />
      </div>
    );
  }
  if (item.action === 'unlock-keychain') {
    // The OS unlocks its keychain; this only looks again once the user has.
    return (
      <div className="readiness-action">
        <button type="button" className="btn btn-sm" onClick={onDone} data-testid={`readiness-action-${item.id}`}>
          <Icon name="refresh" size={13} />
          Check again
        </button>
      </div>
    );
  }
  if (item.action === 'configure-op')
    return (
      <div className="readiness-action">
        <OpSettingsButton testId={`readiness-action-${item.id}`} />
      </div>
    );
  if (item.action.includes('gitignore')) {
    return (
      <div className="readiness-action">
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void addToGitignore(refp)}
          data-testid={`readiness-action-${item.id}`}
        >
          <Icon name="shield" size={13} />
          Add to .gitignore
        </button>
      </div>
    );
  }
  return null;
}
