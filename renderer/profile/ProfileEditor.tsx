import { useId, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import type { IpcError, ManifestView } from '../../contract/ipc';
import { DEFAULT_DIALECT, DIALECTS } from '../../contract/plan';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import {
  DIALECT_LABELS,
  draftOfForm,
  formFromProfile,
  newProfileForm,
  sourceIndexOfPath,
  type ProfileForm,
} from '../lib/drafts';
import { validateForm } from '../lib/form-errors';
import { isModKey } from '../lib/keys';
import { useApp } from '../state/app-store';
import { useProjects } from '../state/projects-store';
import { SourceListEditor, TextField } from './SourceListEditor';
import { radioGroupKeys } from '../lib/keys';

interface Props {
  dir: string;
  manifest: ManifestView;
  mode: 'edit' | 'new';
  /** The profile being edited (mode `edit`). */
  profile?: string;
  /** Inside a page rather than the side panel. */
  inline?: boolean;
  onClose?: () => void;
}

/** Adds or edits one profile; main writes latchkey.yml keeping every comment and every other profile. */
export function ProfileEditor({ dir, manifest, mode, profile, inline = false, onClose }: Props): ReactElement {
  const view = mode === 'edit' ? manifest.profiles.find((p) => p.name === profile) : undefined;
  const [form, setForm] = useState<ProfileForm>(() =>
    view ? formFromProfile(view) : newProfileForm(suggestName(manifest)),
  );
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<IpcError | null>(null);
  const taken = useMemo(() => manifest.profiles.map((p) => p.name).filter((n) => n !== view?.name), [manifest, view]);
  const dialectLabel = useId();
  const errors = validateForm(form, taken);
  const valid = Object.keys(errors).length === 0;

  // Problems main found (with positions in latchkey.yml) are also shown on the card they point at.
  const serverCardErrors: Record<string, string> = {};
  for (const p of serverError?.problems ?? []) {
    const i = sourceIndexOfPath(p.path);
    if (i !== undefined) serverCardErrors[`sources.${i}.main`] ??= p.message;
  }

  // Runs from onSubmit as `void submit(e)`: it shows its own outcome, and call() turns every failure into an
  // envelope, so the promise has nothing left to reject with.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!valid) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.profile-form [aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    setServerError(null);
    const draft = draftOfForm(form);
    const error = await useProjects.getState().writeProfile(dir, view?.name, draft);
    setSaving(false);
    if (error) {
      setServerError(error);
      return;
    }
    const app = useApp.getState();
    app.toast(
      mode === 'new' ? `Added profile ${draft.name} to latchkey.yml` : `Saved ${draft.name} in latchkey.yml`,
      'ok',
    );
    app.selectProfile(draft.name);
    app.setPanel(null);
    onClose?.();
  };

  return (
    <form
      className={`profile-form ${inline ? 'is-inline' : ''}`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (isModKey(e) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          e.currentTarget.requestSubmit();
        }
      }}
      noValidate
      data-testid="profile-editor"
      aria-label={mode === 'new' ? 'New profile' : `Edit profile ${profile}`}
    >
      <div className="form-section">
        <div className="field-row">
          <TextField
            label="Profile name"
            value={form.name}
            onChange={(name) => setForm({ ...form, name })}
            error={submitted ? errors.name : undefined}
            mono
            testId="profile-name"
          />
          <TextField
            label="Target file"
            value={form.target}
            onChange={(target) => setForm({ ...form, target })}
            error={submitted ? errors.target : undefined}
            mono
            testId="profile-target"
            help="Relative to latchkey.yml"
          />
        </div>
        <TextField
          label="Description"
          optional
          value={form.description}
          onChange={(description) => setForm({ ...form, description })}
          error={submitted ? errors.description : undefined}
          placeholder="Local development against the shared dev stack"
        />
        <div className="field">
          <span className="field-label" id={dialectLabel}>
            File format
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby={dialectLabel} onKeyDown={radioGroupKeys}>
            {DIALECTS.map((d) => (
              <button
                key={d}
                type="button"
                role="radio"
                aria-checked={(form.dialect ?? DEFAULT_DIALECT) === d}
                tabIndex={(form.dialect ?? DEFAULT_DIALECT) === d ? 0 : -1}
                onClick={() => setForm({ ...form, dialect: d })}
              >
                {DIALECT_LABELS[d]}
              </button>
            ))}
          </div>
        </div>
      </div>

      <div className="form-section">
        <div className="form-section-head">
          <h3>Sources</h3>
          <span className="subtle small">Applied in order: a later source overrides an earlier one.</span>
        </div>
        <SourceListEditor
          items={form.sources}
          onChange={(sources) => setForm({ ...form, sources })}
          errors={submitted ? { ...serverCardErrors, ...errors } : serverCardErrors}
          showErrors={submitted || serverError !== null}
        />
      </div>

      {serverError ? <ErrorPanel error={serverError} context="Save" /> : null}
      {submitted && errors.form ? <p className="field-error">{errors.form}</p> : null}

      <div className="form-footer">
        {submitted && !valid ? (
          <span className="field-error">
            <Icon name="error" size={13} />
            {Object.keys(errors).length === 1
              ? 'One field needs attention.'
              : `${Object.keys(errors).length} fields need attention.`}
          </span>
        ) : (
          <span className="subtle small">Writes latchkey.yml; comments and other profiles stay as they are.</span>
        )}
        <span className="spacer" />
        {onClose ? (
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="profile-save">
          {saving ? <span className="spinner" /> : <Icon name="check" size={14} />}
          {mode === 'new' ? 'Add profile' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

function suggestName(manifest: ManifestView): string {
  const names = new Set(manifest.profiles.map((p) => p.name));
  for (const candidate of ['dev', 'staging', 'test', 'prod']) if (!names.has(candidate)) return candidate;
  let i = 2;
  while (names.has(`profile-${i}`)) i++;
  return `profile-${i}`;
}
