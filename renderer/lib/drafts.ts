import type { ProfileDraft, ProfileView, SourceDraft, SourceView } from '../../contract/ipc';
import { DEFAULT_DIALECT, type Dialect, type SourceKind } from '../../contract/plan';

/** One source as the editor holds it: plain strings per field, and a stable id so React keeps focus while reordering. */
export interface SourceItem {
  uid: number;
  kind: SourceKind;
  main: string;
  as: string;
  only: string;
  file: string;
  values: { key: string; value: string }[];
  /** A `set` entry read from the manifest whose values the app was not given: they must be typed again. */
  valuesUnknown?: boolean;
}

export interface ProfileForm {
  name: string;
  description: string;
  target: string;
  dialect: ProfileDraft['dialect'];
  sources: SourceItem[];
}

/** The file formats in the editor's words. */
export const DIALECT_LABELS: Record<Dialect, string> = {
  portable: '.env (portable)',
  docker: 'Docker env-file',
  shell: 'Shell exports',
};

let uidSeq = 0;
const nextUid = () => ++uidSeq;

/** Each source kind in the editor's words, in the order the "Add a source" buttons offer them. */
export const KIND_INFO: Record<SourceKind, { label: string; main: string; placeholder: string; help: string }> = {
  chamber: {
    label: 'chamber',
    main: 'Service',
    placeholder: 'api/dev',
    help: 'Every key under the SSM path of a chamber service.',
  },
  ssm: {
    label: 'ssm',
    main: 'Parameter',
    placeholder: '/legacy/stripe_key',
    help: 'One SSM parameter by its full name.',
  },
  keychain: {
    label: 'keychain',
    main: 'Name',
    placeholder: 'GITHUB_TOKEN',
    help: 'A personal secret in your OS keychain, asked for once.',
  },
  set: { label: 'set', main: 'Values', placeholder: '', help: 'Plain, non-secret values written as they are.' },
  s3: {
    label: 's3',
    main: 'URL',
    placeholder: 's3://bucket/path/file',
    help: 'An encrypted S3 object, as a value or a file.',
  },
  op: {
    label: '1Password',
    main: 'Reference',
    placeholder: 'op://Vault/Item/field',
    help: 'A 1Password field (arrives with 1Password support).',
  },
};

export const KIND_ORDER = Object.keys(KIND_INFO) as SourceKind[];

export function emptySource(kind: SourceKind): SourceItem {
  return {
    uid: nextUid(),
    kind,
    main: '',
    as: '',
    only: '',
    file: '',
    values: kind === 'set' ? [{ key: '', value: '' }] : [],
  };
}

function sourceFromView(view: SourceView): SourceItem {
  const item = emptySource(view.kind);
  item.main = view.ref;
  item.as = view.as ?? '';
  item.only = (view.only ?? []).join(', ');
  item.file = view.file ?? '';
  if (view.kind === 'set') {
    // The view may carry the plain values; when it does not, the editor asks for them again rather than guess.
    const known = (view as SourceView & { values?: Record<string, string> }).values;
    item.values = (view.keys ?? []).map((key) => ({ key, value: known?.[key] ?? '' }));
    item.valuesUnknown = !known && (view.keys ?? []).length > 0;
  }
  return item;
}

export function formFromProfile(view: ProfileView): ProfileForm {
  return {
    name: view.name,
    description: view.description ?? '',
    target: view.target,
    dialect: view.dialect,
    sources: view.sources.map(sourceFromView),
  };
}

export function newProfileForm(name = 'dev'): ProfileForm {
  return { name, description: '', target: '.env', dialect: DEFAULT_DIALECT, sources: [emptySource('chamber')] };
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

function draftOfSource(item: SourceItem): SourceDraft {
  switch (item.kind) {
    case 'chamber': {
      const only = item.only.split(/[\s,]+/).filter(Boolean);
      return { kind: 'chamber', service: item.main.trim(), ...(only.length ? { only } : {}) };
    }
    case 'ssm':
      return { kind: 'ssm', name: item.main.trim(), ...(opt(item.as) ? { as: opt(item.as) } : {}) };
    case 'op':
      return { kind: 'op', ref: item.main.trim(), ...(opt(item.as) ? { as: opt(item.as) } : {}) };
    case 'keychain':
      return { kind: 'keychain', name: item.main.trim() };
    case 's3':
      return {
        kind: 's3',
        url: item.main.trim(),
        ...(opt(item.as) ? { as: opt(item.as) } : {}),
        ...(opt(item.file) ? { file: opt(item.file) } : {}),
      };
    case 'set':
      return {
        kind: 'set',
        values: Object.fromEntries(item.values.filter((v) => v.key.trim()).map((v) => [v.key.trim(), v.value])),
      };
  }
}

export function draftOfForm(form: ProfileForm): ProfileDraft {
  return {
    name: form.name.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    target: form.target.trim(),
    dialect: form.dialect,
    sources: form.sources.map(draftOfSource),
  };
}

/** Which source a manifest problem points at (`profiles.dev.sources[2].as` → 2), to highlight its card. */
export function sourceIndexOfPath(path: string): number | undefined {
  const m = /sources[.[](\d+)/.exec(path);
  return m ? Number(m[1]) : undefined;
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = list.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** A preview of the YAML the guided form will create; main writes the real file (with the same shape). */
export function previewYaml(form: ProfileForm, aws: { profile: string; region: string }): string {
  // Plain only where YAML cannot read it as anything but this string: a leading digit, dot or dash can make a
  // number (-1, .5, 0x1F, .inf) or, alone, a sequence entry ("-"); true/no/null/~ are not strings either.
  const q = (s: string) =>
    /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : JSON.stringify(s);
  const lines = ['version: 1'];
  const awsParts = [
    aws.profile.trim() && `profile: ${q(aws.profile.trim())}`,
    aws.region.trim() && `region: ${q(aws.region.trim())}`,
  ].filter(Boolean);
  if (awsParts.length) lines.push(`aws: { ${awsParts.join(', ')} }`);
  lines.push('profiles:', `  ${q(form.name.trim() || 'dev')}:`);
  if (form.description.trim()) lines.push(`    description: ${q(form.description.trim())}`);
  lines.push(`    target: ${q(form.target.trim() || '.env')}`);
  if (form.dialect && form.dialect !== DEFAULT_DIALECT) lines.push(`    dialect: ${form.dialect}`);
  lines.push('    sources:');
  for (const item of form.sources) {
    const d = draftOfSource(item);
    switch (d.kind) {
      case 'chamber':
        lines.push(`      - chamber: ${q(d.service || '…')}`);
        if (d.only) lines.push(`        only: [${d.only.map(q).join(', ')}]`);
        break;
      case 'ssm':
        lines.push(`      - ssm: ${q(d.name || '…')}`);
        if (d.as) lines.push(`        as: ${d.as}`);
        break;
      case 'op':
        lines.push(`      - op: ${JSON.stringify(d.ref || '…')}`);
        if (d.as) lines.push(`        as: ${d.as}`);
        break;
      case 'keychain':
        lines.push(`      - keychain: ${q(d.name || '…')}`);
        break;
      case 's3':
        lines.push(`      - s3: ${q(d.url || '…')}`);
        if (d.file) lines.push(`        file: ${q(d.file)}`);
        if (d.as) lines.push(`        as: ${d.as}`);
        break;
      case 'set': {
        const entries = Object.keys(d.values).map((k) => `${k}: ${d.values[k] ? q(d.values[k]!) : '""'}`);
        lines.push(`      - set: { ${entries.join(', ') || '…'} }`);
        break;
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
