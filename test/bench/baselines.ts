import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { FaultProxy } from '../support/fault-proxy';
import { awsTestEnv, testClientConfig } from '../support/aws-env';
import { readWithDotenv } from '../support/env-readers';
import { REGION, type BenchService } from './bench-data';
import { makeProject, operationCounts, round, timed } from './measure';

/** What a baseline read, and how long and how many requests it took. */
export interface LoopRun {
  wallMs: number;
  requests: number;
  byOperation: Record<string, number>;
  parameters: number;
  /** Parameters whose value differs from the seeded one, or that are missing (must be 0). */
  wrongValues: number;
}

/**
 * chamber's `export` / `env`: one service after another, each read with GetParametersByPath (Recursive false,
 * WithDecryption, 10 a page), the pages one after another. One SDK v3 client for the whole loop, in process: this
 * is the loop's best case, with no process start-up counted.
 */
export async function chamberStyleLoop(proxy: FaultProxy, services: BenchService[]): Promise<LoopRun> {
  const client = new SSMClient(testClientConfig(proxy.url));
  proxy.resetStats();
  try {
    const got = new Map<string, string>();
    const { ms } = await timed(async () => {
      for (const { service } of services) {
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new GetParametersByPathCommand({
              Path: `/${service}`,
              Recursive: false,
              WithDecryption: true,
              MaxResults: 10,
              NextToken: nextToken,
            }),
          );
          for (const p of page.Parameters ?? []) if (p.Name) got.set(p.Name, p.Value ?? '');
          nextToken = page.NextToken;
        } while (nextToken);
      }
    });
    return loopRun(ms, proxy, got, services);
  } finally {
    client.destroy();
  }
}

/**
 * A shell loop of `aws ssm get-parameters-by-path --path /<service> --with-decryption` (awscli v1, which pages
 * by itself), one `aws` process per service, one after another.
 */
export async function awscliLoop(
  proxy: FaultProxy,
  services: BenchService[],
): Promise<LoopRun & { processes: number }> {
  const env = cleanEnv(awsTestEnv(proxy.url));
  proxy.resetStats();
  const got = new Map<string, string>();
  const { ms } = await timed(async () => {
    for (const { service } of services) {
      const out = await runProcess(
        'aws',
        [
          'ssm',
          'get-parameters-by-path',
          '--path',
          `/${service}`,
          '--with-decryption',
          '--endpoint-url',
          proxy.url,
          '--region',
          REGION,
          '--output',
          'json',
        ],
        { env },
      );
      if (out.code !== 0) throw new Error(`aws exited with ${out.code} for /${service}: ${firstLine(out.stderr)}`);
      const parsed = JSON.parse(out.stdout) as { Parameters?: { Name?: string; Value?: string }[] };
      for (const p of parsed.Parameters ?? []) if (p.Name) got.set(p.Name, p.Value ?? '');
    }
  });
  return { ...loopRun(ms, proxy, got, services), processes: services.length };
}

export interface CliRun {
  ok: boolean;
  wallMs: number;
  requests: number;
  byOperation: Record<string, number>;
  wrongValues: number;
  /** Why the run did not count, when it did not. */
  note?: string;
  bundleBuiltAt?: string;
}

/**
 * One `latchkey sync <profile> --yes` of the built CLI bundle in a fresh project: the per-process figure to set
 * beside the awscli loop (Node start-up, keychain, plan and write included).
 */
export async function latchkeyCliSync(
  proxy: FaultProxy,
  manifest: string,
  profile: string,
  expected: Map<string, string>,
): Promise<CliRun> {
  const root = path.resolve(import.meta.dirname, '../..');
  const bin = path.join(root, 'bin/latchkey.js');
  const bundle = path.join(root, 'out/cli/latchkey.mjs');
  if (!existsSync(bundle)) {
    return {
      ok: false,
      wallMs: 0,
      requests: 0,
      byOperation: {},
      wrongValues: 0,
      note: 'CLI bundle not built (npm run build:cli)',
    };
  }
  const bundleBuiltAt = statSync(bundle).mtime.toISOString();
  const project = makeProject(manifest);
  const env = cleanEnv({ ...awsTestEnv(proxy.url), LATCHKEY_HOME: project.appDir });
  proxy.resetStats();
  const { ms, value: out } = await timed(() =>
    runProcess(process.execPath, [bin, '--dir', project.root, 'sync', profile, '--yes'], { env, cwd: project.root }),
  );
  const stats = proxy.stats();
  const base = { wallMs: round(ms), requests: stats.total, byOperation: operationCounts(stats), bundleBuiltAt };
  if (out.code !== 0) return { ...base, ok: false, wrongValues: 0, note: `exit ${out.code}: ${firstLine(out.stderr)}` };
  const written = readWithDotenv(readFileSync(project.target, 'utf8'));
  let wrongValues = 0;
  for (const [name, value] of expected) if (written[name] !== value) wrongValues += 1;
  return { ...base, ok: wrongValues === 0, wrongValues };
}

function loopRun(ms: number, proxy: FaultProxy, got: Map<string, string>, services: BenchService[]): LoopRun {
  const stats = proxy.stats();
  let wrongValues = 0;
  for (const s of services) {
    for (const [key, value] of Object.entries(s.entries))
      if (got.get(`/${s.service}/${key}`) !== value) wrongValues += 1;
  }
  return {
    wallMs: round(ms),
    requests: stats.total,
    byOperation: operationCounts(stats),
    parameters: got.size,
    wrongValues,
  };
}

export function cleanEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function runProcess(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .find((l) => !/Warning|^\s*$/.test(l))
      ?.slice(0, 200) ?? '(no output)'
  );
}
