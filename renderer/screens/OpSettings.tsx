import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { connectHostProblem, type Envelope, type IpcError, type MethodOutput, type OpCheck } from '../../contract/ipc';
import { call } from '../api';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { Badge } from '../components/ui';
import { capitalize } from '../lib/format';
import type { StatusLook } from '../lib/status';
import { useApp } from '../state/app-store';
import { useLogins } from '../state/logins-store';
import { useOpNav } from '../state/op-nav';

type OpStatus = MethodOutput<'op.status'>;

const OP_CHECK_LOOKS: Record<OpCheck['state'], StatusLook> = {
  ok: { label: 'OK', tone: 'ok', icon: 'check', explain: 'This check passed.' },
  error: { label: 'Failed', tone: 'bad', icon: 'error', explain: 'This check failed.' },
  missing: { label: 'Not set', tone: 'warn', icon: 'warning', explain: 'Something needs setting up first.' },
  skipped: { label: 'Skipped', tone: 'muted', icon: 'dot', explain: 'Not checked, because an earlier check failed.' },
};

/** The contract's Connect host rule, as a sentence; an empty field is no problem (it leaves the server as it is). */
function hostProblem(text: string): string | null {
  const problem = text.trim() ? connectHostProblem(text) : undefined;
  return problem ? capitalize(problem) : null;
}

/**
 * The 1Password section of Settings. The token crosses to main once, when saved, and the field empties right after:
 * it is never kept in a store nor shown again.
 */
