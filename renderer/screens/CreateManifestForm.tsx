import { useState, type FormEvent, type ReactElement } from 'react';
import type { IpcError } from '../../contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { draftOfForm, newProfileForm, previewYaml, type ProfileForm } from '../lib/drafts';
import { validateForm } from '../lib/form-errors';
import { SourceListEditor, TextField } from '../profile/SourceListEditor';
import { useApp } from '../state/app-store';
import { useProjects } from '../state/projects-store';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-south-1',
  'ca-central-1',
  'sa-east-1',
];

/** The guided form for a folder without latchkey.yml: one first profile, its AWS defaults and its sources. */
export function CreateManifestForm({ dir, name }: { dir: string; name: string }): ReactElement {
  const [form, setForm] = useState<ProfileForm>(() => newProfileForm('dev'));
  const [aws, setAws] = useState({ profile: '', region: '' });
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<IpcError | null>(null);
  const errors = validateForm(form);
  const valid = Object.keys(errors).length === 0;

  // Runs from onSubmit as `void submit(e)`: it shows its own outcome, and call() turns every failure into an
  // envelope, so the promise has nothing left to reject with.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!valid) {
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>('.create-manifest [aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setSaving(true);
    setServerError(null);
    const profile = draftOfForm(form);
    const error = await useProjects.getState().create(dir, {
      aws: {
        ...(aws.profile.trim() ? { profile: aws.profile.trim() } : {}),
        ...(aws.region.trim() ? { region: aws.region.trim() } : {}),
      },
      profile,
    });
    setSaving(false);
    if (error) setServerError(error);
    else useApp.getState().toast(`Created latchkey.yml with profile ${profile.name}`, 'ok');
  };

  return (
    <div className="create-manifest" data-testid="manifest-form">
      <div className="create-intro">
        <span className="empty-art">
          <Icon name="file" size={22} />
        </span>
        <div>
          {/* The project's name in the crumb is the page's h1; this is its first section. */}
          <h2 className="create-title">Set up Latchkey in {name}</h2>
          <p className="muted">
            This folder has no <code>latchkey.yml</code> yet. Describe a first profile: which file to write and where
            its secrets come from. The manifest holds no secret values, so you can commit it for your team.
          </p>
        </div>
      </div>

      <div className="create-grid">
        <form
          className="card pad create-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-label="Create latchkey.yml"
        >
          <fieldset className="step">
            <legend>
              <span className="step-num">1</span> Profile
            </legend>
            <div className="field-row">
              <TextField
                label="Profile name"
                value={form.name}
                onChange={(v) => setForm({ ...form, name: v })}
                error={submitted ? errors.name : undefined}
                mono
                testId="profile-name"
              />
              <TextField
                label="Target file"
                value={form.target}
                onChange={(v) => setForm({ ...form, target: v })}
                error={submitted ? errors.target : undefined}
                mono
                testId="profile-target"
                help="Written 0600, relative to this folder"
              />
            </div>
            <TextField
              label="Description"
              optional
              value={form.description}
              onChange={(v) => setForm({ ...form, description: v })}
              error={submitted ? errors.description : undefined}
              placeholder="Local development against the shared dev stack"
            />
          </fieldset>

          <fieldset className="step">
            <legend>
              <span className="step-num">2</span> AWS defaults
            </legend>
            <p className="subtle small step-help">
              Used by chamber, ssm and s3 sources. Leave empty to use your default AWS profile.
            </p>
            <div className="field-row">
              <TextField
                label="AWS profile"
                optional
                value={aws.profile}
                onChange={(v) => setAws({ ...aws, profile: v })}
                placeholder="acme-dev"
                mono
                testId="aws-profile"
              />
              <div className="field">
                <label className="field-label" htmlFor="aws-region">
                  AWS region<span className="subtle optional"> optional</span>
                </label>
                <input
                  id="aws-region"
                  className="input mono"
                  list="aws-regions"
                  value={aws.region}
                  placeholder="us-east-1"
                  onChange={(e) => setAws({ ...aws, region: e.target.value })}
                  spellCheck={false}
                  autoComplete="off"
                  data-testid="aws-region"
                />
                <datalist id="aws-regions">
                  {REGIONS.map((r) => (
                    <option key={r} value={r} />
                  ))}
                </datalist>
              </div>
            </div>
          </fieldset>

          <fieldset className="step">
            <legend>
              <span className="step-num">3</span> Sources
            </legend>
            <p className="subtle small step-help">
              Applied in order: a later source overrides an earlier one. You can change them any time.
            </p>
            <SourceListEditor
              items={form.sources}
              onChange={(sources) => setForm({ ...form, sources })}
              errors={errors}
              showErrors={submitted}
            />
          </fieldset>

          {serverError ? <ErrorPanel error={serverError} context="Create" /> : null}

          <div className="form-footer">
            {submitted && !valid ? (
              <span className="field-error">
                <Icon name="error" size={13} />
                Some fields need attention.
              </span>
            ) : (
              <span className="subtle small">Creates latchkey.yml in this folder. Nothing is synced yet.</span>
            )}
            <span className="spacer" />
            <button type="submit" className="btn btn-primary btn-lg" disabled={saving} data-testid="create-manifest">
              {saving ? <span className="spinner" /> : <Icon name="check" size={15} />}
              Create latchkey.yml
            </button>
          </div>
        </form>

        <aside className="card yaml-preview" aria-label="Preview of latchkey.yml">
          <div className="yaml-preview-head">
            <Icon name="file" size={14} />
            <span className="mono small">latchkey.yml</span>
            <span className="spacer" />
            <span className="pill">preview</span>
          </div>
          <pre className="yaml">{previewYaml(form, aws)}</pre>
        </aside>
      </div>
    </div>
  );
}
