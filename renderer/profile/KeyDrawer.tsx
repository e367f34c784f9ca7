import { useId, useState, type FormEvent, type ReactElement } from 'react';
import type { SharedHistoryEntry, SharedKeyView } from '../../contract/ipc';
import type { PlanEntry } from '../../contract/plan';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { KeyStatusBadge, SkeletonLines } from '../components/ui';
import { ageDays, formatAge, relativeTime } from '../lib/format';
import { toRows } from '../lib/rows';
import { knownUser } from '../lib/services';
import { isSharedKind, otherUseText, policyText } from '../lib/shared-secrets';
import type { ProfileRef } from '../state/profile-store';
import { sharedKeyId, useSharedSecrets, type SharedKeyRef } from '../state/shared-secrets-store';
import { originText } from './KeysTable';
import { SidePanel } from './SidePanel';

/**
 * One key beside the table. For a key from `chamber:` or `ssm:`: the parameter, its version and who changed it,
 * the history, Rotate now and Edit shared value. For any other key: what the plan knows, and no write actions.
 */
export function KeyDrawer({
  refp,
  name,
  entry,
}: {
  refp: ProfileRef;
  name: string;
  entry: PlanEntry | undefined;
}): ReactElement {
  const target: SharedKeyRef = { ref: refp, key: name };
  const shared = isSharedKind(entry?.origin?.kind);
  const described = useSharedSecrets((s) => s.described[sharedKeyId(target)]);
  const view = shared ? described?.view : undefined;
  const close = () => useSharedSecrets.getState().closeDrawer();
  const display = entry ? toRows([entry])[0]?.display : undefined;

  return (
    <SidePanel
      title={`Key ${name}`}
      subtitle={<span className="mono">{view?.parameter ?? (entry?.origin ? originText(entry.origin) : name)}</span>}
      onClose={close}
      testId="key-drawer"
      focusOnOpen
      busy={shared && described?.status === 'loading'}
    >
      <dl className="key-facts" data-testid="key-facts">
        {display ? (
          <div>
            <dt>Status</dt>
            <dd>
              <KeyStatusBadge status={display} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Source</dt>
          <dd className="mono">{entry?.origin ? originText(entry.origin) : 'not from a source'}</dd>
        </div>
        {view ? (
          <>
            <div>
              <dt>Parameter</dt>
              <dd className="mono" data-testid="key-parameter">
                {view.parameter}
              </dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd data-testid="key-version">{view.version}</dd>
            </div>
            <div>
              <dt>Age</dt>
              <dd>{formatAge(ageDays(undefined, view.lastModified))}</dd>
            </div>
            <div>
              <dt>Modified by</dt>
              <dd className="mono ellipsis" data-testid="key-modified-by">
                {knownUser(view.lastModifiedUser) ?? 'unknown'}
              </dd>
            </div>
          </>
        ) : entry?.meta ? (
          <>
            {entry.meta.version ? (
              <div>
                <dt>Version</dt>
                <dd className="mono">{entry.meta.version}</dd>
              </div>
            ) : null}
            <div>
              <dt>Age</dt>
              <dd>{formatAge(ageDays(entry.rotation?.ageDays, entry.meta.modifiedAt))}</dd>
            </div>
            {knownUser(entry.meta.modifiedBy) ? (
              <div>
                <dt>Modified by</dt>
                <dd className="mono ellipsis">{knownUser(entry.meta.modifiedBy)}</dd>
              </div>
            ) : null}
          </>
        ) : null}
      </dl>

      {!shared ? (
        <p className="small muted" data-testid="key-not-shared">
          <Icon name="info" size={13} />{' '}
          {entry?.origin
            ? `Latchkey changes values at the source only for chamber and ssm keys; this one comes from ${entry.origin.kind}.`
            : 'This key comes from no source, so there is nothing to change at a source.'}
        </p>
      ) : described?.status === 'error' && described.error && !view ? (
        <ErrorPanel error={described.error} context="Key details" />
      ) : !view ? (
        <SkeletonLines lines={4} label="Reading the parameter" />
      ) : (
        <>
          <section aria-labelledby={`${view.key}-actions`} className="key-actions">
            <h3 id={`${view.key}-actions`} className="section-title">
              Change it for the team
            </h3>
            <p className="small muted" data-testid="key-policy">
              Rotate generates {policyText(view.policy)}.
              {view.otherUses.length > 0
                ? ` Also read by ${view.otherUses.map(otherUseText).join(', ')}.`
                : ' No other recent profile reads it.'}
            </p>
            <div className="row-actions">
              <button
                type="button"
                className="btn btn-primary btn-sm"
                onClick={() => useSharedSecrets.getState().askRotate(target)}
                data-testid="rotate-now"
              >
                <Icon name="refresh" size={13} />
                Rotate now
              </button>
            </div>
            <EditSharedValue target={target} view={view} />
          </section>
          <History entries={view.history} current={view.version} />
        </>
      )}
    </SidePanel>
  );
}

/**
 * A value typed or pasted, written over the version shown. The field is a password field, it is emptied as the
 * value is sent, and the value is kept nowhere else: after saving, only the new version is shown.
 */
function EditSharedValue({ target, view }: { target: SharedKeyRef; view: SharedKeyView }): ReactElement {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const write = useSharedSecrets((s) =>
    s.write && sharedKeyId(s.write.target) === sharedKeyId(target) ? s.write : null,
  );
  const fieldId = useId();
  const saving = write?.status === 'saving';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value || saving) return;
    const sent = value;
    // Out of the DOM and out of React state before main even answers.
    setValue('');
    void useSharedSecrets.getState().save(target, sent, view.version);
  };

  return (
    <div className="edit-shared" data-testid="edit-shared">
      {!open ? (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            useSharedSecrets.getState().clearWrite();
            setOpen(true);
          }}
          data-testid="edit-shared-open"
        >
          <Icon name="pencil" size={13} />
          Edit shared value
        </button>
      ) : (
        <form onSubmit={submit} className="edit-shared-form" autoComplete="off">
          <label htmlFor={fieldId} className="field-label">
            New value for {view.parameter}
          </label>
          <input
            id={fieldId}
            className="input mono"
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            spellCheck={false}
            autoComplete="new-password"
            data-testid="edit-shared-input"
            autoFocus
          />
          <p className="small muted">
            Written over version {view.version}: if someone changed it since, nothing is written.
          </p>
          <div className="row-actions">
            <button
              type="submit"
              className="btn btn-primary btn-sm"
              disabled={!value || saving}
              data-testid="edit-shared-save"
            >
              {saving ? <span className="spinner" /> : <Icon name="check" size={13} />}
              Save to {view.sourceKind === 'chamber' ? 'chamber' : 'SSM'}
            </button>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => {
                setValue('');
                setOpen(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {write?.status === 'saved' ? (
        <p className="small tone-text-ok" role="status" data-testid="edit-shared-saved">
          <Icon name="check-circle" size={13} /> Saved as version {write.version} (was {write.previousVersion}). Sync to
          put it in the file.
        </p>
      ) : null}
      {write?.status === 'error' && write.error ? (
        <ErrorPanel error={write.error} context="Save" nothingWritten takeFocus />
      ) : null}
    </div>
  );
}

function History({ entries, current }: { entries: SharedHistoryEntry[]; current: number }): ReactElement {
  const newestFirst = [...entries].reverse();
  return (
    <section aria-labelledby="key-history-title">
      <h3 id="key-history-title" className="section-title">
        History
      </h3>
      <ol className="key-history" data-testid="key-history">
        {newestFirst.map((e) => (
          <li key={e.version} data-version={e.version} className={e.version === current ? 'is-current' : ''}>
            <span className="key-history-version">v{e.version}</span>
            <span className="grow">
              <span className="mono ellipsis">{knownUser(e.lastModifiedUser) ?? 'unknown'}</span>
              {e.lastModified ? (
                <time className="subtle small" dateTime={e.lastModified} title={e.lastModified}>
                  {' '}
                  {relativeTime(e.lastModified)}
                </time>
              ) : null}
            </span>
            {e.labels.map((label) => (
              <span key={label} className="pill">
                {label}
              </span>
            ))}
            {e.version === current ? <span className="pill">current</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
