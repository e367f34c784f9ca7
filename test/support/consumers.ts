import { spawn, spawnSync } from 'node:child_process';

/**
 * The real consumers of Latchkey's export formats, run as child processes: python (PyYAML, csv), java
 * (java.util.Properties), terraform, kubectl. A consumer that is not installed makes its test skip with the
 * reason printed, never pass silently.
 */

export interface ProcessResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: 'pipe' });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Why `command` cannot run here, or undefined when it can (`probe` is a cheap invocation that must exit 0). */
export function missingConsumer(command: string, probe: string[]): string | undefined {
  const result = spawnSync(command, probe, { stdio: 'ignore', timeout: 30_000 });
  if (result.error) return `${command} is not installed (${(result.error as NodeJS.ErrnoException).code})`;
  if (result.status !== 0) return `${command} ${probe.join(' ')} exited ${result.status}`;
  return undefined;
}

/** Skips a test with its reason printed, so a skip is never silent. */
export function skipReason(reason: string | undefined, what: string): boolean {
  if (reason) process.stderr.write(`skipped: ${what}: ${reason}\n`);
  return reason !== undefined;
}

/** A Python program that reads YAML with PyYAML (YAML 1.1) and prints the result as JSON with ASCII escapes. */
export const PYYAML_TO_JSON = `
import json, sys, yaml
data = yaml.safe_load(sys.stdin.buffer.read().decode('utf-8'))
sys.stdout.write(json.dumps(data, ensure_ascii=True))
`;

/** Python's csv module reading key,value records (separator in argv[1]), printed as JSON pairs. */
export const PYTHON_CSV_TO_JSON = `
import csv, io, json, sys
rows = list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline=''), delimiter=sys.argv[1]))
sys.stdout.write(json.dumps(rows, ensure_ascii=True))
`;
