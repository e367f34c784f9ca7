import { randomBytes } from 'node:crypto';
import { stringify as yamlStringify } from 'yaml';
import { spellEntry } from '../core/dotenv';
import { LatchkeyError } from '../core/errors';

export const EXPORT_FORMATS = ['dotenv', 'json', 'yaml', 'shell', 'tfvars', 'k8s', 'github'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Render values for another tool. Each format uses its own quoting rules; a value a format cannot carry is refused. */
export function formatExport(values: Map<string, string>, format: ExportFormat, profile: string): string {
  const entries = [...values];
  switch (format) {
    case 'dotenv':
    case 'shell':
      return entries.map(([k, v]) => spelled(k, v, format === 'dotenv' ? 'portable' : 'shell')).join('');
    case 'json':
      return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
    case 'yaml':
      return yamlStringify(Object.fromEntries(entries));
    case 'tfvars':
      // HCL strings are JSON strings plus `${`/`%{` template sequences, which must be doubled to stay literal.
      return entries
        .map(([k, v]) => `${k} = ${JSON.stringify(v).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}\n`)
        .join('');
    case 'k8s':
      return yamlStringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: k8sName(profile) },
        type: 'Opaque',
        data: Object.fromEntries(entries.map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
      });
    case 'github':
      return entries.map(([k, v]) => githubEnvEntry(k, v)).join('');
  }
}

function spelled(key: string, value: string, dialect: 'portable' | 'shell'): string {
  const spelling = spellEntry(key, value, dialect);
  if (!spelling.ok)
    throw new LatchkeyError(
      'PLAN_HAS_ERRORS',
      `${key}: ${spelling.reason}`,
      'Use --format json or shell, which can carry any value.',
    );
  return `${spelling.text}\n`;
}

/** $GITHUB_ENV's multi-line syntax; the delimiter is random so no value can end the block early. */
function githubEnvEntry(key: string, value: string): string {
  let delimiter = `LATCHKEY_${randomBytes(12).toString('hex')}`;
  while (value.includes(delimiter)) delimiter = `LATCHKEY_${randomBytes(12).toString('hex')}`;
  return `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
}

function k8sName(profile: string): string {
  return `latchkey-${profile}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 253);
}
