import { useEffect, useState, type ReactElement } from 'react';
import { THEMES, type Settings } from '../../contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { THEME_LOOKS } from '../lib/themes';
import { useSettings } from '../state/settings-store';
import { EditorSetting } from './EditorSetting';
import { OpSettings } from './OpSettings';
import { radioGroupKeys } from '../lib/keys';

export function SettingsScreen(): ReactElement {
  const settings = useSettings((s) => s.settings);
  const error = useSettings((s) => s.error);
  const saving = useSettings((s) => s.saving);
  const update = useSettings((s) => s.update);
  const [saved, setSaved] = useState(false);

  const save = async (patch: Partial<Settings>) => {
    setSaved(false);
    if (await update(patch)) setSaved(true);
  };
  useEffect(() => {
    if (!saved) return;
    const t = setTimeout(() => setSaved(false), 2000);
    return () => clearTimeout(t);
  }, [saved]);

  return (
    <div className="page">
      <header className="page-header">
        <div className="grow">
          <h1>Settings</h1>
          <p className="muted">Preferences for this machine. They hold no secrets and take effect at once.</p>
        </div>
        <span className="save-state small" role="status" aria-live="polite">
          {saving ? (
            <>
              <span className="spinner" /> Saving…
            </>
          ) : saved ? (
            <>
              <Icon name="check" size={13} /> Saved
            </>
          ) : null}
        </span>
      </header>
      <div className="page-body settings">
        {error ? <ErrorPanel error={error} /> : null}
        <section className="card settings-group" aria-labelledby="appearance">
          <h2 id="appearance" className="card-title">
            Appearance
          </h2>
          <div className="setting">
            <div className="setting-text">
              <span className="setting-label" id="theme-label">
                Theme
              </span>
              <span className="subtle small">System follows your operating system’s light or dark mode.</span>
            </div>
            <div
              className="segmented"
              role="radiogroup"
              aria-labelledby="theme-label"
              data-testid="theme-choice"
              onKeyDown={radioGroupKeys}
            >
              {THEMES.map((theme) => (
                <button
                  key={theme}
                  type="button"
                  role="radio"
                  aria-checked={settings.theme === theme}
                  tabIndex={settings.theme === theme ? 0 : -1}
                  onClick={() => void save({ theme })}
                  data-testid={`theme-${theme}`}
                >
                  <Icon name={THEME_LOOKS[theme].icon} size={14} />
                  {THEME_LOOKS[theme].label}
                </button>
              ))}
            </div>
          </div>
        </section>

        <section className="card settings-group" aria-labelledby="secrets">
          <h2 id="secrets" className="card-title">
            Secrets on screen
          </h2>
          <NumberSetting
            label="Hide revealed values after"
            help="A revealed value also hides as soon as the window loses focus."
            unit="seconds"
            min={5}
            max={120}
            value={settings.revealSeconds}
            onSave={(revealSeconds) => void save({ revealSeconds })}
            testId="reveal-seconds"
          />
          <NumberSetting
            label="Clear the clipboard after"
            help="When Latchkey copied a secret and the clipboard still holds it."
            unit="seconds"
            min={5}
            max={600}
            value={settings.clipboardClearSeconds}
            onSave={(clipboardClearSeconds) => void save({ clipboardClearSeconds })}
            testId="clipboard-seconds"
          />
        </section>

        <section className="card settings-group" aria-labelledby="sync">
          <h2 id="sync" className="card-title">
            Sync
          </h2>
          <div className="setting">
            <div className="setting-text">
              <label className="setting-label" htmlFor="confirm-sync">
                Show the plan before writing
              </label>
              <span className="subtle small">Sync first opens the plan; press Sync again to write the file.</span>
            </div>
            <input
              id="confirm-sync"
              type="checkbox"
              className="switch"
              role="switch"
              checked={settings.confirmBeforeSync}
              onChange={(e) => void save({ confirmBeforeSync: e.target.checked })}
              data-testid="confirm-before-sync"
            />
          </div>
          <EditorSetting value={settings.editorCommand} onSave={(editorCommand) => void save({ editorCommand })} />
        </section>

        <section className="card settings-group" aria-labelledby="notifications">
          <h2 id="notifications" className="card-title">
            Notifications
          </h2>
          <div className="setting">
            <div className="setting-text">
              <label className="setting-label" htmlFor="desktop-notifications">
                Desktop notifications
              </label>
              <span className="subtle small">
                When a recent project’s secrets changed since your last sync, an AWS session ends in 10 minutes, or a
                key turns overdue. Each is told once; no value is ever shown.
              </span>
            </div>
            <input
              id="desktop-notifications"
              type="checkbox"
              className="switch"
              role="switch"
              checked={settings.notifications}
              onChange={(e) => void save({ notifications: e.target.checked })}
              data-testid="desktop-notifications"
            />
          </div>
        </section>

        <OpSettings />
      </div>
    </div>
  );
}

function NumberSetting({
  label,
  help,
  unit,
  min,
  max,
  value,
  onSave,
  testId,
}: {
  label: string;
  help: string;
  unit: string;
  min: number;
  max: number;
  value: number;
  onSave(v: number): void;
  testId: string;
}): ReactElement {
  const [text, setText] = useState(String(value));
  // A new value from the store replaces what is typed; adjusted while rendering, as React advises, not in an effect.
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    setText(String(value));
  }
  const n = Number(text);
  const invalid = !Number.isInteger(n) || n < min || n > max;
  const commit = () => {
    if (!invalid && n !== value) onSave(n);
    if (invalid) setText(String(value));
  };
  return (
    <div className="setting">
      <div className="setting-text">
        <label className="setting-label" htmlFor={testId}>
          {label}
        </label>
        <span className="subtle small" id={`${testId}-help`}>
          {invalid ? `Between ${min} and ${max} ${unit}.` : help}
        </span>
      </div>
      <div className="number-field">
        <button
          type="button"
          className="btn btn-icon btn-sm"
          aria-label={`Decrease ${label.toLowerCase()}`}
          onClick={() => onSave(Math.max(min, value - (value > 30 ? 5 : 1)))}
          disabled={value <= min}
        >
          <Icon name="minus" size={13} />
        </button>
        <input
          id={testId}
          className="input number-input"
          inputMode="numeric"
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={`${testId}-help`}
          onChange={(e) => setText(e.target.value.replace(/[^\d]/g, ''))}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'ArrowUp') {
              e.preventDefault();
              onSave(Math.min(max, value + 1));
            }
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              onSave(Math.max(min, value - 1));
            }
          }}
          data-testid={testId}
        />
        <button
          type="button"
          className="btn btn-icon btn-sm"
          aria-label={`Increase ${label.toLowerCase()}`}
          onClick={() => onSave(Math.min(max, value + (value >= 30 ? 5 : 1)))}
          disabled={value >= max}
        >
          <Icon name="plus" size={13} />
        </button>
        <span className="subtle small unit">{unit}</span>
      </div>
    </div>
  );
}
