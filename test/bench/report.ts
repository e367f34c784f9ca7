import type { CliRun, LoopRun } from './baselines';
import type { ResolveFigures } from './resolve-bench';
import type { ResyncFigures, SyncStep, ThrottleFigures } from './sync-bench';

export interface SyncBenchResults {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    moto: string;
    awscli: string;
    latencyMs: number;
    concurrency: number;
    repeats: number;
    totalSeconds: number;
  };
  dataset: { services: number; secrets: number; serviceSizes: number[]; extras: string };
  resolve: { awsPaging: ResolveFigures; stockMoto: ResolveFigures };
  baselines: {
    chamberLoop: { runs: LoopRun[]; median: LoopRun };
    awscliLoop: LoopRun & { processes: number };
    latchkeyCli: CliRun;
  };
  speedups: { vsAwscli: number; vsChamberLoop: number };
  resync: ResyncFigures;
  throttling: ThrottleFigures[];
  budgets: Budget[];
  notes: string[];
}

export interface Budget {
  name: string;
  threshold: string;
  measured: string;
  pass: boolean;
}

export const BOUND_JUDGEMENT =
  'The 1.5x resolve budget is judged against the realistic bound. moto answers one request at a time, so a plan of ' +
  'N requests cannot finish in less than N x (its measured service time) however it is scheduled; the round-trip ' +
  'bound (rounds x latency) assumes a server that answers concurrent requests in parallel, as AWS does, and no ' +
  'client can reach it against moto. The round-trip ratio is reported for information.';

export function evaluateBudgets(r: Omit<SyncBenchResults, 'budgets' | 'notes' | 'meta'>): Budget[] {
  const main = r.resolve.awsPaging;
  const throttleDefault = r.throttling.filter((t) => t.productDefault);
  const dirty = r.throttling.reduce((n, t) => n + t.failedDirty, 0);
  const failed = r.throttling.reduce((n, t) => n + t.run - t.succeeded, 0);
  const wrongs = [
    ...r.resolve.awsPaging.runs.map((x) => x.wrongValues),
    ...r.resolve.stockMoto.runs.map((x) => x.wrongValues),
    ...r.baselines.chamberLoop.runs.map((x) => x.wrongValues),
    r.baselines.awscliLoop.wrongValues,
    r.resync.first.wrongValues,
  ];
  const wrong = wrongs.reduce((a, b) => a + b, 0);
  return [
    {
      name: 'Resolve wall time vs lower bound (AWS-like paging)',
      threshold: '<= 1.5x the realistic bound (see note)',
      measured: `${main.ratioRealistic}x realistic (${main.median.wallMs} / ${main.realisticBoundMs} ms); ${main.ratioRoundTrip}x round-trip (${main.roundTripBoundMs} ms, information)`,
      pass: main.ratioRealistic <= 1.5,
    },
    {
      name: 'Resolve vs awscli loop',
      threshold: '>= 5x faster',
      measured: `${r.speedups.vsAwscli}x (${main.median.wallMs} vs ${r.baselines.awscliLoop.wallMs} ms)`,
      pass: r.speedups.vsAwscli >= 5,
    },
    {
      name: 'Resolve vs chamber-style loop',
      threshold: '>= 3x faster',
      measured: `${r.speedups.vsChamberLoop}x (${main.median.wallMs} vs ${r.baselines.chamberLoop.median.wallMs} ms)`,
      pass: r.speedups.vsChamberLoop >= 3,
    },
    {
      name: 'Re-sync, nothing changed: value reads',
      threshold: '0 GetParameter* calls, every key reused and unchanged',
      measured: `${r.resync.unchanged.valueReads} value reads; ${r.resync.unchanged.reused}/${r.resync.keys} reused; ${r.resync.unchanged.counts.unchanged ?? 0} unchanged`,
      pass:
        r.resync.unchanged.valueReads === 0 &&
        r.resync.unchanged.reused === r.resync.keys &&
        (r.resync.unchanged.counts.unchanged ?? 0) === r.resync.keys,
    },
    {
      name: 'Throttling success (product default retry mode)',
      threshold: '100 % of syncs succeed',
      measured: throttleDefault.map((t) => `${t.retryMode}: ${t.succeeded}/${t.run}`).join('; ') || 'not run',
      pass: throttleDefault.length > 0 && throttleDefault.every((t) => t.run > 0 && t.succeeded === t.run),
    },
    {
      name: 'Throttling: failures are clean (all modes)',
      threshold: 'every failed sync wrote nothing',
      measured: `${failed} failed, ${dirty} of them wrote something`,
      pass: dirty === 0,
    },
    {
      name: 'Data check',
      threshold: 'every measured read returned exactly the seeded values',
      measured: `${wrong} wrong or missing values`,
      pass: wrong === 0,
    },
  ];
}

