import type { z } from 'zod';
import { OP_REF_PREFIX, PROFILE_NAME_RULE, ProfileDraftSchema, S3_URL_PREFIX } from '../../contract/ipc';
import { draftOfForm, KIND_INFO, type ProfileForm, type SourceItem } from './drafts';

/** Field-level messages, keyed `name`, `target`, `sources.2.main`… */
export type FormErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

/** The draft's fields as the editor names them: every kind's main field (service, name, ref, url) is `main`. */
const SOURCE_FIELDS: Record<string, string> = {
  service: 'main',
  name: 'main',
  ref: 'main',
  url: 'main',
  as: 'as',
  file: 'file',
  only: 'only',
  values: 'values',
};

/**
 * Checks the form with the contract's own schema (ProfileDraftSchema: the name and variable-name patterns, the
 * schemes, every length limit), as main will check the draft, and says what is wrong in the editor's words. Only
 * what the schema cannot know is checked here: names already taken, and `set` values that must be typed again.
 * main checks the draft again, then the manifest's full rules, and its problems are shown on the cards too.
 */
export function validateForm(form: ProfileForm, takenNames: string[] = []): FormErrors {
  const errors: FormErrors = {};
  const draft = draftOfForm(form);
  if (!draft.name) errors.name = 'Give the profile a name, for example dev.';
  if (!draft.target) errors.target = 'Say which file to write, for example .env.';
  if (form.sources.length === 0) errors.sources = 'Add at least one source.';
  form.sources.forEach((item, i) => {
    const at = `sources.${i}`;
    if (item.kind !== 'set' && !item.main.trim()) errors[`${at}.main`] = `${KIND_INFO[item.kind].main} is required.`;
    if (item.kind === 'set') {
      const keys = item.values.filter((v) => v.key.trim());
      if (keys.length === 0) errors[`${at}.values`] = 'Add at least one name and value.';
      else if (item.valuesUnknown && keys.some((v) => v.value === ''))
        errors[`${at}.values`] = 'Type these values again: the app does not read them back from latchkey.yml.';
    }
  });

  const parsed = ProfileDraftSchema.safeParse(draft);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = fieldOf(issue.path);
    const item = typeof issue.path[1] === 'number' ? form.sources[issue.path[1]] : undefined;
    errors[field] ??= messageOf(issue, field, item);
  }

  if (!errors.name && takenNames.includes(draft.name)) errors.name = `A profile named ${draft.name} already exists.`;
  // The manifest's full path rule lives in main (it refuses what escapes the folder once normalised); this is the
  // quick hint for the common mistakes.
  if (!errors.target && (draft.target.startsWith('/') || draft.target.includes('..')))
    errors.target = 'The target must stay inside the project folder (a relative path, no "..").';
  return errors;
}

function fieldOf(path: readonly PropertyKey[]): string {
  const [top, index, field] = path;
  if (top === 'sources' && typeof index === 'number' && typeof field === 'string')
    return `sources.${index}.${SOURCE_FIELDS[field] ?? field}`;
  return String(top ?? 'form');
}

function messageOf(issue: Issue, field: string, item: SourceItem | undefined): string {
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum);
      if (field === 'sources') return `A profile holds at most ${max} sources.`;
      if (field.endsWith('.only'))
        return issue.origin === 'array' ? `At most ${max} keys.` : `Each key: at most ${max} characters.`;
      if (field.endsWith('.values')) return `A value holds at most ${max} characters.`;
      return `At most ${max} characters.`;
    }
    case 'invalid_key':
      return `${String(issue.path.at(-1)).trim()} is not a valid variable name.`;
    case 'invalid_format':
      if (field === 'name') return `Use ${PROFILE_NAME_RULE}.`;
      if (field.endsWith('.as')) return `${item?.as.trim() ?? ''} is not a valid variable name.`;
      if (item?.kind === 'keychain') return 'A keychain entry is a variable name: letters, digits and underscores.';
      if (item?.kind === 'op') return `A 1Password reference starts with ${OP_REF_PREFIX}`;
      if (item?.kind === 's3') return `An S3 URL starts with ${S3_URL_PREFIX}`;
      return 'This is not in the expected form.';
    default:
      return 'This value is not accepted.';
  }
}