export function OpSettings(): ReactElement {
  const [status, setStatus] = useState<OpStatus | null>(null);
  // The first test starts on mount, so the section starts out testing.
  const [testing, setTesting] = useState(true);
  const [testError, setTestError] = useState<IpcError | null>(null);
  const [host, setHost] = useState('');
  const [token, setToken] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<IpcError | null>(null);
  const [tested, setTested] = useState(false);
  const section = useRef<HTMLElement>(null);
  const hostInput = useRef<HTMLInputElement>(null);
  const savedHost = status?.hostSource === 'settings' ? (status.host ?? '') : '';

  const showTest = (result: Envelope<OpStatus>, fillHost: boolean) => {
    setTesting(false);
    setTested(true);
    if (!result.ok) {
      setTestError(result.error);
      return;
    }
    setTestError(null);
    setStatus(result.value);
    if (fillHost && result.value.hostSource === 'settings' && result.value.host) setHost(result.value.host);
  };

  // call() answers every failure with an envelope, never a rejection, and showTest() handles both.
  const test = async () => {
    setTesting(true);
    showTest(await call('op.status', {}), false);
  };

  useEffect(() => {
    void call('op.status', {}).then((result) => showTest(result, true));
  }, []);

  // Arriving from the Logins screen, the palette or the readiness checklist: bring the section into view.
  // The checks arrive a moment later and lengthen the section, so it is brought into view again once they do.
  const requested = useOpNav((s) => s.requested);
  const scrollAgain = useRef(false);
  useEffect(() => {
    if (requested === useOpNav.getState().consumed) return;
    useOpNav.setState({ consumed: requested });
    section.current?.scrollIntoView({ block: 'start' });
    hostInput.current?.focus({ preventScroll: true });
    scrollAgain.current = true;
  }, [requested]);
  useEffect(() => {
    if (!tested || !scrollAgain.current) return;
    scrollAgain.current = false;
    section.current?.scrollIntoView({ block: 'start' });
  }, [tested]);

  const problem = hostProblem(host);
  const hostChanged = host.trim() !== '' && host.trim() !== savedHost;
  const canSave = !saving && !problem && (hostChanged || token !== '');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSave) return;
    setSaving(true);
    const result = await call('op.configure', {
      host: hostChanged ? host.trim() : undefined,
      token: token || undefined,
    });
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.error);
      return;
    }
    const what = hostChanged && token ? 'server and token' : token ? 'token' : 'server';
    setToken('');
    setSaveError(null);
    useApp.getState().toast(`Saved the 1Password ${what}`, 'ok');
    // Logins searched before may have failed for want of a connection.
    if (useLogins.getState().status === 'error') void useLogins.getState().search();
    await test();
  };

  return (
    <section
      className="card settings-group op-settings"
      aria-labelledby="onepassword"
      ref={section}
      data-testid="op-settings"
    >
      <h2 id="onepassword" className="card-title">
        1Password
      </h2>
      <form onSubmit={(e) => void save(e)} autoComplete="off">
        {status?.hostSource === 'env' ? (
          <div className="setting">
            <div className="op-env-note callout tone-info" data-testid="op-host-env">
              <Icon name="info" />
              <div className="callout-body">
                <div className="callout-title">
                  <code>OP_CONNECT_HOST</code> is set, so Latchkey uses <code>{status.host}</code>
                </div>
                <div className="callout-text">A server saved here takes effect only when that variable is unset.</div>
              </div>
            </div>
          </div>
        ) : null}
        <div className="setting">
          <div className="setting-text">
            <label className="setting-label" htmlFor="op-host">
              Connect server
            </label>
            <span className="subtle small" id="op-host-help">
              {problem ? (
                <span className="field-error">
                  <Icon name="error" size={13} />
                  {problem}
                </span>
              ) : (
                'The address of your organisation’s 1Password Connect server.'
              )}
            </span>
          </div>
          <input
            id="op-host"
            ref={hostInput}
            className="input mono op-input"
            type="url"
            inputMode="url"
            placeholder="https://connect.example.com"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby="op-host-help"
            spellCheck={false}
            data-testid="op-host"
          />
        </div>
        <div className="setting">
          <div className="setting-text">
            <label className="setting-label" htmlFor="op-token">
              Access token
            </label>
            <span className="subtle small" id="op-token-help">
              Kept in the OS keychain, never shown again. <code>OP_CONNECT_TOKEN</code> overrides it.
            </span>
          </div>
          <input
            id="op-token"
            className="input mono op-input"
            type="password"
            placeholder={
              status?.checks.some((c) => c.id === 'token' && c.state === 'ok')
                ? 'Saved · paste to replace'
                : 'Paste a Connect token'
            }
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby="op-token-help"
            autoComplete="new-password"
            spellCheck={false}
            data-testid="op-token"
          />
        </div>
        <div className="setting op-actions">
          <span className="grow subtle small" role="status" aria-live="polite">
            {testing ? (
              <span className="row-inline">
                <span className="spinner" /> Testing the connection…
              </span>
            ) : status ? (
              <OpSummary status={status} />
            ) : null}
          </span>
          <button type="button" className="btn" onClick={() => void test()} disabled={testing} data-testid="op-test">
            <Icon name="refresh" size={14} />
            Test connection
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canSave} data-testid="op-save">
            {saving ? <span className="spinner" /> : <Icon name="check" size={14} />}
            Save
          </button>
        </div>
      </form>
      {saveError ? (
        <div className="op-panel">
          <ErrorPanel error={saveError} context="Saving the 1Password connection" />
        </div>
      ) : null}
      {testError ? (
        <div className="op-panel">
          <ErrorPanel error={testError} context="Testing the 1Password connection" onRetry={() => void test()} />
        </div>
      ) : null}
      {status && tested ? <OpChecks checks={status.checks} /> : null}
    </section>
  );
}

function OpSummary({ status }: { status: OpStatus }): ReactElement {
  const failed = status.checks.find((c) => c.state === 'error' || c.state === 'missing');
  if (status.hostSource === 'none') {
    return (
      <span className="row-inline tone-text-warn">
        <Icon name="warning" size={14} /> Not connected: add the server and a token.
      </span>
    );
  }
  if (failed) {
    return (
      <span className="row-inline tone-text-bad">
        <Icon name="error" size={14} /> Not connected: {failed.label.toLowerCase()}{' '}
        {failed.state === 'missing' ? 'is not set' : 'failed'}.
      </span>
    );
  }
  return (
    <span className="row-inline tone-text-ok">
      <Icon name="check-circle" size={14} /> Connected{status.host ? ` to ${status.host}` : ''}
    </span>
  );
}

function OpChecks({ checks }: { checks: OpCheck[] }): ReactElement {
  return (
    <ul className="op-checks" aria-label="Connection checks" data-testid="op-checks">
      {checks.map((c) => (
        <li key={c.id} className="op-check" data-state={c.state} data-testid={`op-check-${c.id}`}>
          <Badge look={OP_CHECK_LOOKS[c.state]} />
          <div className="op-check-text">
            <span className="op-check-label">{c.label}</span>
            {c.detail ? <span className="subtle small">{c.detail}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