export function renderMarkdown(r: SyncBenchResults): string {
  const m = r.meta;
  const a = r.resolve.awsPaging;
  const s = r.resolve.stockMoto;
  const lines: string[] = [];
  const row = (cells: (string | number)[]) => lines.push(`| ${cells.join(' | ')} |`);
  const head = (cells: string[]) => {
    row(cells);
    row(cells.map(() => '---'));
  };

  lines.push('# Latchkey sync benchmark', '');
  lines.push(
    `${m.date} · ${m.cpus} CPUs (${m.cpuModel}) · Node ${m.node} · ${m.platform} · ${m.moto} · ${m.awscli} · ` +
      `latency ${m.latencyMs} ms per request · concurrency ${m.concurrency} · median of ${m.repeats} runs · bench took ${m.totalSeconds} s`,
    '',
  );
  lines.push(
    `## Resolve: ${r.dataset.secrets.toLocaleString('en')} SSM secrets in ${r.dataset.services} chamber services ` +
      `(${r.dataset.services - 1} of ${Math.min(...r.dataset.serviceSizes.slice(0, -1))}–${Math.max(...r.dataset.serviceSizes.slice(0, -1))} keys, one of ${r.dataset.serviceSizes.at(-1)})`,
    '',
  );
  head([
    'Server',
    'Wall',
    'Requests',
    'Plan rounds',
    'Service time',
    'Round-trip bound',
    'Realistic bound',
    'Wall / round-trip',
    'Wall / realistic',
  ]);
  for (const f of [a, s]) {
    const p = f.median.plan;
    row([
      f.label,
      `${f.median.wallMs} ms (runs ${f.runs.map((x) => x.wallMs).join(', ')})`,
      `${p.totalRequests} (${opsText(p.requests)}); proxy saw ${f.median.proxyRequests}, max ${f.median.maxInFlight} in flight`,
      `${p.lowerBoundRounds} = max(critical path ${p.criticalPathLength}, ⌈${p.totalRequests}/${p.concurrency}⌉)`,
      `${f.serviceMs} ms/request`,
      `${f.roundTripBoundMs} ms`,
      `${f.realisticBoundMs} ms`,
      `${f.ratioRoundTrip}x`,
      `${f.ratioRealistic}x`,
    ]);
  }
  lines.push('', `Realistic bound = max(rounds × (latency + service), requests × service). ${BOUND_JUDGEMENT}`, '');

  lines.push('## Same 1,000 values, same 25 ms proxy', '');
  head(['Reader', 'Wall', 'Requests', 'Latchkey resolve is faster by']);
  const b = r.baselines;
  row(['latchkey resolve (AWS-like paging, in process)', `${a.median.wallMs} ms`, a.median.plan.totalRequests, '—']);
  row([
    'chamber-style loop: SDK v3, GetParametersByPath 10/page, services and pages in sequence, in process',
    `${b.chamberLoop.median.wallMs} ms (runs ${b.chamberLoop.runs.map((x) => x.wallMs).join(', ')})`,
    b.chamberLoop.median.requests,
    `${r.speedups.vsChamberLoop}x`,
  ]);
  row([
    `awscli v1 loop: ${b.awscliLoop.processes} × \`aws ssm get-parameters-by-path --with-decryption\`, one after another`,
    `${b.awscliLoop.wallMs} ms`,
    b.awscliLoop.requests,
    `${r.speedups.vsAwscli}x`,
  ]);
  const cli = b.latchkeyCli;
  row([
    '(information) latchkey CLI, one process: `latchkey sync all --yes` in a fresh project (start-up, keychain, plan, write)',
    cli.ok ? `${cli.wallMs} ms` : `not counted: ${cli.note ?? `${cli.wrongValues} wrong values`}`,
    cli.requests,
    cli.ok ? `${round2(b.awscliLoop.wallMs / cli.wallMs)}x vs awscli` : '—',
  ]);
  lines.push('');

  const rs = r.resync;
  lines.push(
    `## Re-sync through the engine: profile \`${rs.profile}\`, ${rs.keys} keys (the 1,000 + one \`only:\` source + one \`ssm:\` name), ${rs.latencyMs} ms`,
    '',
  );
  head(['Step', 'Wall', 'DescribeParameters', 'GetParameters', 'GetParametersByPath', 'Value reads', 'Reused', 'Plan']);
  const step = (name: string, x: SyncStep) =>
    row([
      name,
      `${x.wallMs} ms`,
      x.byOperation.DescribeParameters ?? 0,
      x.byOperation.GetParameters ?? 0,
      x.byOperation.GetParametersByPath ?? 0,
      x.valueReads,
      `${x.reused}/${x.entries}`,
      countsText(x.counts),
    ]);
  step('first sync, fresh project (plan + write)', rs.first);
  step('re-sync, nothing changed (plan)', rs.unchanged);
  step(`re-sync after ${rs.oneRotated.rotated} was overwritten (plan)`, rs.oneRotated);
  lines.push('');

  const t0 = r.throttling[0];
  if (t0) {
    lines.push(
      `## Throttling: ${pct(t0.faults.throttleRate)} throttled, ${pct(t0.faults.dropRate)} dropped, ${t0.faults.latencyMs} ms; ` +
        `profile \`${t0.profile}\` (${t0.keys} keys); a fresh project and runtime per sync, ${t0.parallel} syncs at a time over one proxy`,
      '',
    );
  }
  head([
    'Retry mode',
    'Syncs',
    'Succeeded',
    'Failed cleanly',
    'Failed with a write',
    'Mean',
    'Min–max',
    'Scenario wall',
    'Requests (all syncs)',
    'Throttled',
    'Dropped',
  ]);
  for (const t of r.throttling) {
    row([
      t.productDefault
        ? `${t.retryMode} (product default)`
        : `${t.retryMode} (AWS_RETRY_MODE=${t.retryMode}, comparison only)`,
      `${t.run}${t.cappedAfterMs !== undefined ? ` of ${t.planned} (time cap hit at ${Math.round(t.cappedAfterMs / 1000)} s)` : ''}`,
      `${t.succeeded} (${pct(t.successRate)})`,
      t.failedCleanly,
      t.failedDirty,
      `${t.meanMs} ms`,
      `${t.minMs}–${t.maxMs} ms`,
      `${round2(t.elapsedMs / 1000)} s`,
      t.totals.requests,
      t.totals.throttled,
      t.totals.dropped,
    ]);
  }
  lines.push('');

  lines.push('## Budgets', '');
  head(['Budget', 'Threshold', 'Measured', 'Result']);
  for (const x of r.budgets) row([x.name, x.threshold, x.measured, x.pass ? 'PASS' : '**FAIL**']);
  if (r.notes.length > 0) {
    lines.push('', '## Notes', '');
    for (const note of r.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

function opsText(requests: Partial<Record<string, number>>): string {
  return Object.entries(requests)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}

function countsText(counts: Record<string, number>): string {
  return (
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ') || '—'
  );
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10} %`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
