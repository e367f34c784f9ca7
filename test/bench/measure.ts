import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FaultProxyStats } from '../support/fault-proxy';
import { applyEnv, awsTestEnv } from '../support/aws-env';

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The index of the run whose value is the median (the lower middle one for an even count). */
export function medianIndex(values: number[]): number {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)]![1];
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Points this process's AWS SDK default chain (what the product's clients use) at `endpoint` with test
 * credentials while `work` runs. Clients created inside read it; the product caches clients per endpoint.
 */
export async function withAwsEndpoint<T>(
  endpoint: string,
  work: () => Promise<T>,
  extra: Record<string, string | undefined> = {},
): Promise<T> {
  const restore = applyEnv({ ...awsTestEnv(endpoint), ...extra });
  try {
    return await work();
  } finally {
    restore();
  }
}

/** The proxy's per-operation counts without the `AmazonSSM.` prefix. */
export function operationCounts(stats: FaultProxyStats): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.byOperation)
      .map(([op, n]) => [op.replace(/^AmazonSSM\./, ''), n] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export interface BenchProject {
  root: string;
  manifestPath: string;
  target: string;
  appDir: string;
}

const temporary: string[] = [];

/** A throwaway project folder holding `manifest`, and its own app-data folder (LATCHKEY_HOME). */
export function makeProject(manifest: string, existingTarget?: string): BenchProject {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-bench-'));
  temporary.push(root);
  const manifestPath = path.join(root, 'latchkey.yml');
  writeFileSync(manifestPath, manifest);
  const target = path.join(root, '.env');
  if (existingTarget !== undefined) writeFileSync(target, existingTarget, { mode: 0o600 });
  return { root, manifestPath, target, appDir: path.join(root, 'app-data') };
}

export function removeProjects(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
