import { fstatSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ExportFormat, K8sSecretOptions } from '../../app';
import { EXPORT_FORMATS } from '../../core/export/formats';
import { LatchkeyError } from '../../core/errors';
import { describeRejectedInput } from '../../core/redact';
import type { CliContext } from '../context';
import { addNameOptions, nameTransform, type NameOptions } from '../name-options';
import { ensurePersonalSecrets } from '../personal-secrets';
import { collect } from '../plan-flow';
import { withProgress } from '../progress';
import { addTimeoutOption, deadlineFrom, type TimeoutOptions } from '../timeout-option';

interface ExportOptions extends NameOptions, TimeoutOptions {
  format: ExportFormat;
  reveal?: boolean;
  githubEnv?: boolean;
  name?: string;
  namespace?: string;
  label: string[];
  annotation: string[];
  type?: string;
  stringData?: boolean;
}

export function registerExport(program: Command, ctx: CliContext): void {
  const command = program
    .command('export')
    .description("print the profile's values in a format for another tool (values are revealed)")
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).default('dotenv'))
    .option('--reveal', 'allow printing values to a terminal')
    .option('--github-env', 'github: append the values to $GITHUB_ENV and print only the ::add-mask:: lines')
    .option('--name <name>', "k8s: the Secret's name (default latchkey-<profile>)")
    .option('--namespace <namespace>', "k8s: the Secret's namespace")
    .option('--label <key=value>', 'k8s: a label (repeatable)', collect, [])
    .option('--annotation <key=value>', 'k8s: an annotation (repeatable)', collect, [])
    .option('--type <type>', 'k8s: the Secret type (default Opaque)')
    .option('--string-data', 'k8s: values in stringData, readable, instead of base64 data');
  addTimeoutOption(addNameOptions(command)).action(async (profileName: string | undefined, opts: ExportOptions) => {
    if (ctx.io.stdout.isTTY && !opts.reveal) {
      throw new LatchkeyError(
        'INVALID_INPUT',
        'refusing to print secret values to a terminal',
        'Pipe or redirect the output, or add --reveal.',
      );
    }
    const k8s = k8sOptions(opts);
    const githubEnvFile = opts.githubEnv ? githubEnvPath(opts.format) : undefined;
    if (opts.format === 'github' && !opts.githubEnv) refuseStdoutIsGithubEnv();
    await ensurePersonalSecrets(ctx, profileName);
    const output = await withProgress(ctx.io.stderr, ctx.warn, (report) =>
      ctx.app.values.export({
        project: ctx.project(),
        profile: profileName,
        format: opts.format,
        names: nameTransform(opts),
        ...deadlineFrom(opts),
        ...(k8s && { k8s }),
        ...(githubEnvFile !== undefined && { githubEnvFile }),
        ...report,
      }),
    );
    output.warnings.forEach((w) => ctx.warn(w));
    ctx.io.stdout.write(output.text);
  });
}

/** The k8s-only flags given, by their option names, so that using one with another format is an error. */
function k8sFlagsGiven(opts: ExportOptions): string[] {
  const given: string[] = [];
  if (opts.name !== undefined) given.push('--name');
  if (opts.namespace !== undefined) given.push('--namespace');
  if (opts.label.length > 0) given.push('--label');
  if (opts.annotation.length > 0) given.push('--annotation');
  if (opts.type !== undefined) given.push('--type');
  if (opts.stringData) given.push('--string-data');
  return given;
}

function k8sOptions(opts: ExportOptions): K8sSecretOptions | undefined {
  if (opts.format !== 'k8s') {
    const [flag] = k8sFlagsGiven(opts);
    if (flag) throw new LatchkeyError('INVALID_INPUT', `${flag} goes with --format k8s`);
    return undefined;
  }
  return {
    ...(opts.name !== undefined && { name: opts.name }),
    ...(opts.namespace !== undefined && { namespace: opts.namespace }),
    labels: opts.label.map((pair) => keyValue('--label', pair)),
    annotations: opts.annotation.map((pair) => keyValue('--annotation', pair)),
    ...(opts.type !== undefined && { type: opts.type }),
    ...(opts.stringData && { stringData: true }),
  };
}

function keyValue(flag: string, pair: string): [string, string] {
  const at = pair.indexOf('=');
  // Not echoed: a value in the wrong place could be a secret (issue 10, item 17).
  if (at <= 0)
    throw new LatchkeyError('INVALID_INPUT', `${flag} expects key=value; found ${describeRejectedInput(pair)}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function githubEnvPath(format: ExportFormat): string {
  if (format !== 'github') throw new LatchkeyError('INVALID_INPUT', '--github-env goes with --format github');
  const file = process.env.GITHUB_ENV;
  if (!file) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      '--github-env: $GITHUB_ENV is not set',
      'The GitHub Actions runner sets it for every step; outside a runner, use --format github without --github-env.',
    );
  }
  return file;
}

/**
 * `--format github >> "$GITHUB_ENV"` would send the ::add-mask:: lines into the env file, where the runner never
 * reads them as commands, and the values would go unmasked in later logs: that is what --github-env is for.
 */
function refuseStdoutIsGithubEnv(): void {
  const file = process.env.GITHUB_ENV;
  if (!file) return;
  try {
    const out = fstatSync(1);
    const env = statSync(file);
    if (out.dev === env.dev && out.ino === env.ino) {
      throw new LatchkeyError(
        'INVALID_INPUT',
        'stdout is $GITHUB_ENV: the ::add-mask:: lines would land in it instead of reaching the runner',
        'Use `latchkey export --format github --github-env`, which appends the values there and prints the masks.',
      );
    }
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
  }
}
