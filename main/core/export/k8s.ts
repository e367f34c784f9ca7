import { LatchkeyError } from '../errors';
import { refuseIfAny, unencodable, type KeyProblem } from './refusals';
import { yamlMappingLines, yamlQuoted } from './yaml-quoted';

/*
 * A Kubernetes Secret manifest for `kubectl apply -f -`. Names follow the API server's own validation, checked
 * here so that a bad flag fails before anything is applied: metadata.name is a DNS subdomain (RFC 1123), the
 * namespace a DNS label, label and annotation keys are qualified names, label values are at most 63 characters of
 * `[A-Za-z0-9_.-]` starting and ending alphanumeric, and data keys are `[-._a-zA-Z0-9]+`. Every scalar is a
 * double-quoted YAML string (see yaml-quoted.ts).
 */

export interface K8sSecretOptions {
  name?: string;
  namespace?: string;
  labels?: [string, string][];
  annotations?: [string, string][];
  /** Default `Opaque`. */
  type?: string;
  /** Values in `stringData` (readable in the manifest) instead of base64 `data`; files always go in `data`. */
  stringData?: boolean;
}

/** A file secret (an `s3:` source with `file:`), keyed by its file name as `kubectl create secret --from-file`. */
export interface FileEntry {
  /** The path as the manifest names it, relative to its folder. */
  path: string;
  bytes: Uint8Array;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const SECRET_TYPE = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;

function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be at most 253 characters';
  if (!DNS_SUBDOMAIN.test(name))
    return "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  return undefined;
}

function dnsLabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be at most 63 characters';
  if (!DNS_LABEL.test(name))
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

/** `prefix/name` or `name`: the prefix a DNS subdomain, the name at most 63 characters. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "must hold at most one '/'";
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined) {
    if (prefix === '') return "has an empty prefix before '/'";
    const problem = dnsSubdomainProblem(prefix);
    if (problem) return `prefix ${problem}`;
  }
  if (name === undefined || name === '') return 'has an empty name';
  if (name.length > 63) return 'name must be at most 63 characters';
  if (!QUALIFIED_NAME_PART.test(name))
    return "name must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!LABEL_VALUE.test(value))
    return "must be empty, or letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

function dataKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'a Secret key is at most 253 characters';
  if (!DATA_KEY.test(key) || key === '.' || key === '..' || key.startsWith('..'))
    return "a Secret key is letters, digits, '-', '_' and '.' (and not '.', '..' or starting with '..')";
  return undefined;
}

/** The Secret's default name: `latchkey-<profile>`, made a DNS subdomain. */
export function defaultSecretName(profile: string): string {
  const name = `latchkey-${profile}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return name || 'latchkey';
}

function invalid(what: string, shown: string, problem: string): LatchkeyError {
  return new LatchkeyError('INVALID_INPUT', `${what} ${JSON.stringify(shown)} ${problem}`);
}

function checkOptions(opts: K8sSecretOptions): void {
  const nameProblem = opts.name !== undefined ? dnsSubdomainProblem(opts.name) : undefined;
  if (nameProblem) throw invalid('--name', opts.name!, nameProblem);
  const nsProblem = opts.namespace !== undefined ? dnsLabelProblem(opts.namespace) : undefined;
  if (nsProblem) throw invalid('--namespace', opts.namespace!, nsProblem);
  for (const [key, value] of opts.labels ?? []) {
    const problem = qualifiedNameProblem(key);
    if (problem) throw invalid('--label key', key, problem);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) throw invalid(`--label ${key} value`, value, valueProblem);
  }
  for (const [key, value] of opts.annotations ?? []) {
    const problem = qualifiedNameProblem(key);
    if (problem) throw invalid('--annotation key', key, problem);
    if (unencodable(value))
      throw new LatchkeyError('INVALID_INPUT', `--annotation ${key}: the value is not valid Unicode`);
  }
  if (opts.type !== undefined && (opts.type.length > 253 || !SECRET_TYPE.test(opts.type))) {
    throw invalid(
      '--type',
      opts.type,
      "must be letters, digits, '-', '_', '.' and '/', e.g. Opaque or kubernetes.io/tls",
    );
  }
}

/** The file name a file secret is keyed by, as `--from-file` uses it. */
function fileKey(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function k8sSecret(
  values: Map<string, string>,
  files: FileEntry[],
  profile: string,
  opts: K8sSecretOptions = {},
): string {
  checkOptions(opts);
  const problems: KeyProblem[] = [];
  const keys = new Map<string, string>();
  const claim = (key: string, what: string) => {
    const problem = dataKeyProblem(key);
    if (problem) problems.push({ key, reason: problem });
    const earlier = keys.get(key);
    if (earlier) problems.push({ key, reason: `both ${earlier} and ${what} would be this Secret key` });
    keys.set(key, what);
  };
  for (const [key, value] of values) {
    claim(key, `variable ${key}`);
    const reason = unencodable(value);
    if (reason) problems.push({ key, reason });
  }
  for (const file of files) claim(fileKey(file.path), `file ${file.path}`);
  refuseIfAny('k8s', problems);

  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const data: [string, string][] = files.map((f) => [fileKey(f.path), base64(f.bytes)]);
  const stringData: [string, string][] = [];
  for (const [key, value] of values) {
    if (opts.stringData) stringData.push([key, value]);
    else data.push([key, base64(Buffer.from(value, 'utf8'))]);
  }

  let out = `apiVersion: "v1"\nkind: "Secret"\nmetadata:\n  name: ${yamlQuoted(opts.name ?? defaultSecretName(profile))}\n`;
  if (opts.namespace !== undefined) out += `  namespace: ${yamlQuoted(opts.namespace)}\n`;
  if (opts.labels?.length) out += `  labels:\n${yamlMappingLines(opts.labels, '    ')}`;
  if (opts.annotations?.length) out += `  annotations:\n${yamlMappingLines(opts.annotations, '    ')}`;
  out += `type: ${yamlQuoted(opts.type ?? 'Opaque')}\n`;
  if (data.length > 0 || stringData.length === 0)
    out += data.length ? `data:\n${yamlMappingLines(data, '  ')}` : 'data: {}\n';
  if (stringData.length > 0) out += `stringData:\n${yamlMappingLines(stringData, '  ')}`;
  return out;
}
