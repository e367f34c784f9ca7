import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatExport, type ExportFormat, type K8sSecretOptions } from '../../../../main/core/export';
import { githubEnvEntries, githubMasks } from '../../../../main/core/export';
import {
  missingConsumer,
  PYTHON_CSV_TO_JSON,
  PYYAML_TO_JSON,
  runProcess,
  skipReason,
} from '../../../support/consumers';
import { hasLoneSurrogate, TRICKY_VALUES } from '../../../support/export-values';
import { startFakeKubeApi, type FakeKubeApi } from '../../../support/kube-api';
import { REPO_ROOT } from '../../../support/paths';

// Each format read back by the program that consumes it, every value compared byte for byte: the tricky values,
// and a few hundred generated ones.

const generated = fc
  .sample(
    fc.string({
      unit: fc.oneof(
        fc.constantFrom('$', '{', '%', '}', '\\', '"', "'", '\n', '\t', ' ', '#', ':', '-', '\u2028', '\u0085'),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
        fc.string({ unit: 'binary-ascii', maxLength: 1 }),
      ),
      maxLength: 30,
    }),
    { numRuns: 300, seed: 11 },
  )
  .filter((v) => !hasLoneSurrogate(v));

function valuesFor(accept: (value: string) => boolean): Map<string, string> {
  const values = new Map(Object.entries(TRICKY_VALUES).filter(([, v]) => accept(v)));
  generated.filter(accept).forEach((v, i) => values.set(`GEN_${i}`, v));
  return values;
}

const noNul = (v: string) => !v.includes('\0');
const render = (format: ExportFormat, values: Map<string, string>, k8s?: K8sSecretOptions) =>
  formatExport({ values, profile: 'dev', format, ...(k8s && { k8s }) }).text;

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'latchkey-consumers-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('yaml', () => {
  const values = valuesFor(noNul);

  it('PyYAML (YAML 1.1) reads every value back as the same string', async (ctx) => {
    if (skipReason(missingConsumer('python3', ['-c', 'import yaml']), 'PyYAML')) return ctx.skip();
    const result = await runProcess('python3', ['-c', PYYAML_TO_JSON], { input: render('yaml', values) });
    expect(result.code, result.stderr).toBe(0);
    expect(new Map(Object.entries(JSON.parse(result.stdout.toString('utf8'))))).toEqual(values);
  });

  it('the yaml package reads every value back as the same string, as YAML 1.1 and as 1.2', () => {
    const text = render('yaml', values);
    for (const version of ['1.1', '1.2'] as const) {
      expect(new Map(Object.entries(parseYaml(text, { version })))).toEqual(values);
    }
  });
});

