import { spellEntry } from '../dotenv';
import { delimited } from './delimited';
import { githubEnvEntries, githubMasks } from './github';
import { gitlabDotenv } from './gitlab';
import { tfvars } from './hcl';
import { javaProperties } from './java-properties';
import { k8sSecret, type FileEntry, type K8sSecretOptions } from './k8s';
import { checkAll, refuseIfAny, type KeyProblem } from './refusals';
import { yamlMappingLines } from './yaml-quoted';
import type { ExportFormat } from './formats';

export { githubEnvEntries, githubMasks } from './github';
export type { FileEntry, K8sSecretOptions } from './k8s';

export type { ExportFormat } from './formats';

export interface ExportInput {
  values: Map<string, string>;
  /** File secrets; only `k8s` carries them (as file keys), every other format is about variables. */
  files?: FileEntry[];
  profile: string;
  format: ExportFormat;
  /** The Secret's name and namespace for `k8s`; undefined when the request gave none. */
  k8s?: K8sSecretOptions | undefined;
}

export interface ExportOutput {
  text: string;
  /** Things the consumer may object to that do not make the text wrong (a GitLab.com limit, say). No values. */
  warnings: string[];
}

/**
 * Renders values for another tool, exactly as that tool will read them back. A value the format cannot carry
 * exactly is refused by key name (PLAN_HAS_ERRORS): nothing is rendered rather than something slightly wrong.
 */
export function formatExport(input: ExportInput): ExportOutput {
  const { values } = input;
  const only = (text: string): ExportOutput => ({ text, warnings: [] });
  switch (input.format) {
    case 'dotenv':
    case 'shell':
      return only(spelled(values, input.format === 'dotenv' ? 'portable' : 'shell'));
    case 'json':
      return only(`${JSON.stringify(Object.fromEntries(values), null, 2)}\n`);
    case 'yaml':
      checkAll('yaml', values, () => undefined);
      return only(values.size > 0 ? yamlMappingLines(values) : '{}\n');
    case 'tfvars':
      return only(tfvars(values));
    case 'k8s':
      return only(k8sSecret(values, input.files ?? [], input.profile, input.k8s));
    case 'github':
      // The masks come first: the runner masks a value in every log line printed after its mask.
      return only(githubMasks(values.values()) + githubEnvEntries(values));
    case 'gitlab':
      return gitlabDotenv(values);
    case 'csv':
    case 'tsv':
      return only(delimited(values, input.format));
    case 'java-properties':
      return only(javaProperties(values));
  }
}

function spelled(values: Map<string, string>, dialect: 'portable' | 'shell'): string {
  const problems: KeyProblem[] = [];
  let text = '';
  for (const [key, value] of values) {
    const spelling = spellEntry(key, value, dialect);
    if (spelling.ok) text += `${spelling.text}\n`;
    else problems.push({ key, reason: spelling.reason });
  }
  refuseIfAny(
    dialect === 'portable' ? 'dotenv' : 'shell',
    problems,
    'Nothing was printed. Use --format json or shell, which can carry any value.',
  );
  return text;
}
