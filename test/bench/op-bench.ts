/**
 * 200 op:// references across 50 items, through the Connect test server at 25 ms per request and the real
 * @1password/connect client: how many requests (at most one GET per item, plus the vault and item listings that
 * names need) and the wall time against the lower bound the concurrency cap allows.
 *
 *   node --import tsx test/bench/op-bench.ts      → bench-results/op.json
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONCURRENCY } from '../../main/sources/limiter';
import { createOpSource } from '../../main/onepassword/source';
import type { OpSpec } from '../../main/core/types';
import { startConnectServer, type SeedVault } from '../support/connect-server';
import { memoryKeychain } from '../support/ipc-sandbox';

const ITEMS = 50;
const REFS = 200;
const LATENCY_MS = 25;
const RUNS = 5;
const TOKEN = 'bench-token';

const vault: SeedVault = {
  name: 'Bench',
  items: Array.from({ length: ITEMS }, (_, i) => ({
    title: `service-${i}`,
    sections: [{ id: `sec${i}`, label: 'prod' }],
    fields: Array.from({ length: REFS / ITEMS }, (_, j) => ({
      label: `key-${j}`,
      value: `value-${i}-${j}`,
      section: j % 2 ? 'prod' : undefined,
    })),
  })),
};
const specs: OpSpec[] = Array.from({ length: REFS }, (_, n) => {
  const i = n % ITEMS;
  const j = Math.floor(n / ITEMS);
  return { kind: 'op', index: n, ref: `op://Bench/service-${i}/${j % 2 ? 'prod/' : ''}key-${j}` };
});

const server = await startConnectServer({ token: TOKEN, vaults: [vault], latencyMs: LATENCY_MS });
const appDir = mkdtempSync(path.join(tmpdir(), 'latchkey-op-bench-'));
try {
  const runs: {
    ms: number;
    requests: number;
    itemGets: number;
    maxItemGetsPerItem: number;
    listings: number;
    maxInFlight: number;
  }[] = [];
  for (let r = 0; r < RUNS; r++) {
    // A fresh source each run: a cold client, as in one CLI invocation.
    const source = createOpSource({
      keychain: memoryKeychain(),
      appDir,
      env: { OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: TOKEN },
    });
    server.resetStats();
    const start = performance.now();
    const { secrets } = await source.resolve(specs, { canReuse: () => false });
    const ms = performance.now() - start;
    if (secrets.length !== REFS || secrets.some((s, n) => s.value !== `value-${n % ITEMS}-${Math.floor(n / ITEMS)}`))
      throw new Error('wrong values');
    const stats = server.stats();
    const gets = Object.entries(stats.byPath).filter(([p]) => /\/items\/[a-z0-9]{26}$/.test(p));
    runs.push({
      ms: Math.round(ms * 10) / 10,
      requests: stats.total,
      itemGets: gets.reduce((n, [, c]) => n + c, 0),
      maxItemGetsPerItem: Math.max(...gets.map(([, c]) => c)),
      listings: stats.total - gets.reduce((n, [, c]) => n + c, 0),
      maxInFlight: stats.maxInFlight,
    });
  }
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // Vault list, then the vault's item list, then the items in waves of the concurrency cap.
  const rounds = 2 + Math.ceil(ITEMS / DEFAULT_CONCURRENCY);
  const lowerBoundMs = rounds * LATENCY_MS;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    refs: REFS,
    items: ITEMS,
    latencyMs: LATENCY_MS,
    concurrency: DEFAULT_CONCURRENCY,
    requestBudget: ITEMS + 2,
    requests: runs[0]!.requests,
    itemGets: runs[0]!.itemGets,
    maxItemGetsPerItem: Math.max(...runs.map((r) => r.maxItemGetsPerItem)),
    lowerBoundMs,
    lowerBoundUnlimitedMs: 3 * LATENCY_MS,
    medianMs: median,
    ratioToLowerBound: Math.round((median / lowerBoundMs) * 100) / 100,
    runs,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/op.json', `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `op bench: ${REFS} refs / ${ITEMS} items at ${LATENCY_MS} ms: ${result.requests} requests (budget ${result.requestBudget}, ` +
      `max ${result.maxItemGetsPerItem} GET per item), median ${median} ms vs lower bound ${lowerBoundMs} ms ` +
      `(${rounds} rounds at concurrency ${DEFAULT_CONCURRENCY}; ${result.lowerBoundUnlimitedMs} ms unbounded)\n`,
  );
  if (result.requests > result.requestBudget || result.maxItemGetsPerItem > 1) process.exitCode = 1;
} finally {
  await server.stop();
  rmSync(appDir, { recursive: true, force: true });
}
