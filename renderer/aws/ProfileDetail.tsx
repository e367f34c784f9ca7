import { useEffect, useId, useState, type ReactElement, type ReactNode } from 'react';
import type { AwsProfileView } from '../../contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { clockTime } from '../lib/format';
import { useAws, type AwsAction } from '../state/aws-store';
import { useSecondClock } from './clock';
import { SessionCountdown } from './Countdown';
import { KeyList } from './KeyList';
import { KIND_LOOKS, canStart, hasUserKeys, sessionPhase } from './looks';
import { MfaPrompt } from './MfaPrompt';
import { RotateDialog } from './RotateDialog';

const ACTION_WORDS: Record<AwsAction, string> = {
  start: 'Starting the session',
  refresh: 'Refreshing the session',
  stop: 'Stopping the session',
  default: 'Using it as default',
  import: 'Importing the keys',
  rotate: 'Rotating the access key',
};

/** The selected profile: its session with start, refresh and stop, what it is, and its keys. */
export function ProfileDetail({ profile: p }: { profile: AwsProfileView }): ReactElement {
  const kind = KIND_LOOKS[p.kind];

  const withKeys = hasUserKeys(p);
  useEffect(() => {
    if (withKeys) void useAws.getState().loadKeys(p.name);
  }, [p.name, withKeys]);

  return (
    <section className="aws-detail card" aria-label={`AWS profile ${p.name}`} data-testid="aws-detail">
      <header className="aws-detail-head">
        <span className={`aws-kind-tile is-large kind-${p.kind}`} aria-hidden="true">
          <Icon name={kind.icon} size={20} />
        </span>
        <div className="aws-detail-title">
          <h2 className="wrap-anywhere" data-identifier="aws-profile-title">
            {p.name}
          </h2>
          <span className="subtle small row-inline">
            {kind.word}
            {p.region ? <span className="mono"> · {p.region}</span> : null}
            {p.isDefault ? <span className="pill aws-default-pill">default</span> : null}
          </span>
        </div>
      </header>

      <SessionBlock profile={p} />

      <dl className="aws-facts">
        <Fact label="Kind">{kind.explain}</Fact>
        {p.region ? (
          <Fact label="Region">
            <span className="mono">{p.region}</span>
          </Fact>
        ) : null}
        {p.mfaSerial ? (
          <Fact label="MFA device">
            <span className="mono aws-break">{p.mfaSerial}</span>
          </Fact>
        ) : null}
        {p.roleArn ? (
          <Fact label="Role">
            <span className="mono aws-break">{p.roleArn}</span>
          </Fact>
        ) : null}
        {p.sourceProfile ? (
          <Fact label="Source profile">
            <button
              type="button"
              className="btn btn-ghost btn-sm aws-link"
              onClick={() => useAws.getState().select(p.sourceProfile!)}
            >
              <span className="mono">{p.sourceProfile}</span>
              <Icon name="chevron-right" size={12} />
            </button>
          </Fact>
        ) : null}
        {p.latchkeyProcess ? (
          <Fact label="Credentials">
            The AWS tools ask Latchkey (<span className="mono">latchkey aws credential-process</span>); no keys on disk.
          </Fact>
        ) : null}
      </dl>

      <DefaultBlock profile={p} />
      {p.kind === 'file-keys' ? <ImportBlock profile={p} /> : null}
      {hasUserKeys(p) ? <KeysBlock profile={p} /> : null}
    </section>
  );
}

/** The last failure of one of these actions, where its button is: the shared error panel, with main's hint. */
function Failure({ profile, of }: { profile: string; of: AwsAction[] }): ReactElement | null {
  const failure = useAws((s) => s.failures[profile]);
  if (!failure || !of.includes(failure.action)) return null;
  return (
    <ErrorPanel
      error={failure.error}
      awsProfile={profile}
      context={ACTION_WORDS[failure.action]}
      takeFocus
      actions={
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => useAws.getState().clearFailure(profile)}>
          Dismiss
        </button>
      }
    />
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="aws-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Block({ title, children, testId }: { title: string; children: ReactNode; testId?: string }): ReactElement {
  return (
    <div className="aws-block" data-testid={testId}>
      <h3 className="aws-block-title">{title}</h3>
      {children}
    </div>
  );
}

