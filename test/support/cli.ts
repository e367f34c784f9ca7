import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsTestEnv } from './aws-env';
import { CLI_BIN } from './paths';

const BIN = CLI_BIN;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `latchkey` bin as a user would, in `cwd`, with no TTY. */
export function runLatchkey(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** A throwaway project folder and app-data folder (LATCHKEY_HOME), plus an AWS credentials file for `profile`. */
export function makeProject(manifest: string, awsProfile = 'acme-dev') {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-project-'));
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-home-'));
  const awsDir = mkdtempSync(path.join(tmpdir(), 'latchkey-awsfiles-'));
  writeFileSync(path.join(root, 'latchkey.yml'), manifest);
  writeFileSync(
    path.join(awsDir, 'credentials'),
    `[${awsProfile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`,
    { mode: 0o600 },
  );
  writeFileSync(path.join(awsDir, 'config'), `[profile ${awsProfile}]\nregion = us-east-1\n`, { mode: 0o600 });
  return { root, home, awsDir };
}

/** Every file under `dir`, recursively, as text: for canary scans. */
export function readTree(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const st = statSync(file);
    if (st.isDirectory()) out.push(...readTree(file));
    else if (st.isFile()) out.push({ file, text: readFileSync(file, 'utf8') });
  }
  return out;
}

/**
 * The environment a user's shell would give the CLI for this project: the AWS SDK pointed at `endpoint` (moto or a
 * fault proxy), credentials from the project's own shared files (the manifest names the profile), a private
 * app-data folder, no colours.
 */
export function cliEnv(
  project: { home: string; awsDir: string },
  endpoint: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(awsTestEnv(endpoint))) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  env.AWS_CONFIG_FILE = path.join(project.awsDir, 'config');
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(project.awsDir, 'credentials');
  env.LATCHKEY_HOME = project.home;
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}
