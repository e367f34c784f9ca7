import type { GeneratePolicyView, OtherUseView, RotateStep } from '../../contract/ipc';
import type { SourceKind } from '../../contract/plan';
import { baseName } from './format';

/** What each step of a rotation does, in the words the progress list shows. */
export const ROTATE_STEP_LABELS: Record<RotateStep, string> = {
  read: 'Read the current version',
  generate: 'Generate a new value',
  write: 'Write it over that version',
  audit: 'Record it in the audit log',
  sync: 'Sync this profile',
};

const CHARSET_LABELS: Record<GeneratePolicyView['charset'], string> = {
  'url-safe': 'URL-safe letters, digits, - and _',
  alphanumeric: 'letters and digits',
  hex: 'hexadecimal digits',
  printable: 'printable ASCII',
};

/** "40 characters: URL-safe letters, digits, - and _" */
export function policyText(policy: GeneratePolicyView): string {
  return `${policy.length} characters: ${CHARSET_LABELS[policy.charset]}`;
}

/** The sources whose values Latchkey can change at the source (rotate, write). */
export function isSharedKind(kind: SourceKind | undefined): kind is 'chamber' | 'ssm' {
  return kind === 'chamber' || kind === 'ssm';
}

/** "acme-api › ci" */
export function otherUseText(use: OtherUseView): string {
  return `${baseName(use.project)} › ${use.profile}`;
}

/** The impact sentence a confirmation starts with. */
export function impactText(parameter: string, others: OtherUseView[]): string {
  if (others.length === 0) return `This changes ${parameter}; no other recent profile reads it.`;
  const n = others.length;
  return `This changes ${parameter}; ${n} other profile${n === 1 ? ' uses' : 's use'} it: ${others.map(otherUseText).join(', ')}.`;
}