function SessionBlock({ profile: p }: { profile: AwsProfileView }): ReactElement {
  const busy = useAws((s) => s.busy[p.name]);
  const needsMfa = useAws((s) => !!s.needsMfa[p.name]);
  const asking = useAws((s) => s.mfa?.profile === p.name);
  const now = useSecondClock();
  const phase = sessionPhase(p.session, now);
  const live = phase === 'active' || phase === 'expiring';
  const store = useAws.getState();
  const startable = canStart(p);

  const explain = live
    ? p.latchkeyProcess
      ? 'The AWS tools get this session from Latchkey; it is refreshed before it expires while Latchkey runs.'
      : `Temporary keys are in the [${p.name}] section of ~/.aws/credentials${p.session.expiresAt ? ` until ${clockTime(p.session.expiresAt)}` : ''}; Latchkey refreshes them before they expire while it runs.`
    : phase === 'expired'
      ? 'The session has expired. Start a new one to get fresh temporary keys.'
      : !startable
        ? 'Latchkey cannot start a session for this profile: it does not recognise how it gets its credentials.'
        : p.kind === 'sso'
          ? 'Starting a session opens your browser to sign in with AWS IAM Identity Center.'
          : `Starting a session writes temporary keys into the [${p.name}] section${p.mfaSerial ? ', after an MFA code' : ''}. Stop removes them.`;

  return (
    <div className={`aws-session phase-${phase}`} data-testid="aws-session">
      <div className="aws-session-top">
        <div className="aws-session-state">
          <span className="aws-session-label">Session</span>
          <SessionCountdown session={p.session} large />
        </div>
        <div className="aws-session-actions">
          {live ? (
            <>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => void store.start(p.name, 'login', 'refresh')}
                disabled={!!busy || asking}
                data-testid="aws-refresh"
              >
                {busy === 'refresh' ? <span className="spinner" /> : <Icon name="refresh" size={13} />}
                Refresh
              </button>
              <button
                type="button"
                className="btn btn-sm btn-danger"
                onClick={() => void store.stop(p.name)}
                disabled={!!busy}
                data-testid="aws-stop"
              >
                {busy === 'stop' ? <span className="spinner" /> : <Icon name="x" size={13} />}
                Stop
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn btn-sm btn-primary"
              onClick={() => void store.start(p.name)}
              disabled={!!busy || asking || !startable}
              data-testid="aws-start"
            >
              {busy === 'start' ? <span className="spinner" /> : <Icon name="check-circle" size={13} />}
              Start session
            </button>
          )}
        </div>
      </div>
      <p className="subtle small aws-session-explain">{explain}</p>
      {needsMfa && !asking ? (
        <p className="aws-needs-mfa small" role="status">
          <Icon name="warning" size={13} />
          <span>
            Latchkey cannot renew this session without a new MFA code. Refresh and enter one before it expires.
          </span>
        </p>
      ) : null}
      <MfaPrompt profile={p.name} mfaSerial={p.mfaSerial} />
      <Failure profile={p.name} of={['start', 'refresh', 'stop']} />
    </div>
  );
}

function DefaultBlock({ profile: p }: { profile: AwsProfileView }): ReactElement {
  const busy = useAws((s) => s.busy[p.name]);
  return (
    <Block title="Default profile">
      <div className="aws-block-row">
        <p className="subtle small grow">
          {p.isDefault
            ? 'This profile’s credentials are in [default]: AWS tools use them when no --profile is given.'
            : 'Writes this profile’s session into [default], so AWS tools use it when no --profile is given.'}
        </p>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void useAws.getState().start(p.name, 'default')}
          disabled={!!busy || !canStart(p)}
          data-testid="aws-default"
        >
          {busy === 'default' ? <span className="spinner" /> : <Icon name="check" size={13} />}
          {p.isDefault ? 'Update [default]' : 'Use as default'}
        </button>
      </div>
      <Failure profile={p.name} of={['default']} />
    </Block>
  );
}

function ImportBlock({ profile: p }: { profile: AwsProfileView }): ReactElement {
  const busy = useAws((s) => s.busy[p.name]);
  const [remove, setRemove] = useState(false);
  const helpId = useId();
  return (
    <Block title="Keychain" testId="aws-import-block">
      <div className="aws-import">
        <p className="aws-import-warn small">
          <Icon name="warning" size={13} />
          <span>
            The long-lived keys of this profile are in plain text in <span className="mono">~/.aws/credentials</span>,
            readable by any program you run.
          </span>
        </p>
        <label className="checkbox aws-import-check">
          <input
            type="checkbox"
            checked={remove}
            onChange={(e) => setRemove(e.target.checked)}
            aria-describedby={helpId}
            data-testid="aws-import-remove-plaintext"
          />
          Remove the plaintext from ~/.aws/credentials
        </label>
        <p className="subtle small aws-import-help" id={helpId}>
          {remove
            ? 'The keys go into your OS keychain and their lines leave the file; the rest of the file stays byte for byte. Latchkey keeps a one-time backup (0600) the first time it edits the file. Tools reading the file directly then need a Latchkey session.'
            : 'Left unchecked, the keys are copied into your OS keychain and the file is not touched, so other tools keep working. You can remove the plaintext later.'}
        </p>
        <div className="aws-block-row">
          <span className="grow" />
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void useAws.getState().importKeys(p.name, remove)}
            disabled={!!busy}
            data-testid="aws-import"
          >
            {busy === 'import' ? <span className="spinner" /> : <Icon name="lock" size={13} />}
            Import keys into the keychain
          </button>
        </div>
        <Failure profile={p.name} of={['import']} />
      </div>
    </Block>
  );
}

function KeysBlock({ profile: p }: { profile: AwsProfileView }): ReactElement {
  const busy = useAws((s) => s.busy[p.name]);
  const load = useAws((s) => s.keys[p.name]);
  const [confirming, setConfirming] = useState(false);
  const inKeychain = p.kind === 'keychain-keys';
  return (
    <Block title="Access keys">
      <KeyList profile={p.name} />
      <div className="aws-block-row aws-rotate-row">
        <p className="subtle small grow">
          {inKeychain
            ? 'Create a new key, verify it, store it, then delete the old one.'
            : 'Import the keys into the keychain first; rotation stores the new key there.'}
        </p>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => setConfirming(true)}
          disabled={!!busy || !inKeychain}
          data-testid="aws-rotate"
        >
          {busy === 'rotate' ? <span className="spinner" /> : <Icon name="key" size={13} />}
          Rotate access key
        </button>
      </div>
      <Failure profile={p.name} of={['rotate']} />
      {confirming ? (
        <RotateDialog
          profile={p.name}
          keys={load?.status === 'ready' ? load.keys : undefined}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void useAws.getState().rotate(p.name);
          }}
        />
      ) : null}
    </Block>
  );
}