describe('tfvars', () => {
  const values = valuesFor((v) => v.normalize('NFC') === v);

  it('terraform reads every value back exactly', async (ctx) => {
    if (skipReason(missingConsumer('terraform', ['version']), 'terraform round trip')) return ctx.skip();
    const dir = mkdtempSync(path.join(work, 'tf-'));
    const names = [...values.keys()].map((k) => k.toLowerCase());
    writeFileSync(
      path.join(dir, 'main.tf'),
      names.map((n) => `variable "${n}" { type = string }\noutput "${n}" { value = var.${n} }\n`).join(''),
    );
    const lower = new Map([...values].map(([k, v]) => [k.toLowerCase(), v]));
    writeFileSync(path.join(dir, 'test.tfvars'), render('tfvars', lower));
    const env = { PATH: process.env.PATH, HOME: dir, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const tf = (...args: string[]) => runProcess('terraform', args, { cwd: dir, env });
    const init = await tf('init', '-input=false', '-no-color');
    expect(init.code, init.stderr).toBe(0);
    const apply = await tf('apply', '-auto-approve', '-input=false', '-no-color', '-var-file=test.tfvars');
    expect(apply.code, apply.stderr).toBe(0);
    const output = await tf('output', '-json');
    expect(output.code, output.stderr).toBe(0);
    const read = JSON.parse(output.stdout.toString('utf8')) as Record<string, { value: string }>;
    expect(new Map(Object.entries(read).map(([k, o]) => [k, o.value]))).toEqual(lower);
  });
});

describe('github', () => {
  const values = valuesFor((v) => noNul(v) && !v.includes('\r\n') && !v.endsWith('\r'));
  const runner = path.join(REPO_ROOT, 'test/support/github-runner.sh');

  async function job(name: string, ...steps: string[]) {
    const dir = mkdtempSync(path.join(work, `${name}-`));
    const result = await runProcess('bash', [runner, dir, ...steps], { env: { PATH: process.env.PATH } });
    expect(result.code, result.stderr).toBe(0);
    return dir;
  }

  function printEveryValueStep(): string {
    return [...values.keys()].map((k) => `printf '%s\\n' "$${k}"`).join('; ');
  }

  it('a runner reads $GITHUB_ENV back byte for byte, and masks every value in later logs', async () => {
    const masks = path.join(work, 'masks.txt');
    const entries = path.join(work, 'entries.txt');
    writeFileSync(masks, githubMasks(values.values()));
    writeFileSync(entries, githubEnvEntries(values));
    const dir = await job('gh', `cat '${masks}'; cat '${entries}' >> "$GITHUB_ENV"`, printEveryValueStep());
    for (const [key, value] of values) expect(readFileSync(path.join(dir, 'env', key), 'utf8'), key).toBe(value);
    expect(readdirSync(path.join(dir, 'env')).sort()).toEqual([...values.keys()].sort());
    for (const step of ['step-1.log', 'step-2.log']) {
      const log = readFileSync(path.join(dir, step), 'utf8');
      for (const [key, value] of values) {
        for (const line of value.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')) {
          expect(log.includes(line), `${step}: ${key}`).toBe(false);
        }
      }
    }
  });

  it('--format github on stdout: the masks come first, so the log of that very step shows no value', async () => {
    const file = path.join(work, 'github.txt');
    writeFileSync(file, render('github', values));
    const dir = await job('gh-stdout', `cat '${file}'`);
    const log = readFileSync(path.join(dir, 'step-1.log'), 'utf8');
    for (const value of values.values()) {
      for (const line of value.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')) expect(log).not.toContain(line);
    }
  });
});

describe('k8s', () => {
  let api: FakeKubeApi;
  let missing: string | undefined;
  beforeAll(async () => {
    missing = missingConsumer('kubectl', ['version', '--client']);
    if (!missing) api = await startFakeKubeApi();
  });
  afterAll(async () => api?.stop());

  const values = valuesFor((v) => v !== '');
  const options: K8sSecretOptions = {
    name: 'web-secrets',
    namespace: 'web',
    labels: [
      ['app.kubernetes.io/name', 'on'],
      ['tier', '0123'],
    ],
    annotations: [
      ['example.com/note', TRICKY_VALUES.PEM!],
      ['example.com/yes', 'yes'],
    ],
  };

  async function kubectlApply(manifest: string) {
    const result = await runProcess('kubectl', ['apply', '--dry-run=client', '-o', 'json', '-f', '-'], {
      input: manifest,
      env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: api.kubeconfig },
    });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout.toString('utf8')) as {
      metadata: { name: string; namespace: string; labels: object; annotations: Record<string, string> };
      data?: Record<string, string>;
      stringData?: Record<string, string>;
      type: string;
    };
  }

  it('kubectl apply --dry-run=client accepts it and reads every value, label and annotation exactly', async (ctx) => {
    if (skipReason(missing, 'kubectl dry-run')) return ctx.skip();
    const secret = await kubectlApply(render('k8s', values, options));
    expect(secret.metadata.name).toBe('web-secrets');
    expect(secret.metadata.namespace).toBe('web');
    expect(secret.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'on', tier: '0123' });
    expect(secret.metadata.annotations['example.com/note']).toBe(TRICKY_VALUES.PEM);
    expect(secret.metadata.annotations['example.com/yes']).toBe('yes');
    expect(secret.type).toBe('Opaque');
    const decoded = Object.entries(secret.data ?? {}).map(
      ([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')] as [string, string],
    );
    expect(new Map(decoded)).toEqual(values);
    expect(api.requests.every((r) => r.startsWith('GET '))).toBe(true);
  });

  it('with --string-data too', async (ctx) => {
    if (skipReason(missing, 'kubectl dry-run')) return ctx.skip();
    const secret = await kubectlApply(render('k8s', values, { ...options, stringData: true }));
    expect(new Map(Object.entries(secret.stringData ?? {}))).toEqual(values);
  });
});

describe('csv and tsv', () => {
  const values = valuesFor(noNul);

  it.for(['csv', 'tsv'] as const)("Python's csv module reads %s back exactly", async (format, ctx) => {
    if (skipReason(missingConsumer('python3', ['-c', 'import csv']), 'python csv')) return ctx.skip();
    const separator = format === 'csv' ? ',' : '\t';
    const result = await runProcess('python3', ['-c', PYTHON_CSV_TO_JSON, separator], {
      input: render(format, values),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(new Map(JSON.parse(result.stdout.toString('utf8')) as [string, string][])).toEqual(values);
  });
});

describe('java-properties', () => {
  const values = valuesFor(() => true);

  it('java.util.Properties reads it back exactly, as ISO-8859-1 and as UTF-8', async (ctx) => {
    if (skipReason(missingConsumer('java', ['-version']), 'java properties')) return ctx.skip();
    const file = path.join(work, 'values.properties');
    writeFileSync(file, render('java-properties', values));
    const reader = path.join(REPO_ROOT, 'test/support/java/ReadProperties.java');
    const result = await runProcess('java', [reader, file]);
    expect(result.code, result.stderr).toBe(0);
    const read = { latin1: new Map<string, string>(), utf8: new Map<string, string>() };
    for (const line of result.stdout.toString('utf8').trim().split('\n')) {
      const [how, key, value] = line.split('\t') as ['latin1' | 'utf8', string, string];
      read[how].set(Buffer.from(key, 'hex').toString('utf8'), Buffer.from(value ?? '', 'hex').toString('utf8'));
    }
    expect(read.latin1).toEqual(values);
    expect(read.utf8).toEqual(values);
  });
});
