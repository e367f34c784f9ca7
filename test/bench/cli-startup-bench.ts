/**
 * `npm run bench` (issue 12, item 1): how fast the built `latchkey` starts, as ratios to a bare `node -e 0`
 * measured in the same run, and the whole `latchkey plan` process over the 1,000-key benchmark through the 25 ms
 * proxy against the chamber-style and awscli loops. Writes bench-results/cli-startup.json and .md; exits 1 when a
 * budget fails.
 *
 * Knobs (environment): BENCH_STARTUP_RUNS (15 runs of each start-up command), BENCH_REPEATS (3 plans, resolves
 * and chamber loops).
 */
import { spawnSync } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createKeytarKeychain } from '../../main/adapters/keytar-keychain';
import { storeCachedSession, deleteCachedSession } from '../../main/aws/vault';
import { parseManifest } from '../../main/core/manifest';
import type { ChamberSpec } from '../../main/core/types';
import { DEFAULT_CONCURRENCY } from '../../main/sources/limiter';
import { awsTestEnv, testClientConfig } from '../support/aws-env';
import { startFaultProxy } from '../support/fault-proxy';
import { startMoto } from '../support/moto';
import { awscliLoop, chamberStyleLoop, cleanEnv, runProcess } from './baselines';
import { benchManifest, makeBenchData, seedBenchData, secretCount } from './bench-data';
import { log, makeProject, median, medianIndex, removeProjects, round, timed } from './measure';
import { measureResolve } from './resolve-bench';
import { buildSdkFloor } from './sdk-floor';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/latchkey.js');
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const RUNS = positiveInt(process.env.BENCH_STARTUP_RUNS, 15);
const REPEATS = positiveInt(process.env.BENCH_REPEATS, 3);
const LATENCY_MS = 25;
/** Issue 12's budget for a plan's whole process beyond the in-process resolve of the same keys. */
const PLAN_FIXED_OVERHEAD_BUDGET_MS = 250;

interface Budget {
  name: string;
  measured: string;
  limit: string;
  pass: boolean;
}

interface StartupFigure {
  command: string;
  runsMs: number[];
  medianMs: number;
  ratioToNode?: number;
}

/** Runs each command RUNS times, round-robin, so a burst of load on a shared machine hits them all alike. */
function measureStartup(commands: { label: string; args: string[]; env: NodeJS.ProcessEnv }[]): StartupFigure[] {
  const runs = new Map(commands.map((c) => [c.label, [] as number[]]));
  for (const c of commands) spawnOnce(c); // warm-up: the file cache, and Node's compile cache where it has one
  for (let i = 0; i < RUNS; i++) {
    for (const c of commands) runs.get(c.label)!.push(spawnOnce(c));
  }
  return commands.map((c) => {
    const ms = runs.get(c.label)!;
    return { command: c.label, runsMs: ms.map((v) => round(v, 1)), medianMs: round(median(ms), 1) };
  });
}

function spawnOnce(c: { label: string; args: string[]; env: NodeJS.ProcessEnv }): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, c.args, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`${c.label} exited ${out.status}: ${out.stderr.split('\n')[0] ?? ''}`);
  return ms;
}

/** A profile that needs an MFA session, with one cached in the keychain: credential-process's everyday path. */
async function cachedSessionProfile(): Promise<{
  env: NodeJS.ProcessEnv;
  profile: string;
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-startup-aws-'));
  const profile = `latchkey-startup-bench-${process.pid}`;
  writeFileSync(
    path.join(dir, 'config'),
    `[profile ${profile}]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/bench\n`,
  );
  writeFileSync(path.join(dir, 'credentials'), '');
  const keychain = createKeytarKeychain();
  await storeCachedSession(keychain, profile, {
    accessKeyId: 'ASIABENCHBENCHBENCH1',
    secretAccessKey: 'bench-secret-not-a-real-one',
    sessionToken: 'bench-session-token',
    expiration: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return {
    profile,
    env: cleanEnv({
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      LATCHKEY_HOME: path.join(dir, 'home'),
    }),
    cleanup: async () => {
      await deleteCachedSession(keychain, profile);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measurePlanEndToEnd() {
  const data = makeBenchData();
  const manifest = benchManifest(data);
  const specs = parseManifest(manifest, path.join(os.tmpdir(), 'latchkey-bench', 'latchkey.yml')).profiles.get('all')!
    .sources as ChamberSpec[];
  log('starting moto (AWS-like paging) and seeding the 1,000 keys');
  const moto = await startMoto({ awsDescribePaging: true });
  const seeder = new SSMClient(testClientConfig(moto.endpoint));
  try {
    await seedBenchData(seeder, data);
    log('resolve in process (the engine alone)');
    const resolve = await measureResolve({
      label: 'resolve',
      motoEndpoint: moto.endpoint,
      specs,
      services: data.services,
      latencyMs: LATENCY_MS,
      concurrency: DEFAULT_CONCURRENCY,
      repeats: REPEATS,
      // The plan below runs in a fresh project, with no sync state: the same request plan, so "total − resolve"
      // is what the process adds around the same reads.
      firstSync: true,
      // As the plans below, which run on one app-data folder that has seen these services before.
      rememberSizes: true,
    });
    const seen = requestClock();
    const proxy = await startFaultProxy({
      target: moto.endpoint,
      latencyMs: LATENCY_MS,
      operationOf: seen.onRequest,
      rewriteBody: seen.onAnswer,
    });
    try {
      // Each plan runs in a fresh project (no sync state, no .env). The user's app-data folder and temporary folder
      // are what a machine keeps between runs: the services' sizes (main/sources/listing-sizes.ts) and the V8 code
      // cache (main/cli/code-cache.ts). The measured plans run on a machine that has run one plan before; the very
      // first plan on a new machine, with neither, is measured once for information.
      const planOnce = async (machine: { appDir: string; tmpDir?: string }) => {
        const project = makeProject(manifest);
        const env = cleanEnv({
          ...awsTestEnv(proxy.url),
          LATCHKEY_HOME: machine.appDir,
          ...(machine.tmpDir !== undefined && { TMPDIR: machine.tmpDir }),
        });
        const run = await runSeen(seen, 'latchkey plan', [BIN, '--dir', project.root, 'plan', 'all', '--json'], env);
        const plan = (JSON.parse(run.stdout) as { plan: { entries: unknown[] } }).plan;
        if (plan.entries.length < secretCount(data.services)) throw new Error('latchkey plan listed too few keys');
        return run;
      };
      log('latchkey plan all on a new machine (no code cache, no sizes known), once');
      const newMachine = makeProject(manifest);
      const newTmp = path.join(newMachine.root, 'tmp');
      mkdirSync(newTmp);
      const firstPlan = await planOnce({ appDir: newMachine.appDir, tmpDir: newTmp });
      log('latchkey plan all, a whole process each time, after one unmeasured plan');
      const machine = makeProject(manifest);
      await planOnce(machine);
      const planRuns: number[] = [];
      const planPhases: PlanPhases[] = [];
      const planRequests: number[] = [];
      const planMotoCpu: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        proxy.resetStats();
        const motoCpuBefore = processCpuMs(moto.pid);
        const { ms, phases } = await planOnce(machine);
        planPhases.push(phases);
        planRuns.push(ms);
        planRequests.push(proxy.stats().total);
        planMotoCpu.push(processCpuMs(moto.pid) - motoCpuBefore);
      }
      log('the SDK alone: a process that sends one request (what Node allows)');
      const sdkFloor = await measureSdkFloor(proxy.url, data.services[0]!.service, seen);
      log('chamber-style loop (in process, warm SDK: its best case)');
      const chamber: number[] = [];
      const chamberRequests: number[] = [];
      const chamberMotoCpu: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const motoCpuBefore = processCpuMs(moto.pid);
        const r = await chamberStyleLoop(proxy, data.services);
        chamberMotoCpu.push(processCpuMs(moto.pid) - motoCpuBefore);
        if (r.wrongValues > 0) throw new Error('the chamber-style loop read wrong values');
        chamber.push(r.wallMs);
        chamberRequests.push(r.requests);
      }
      log(`awscli loop (${data.services.length} aws processes)`);
      const awscli = await awscliLoop(proxy, data.services);
      if (awscli.wrongValues > 0) throw new Error('the awscli loop read wrong values');
      const planMs = median(planRuns);
      const bound = requestBound({
        chamberLoopMs: median(chamber),
        chamberRequests: median(chamberRequests),
        chamberMotoCpuMs: median(chamberMotoCpu),
        planRequests: median(planRequests),
        planMotoCpuMs: median(planMotoCpu),
      });
      return {
        secrets: secretCount(data.services),
        services: data.services.length,
        latencyMs: LATENCY_MS,
        resolveMs: resolve.median.wallMs,
        planRunsMs: planRuns.map((v) => round(v)),
        planMs: round(planMs),
        planPhases: planPhases[medianIndex(planRuns)]!,
        firstPlanMs: round(firstPlan.ms),
        firstPlanPhases: firstPlan.phases,
        resolveRequests: resolve.median.proxyRequests,
        fixedOverheadMs: round(planMs - resolve.median.wallMs),
        chamberLoopMs: round(median(chamber)),
        awscliLoopMs: round(awscli.wallMs),
        vsChamberLoop: round(median(chamber) / planMs, 2),
        vsAwscliLoop: round(awscli.wallMs / planMs, 2),
        bound,
        sdkFloor,
      };
    } finally {
      await proxy.stop();
    }
  } finally {
    seeder.destroy();
    await moto.stop();
    removeProjects();
  }
}

async function main(): Promise<number> {
  log('building the CLI bundle');
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:cli failed');

  const session = await cachedSessionProfile();
  let startup: StartupFigure[];
  try {
    log(`start-up: ${RUNS} runs of each command, round-robin`);
    const plain = cleanEnv({});
    startup = measureStartup([
      { label: 'node -e 0', args: ['-e', '0'], env: plain },
      { label: 'latchkey --help', args: [BIN, '--help'], env: plain },
      { label: 'latchkey --version', args: [BIN, '--version'], env: plain },
      {
        label: 'latchkey aws credential-process (cached session)',
        args: [BIN, 'aws', 'credential-process', session.profile],
        env: session.env,
      },
    ]);
  } finally {
    await session.cleanup();
  }
  const nodeMs = startup[0]!.medianMs;
  for (const f of startup.slice(1)) f.ratioToNode = round(f.medianMs / nodeMs, 2);
  const e2e = await measurePlanEndToEnd();

  const ratio = (label: string) => startup.find((f) => f.command === label)!.ratioToNode!;
  const budgets: Budget[] = [
    budget('--help vs node -e 0', ratio('latchkey --help'), 1.6, '×'),
    budget('--version vs node -e 0', ratio('latchkey --version'), 1.6, '×'),
    budget('aws credential-process (cached) vs node -e 0', ratio(startup[3]!.command), 2.5, '×'),
    budget('plan fixed overhead (total − resolve)', e2e.fixedOverheadMs, PLAN_FIXED_OVERHEAD_BUDGET_MS, ' ms'),
    {
      name: 'plan vs chamber-style loop',
      measured: `${e2e.vsChamberLoop}×`,
      limit: '≥ 3×',
      pass: e2e.vsChamberLoop >= 3,
    },
    { name: 'plan vs awscli loop', measured: `${e2e.vsAwscliLoop}×`, limit: '≥ 5×', pass: e2e.vsAwscliLoop >= 5 },
  ];
  const results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      compileCache: 'enableCompileCache' in (await import('node:module')).default,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((v) => round(v, 2)),
      runs: RUNS,
      repeats: REPEATS,
    },
    startup,
    planEndToEnd: e2e,
    budgets,
  };
  const markdown = renderMarkdown(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'cli-startup.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, 'cli-startup.md'), markdown);
  process.stdout.write(`\n${markdown}\n`);
  return budgets.every((b) => b.pass) ? 0 : 1;
}

/**
 * The floor under the plan's fixed overhead (test/bench/sdk-floor.ts): RUNS processes that load only the SSM client
 * and send one request through the proxy, after one unmeasured run that writes their code cache. Medians of the
 * time before the request, after the answer, and both together (the process's time outside its one request).
 */
async function measureSdkFloor(proxyUrl: string, service: string, seen: ReturnType<typeof requestClock>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-sdk-floor-'));
  try {
    const launcher = await buildSdkFloor(path.join(dir, 'build'));
    const tmpDir = path.join(dir, 'tmp');
    mkdirSync(tmpDir);
    const env = cleanEnv({ ...awsTestEnv(proxyUrl), TMPDIR: tmpDir });
    const once = async () => {
      const run = await runSeen(seen, 'the SDK floor', [launcher, service], env);
      if (!((JSON.parse(run.stdout) as { parameters: number }).parameters > 0)) {
        throw new Error('the SDK floor read no parameter');
      }
      return run.phases;
    };
    await once();
    const runs: PlanPhases[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once());
    return {
      runs: runs.length,
      startMs: round(median(runs.map((r) => r.startMs))),
      tailMs: round(median(runs.map((r) => r.tailMs))),
      outsideRequestMs: round(median(runs.map((r) => r.startMs + r.tailMs))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One Node process through the proxy: its wall time, its phases as the proxy saw them, its output; exit 0 or throws. */
async function runSeen(seen: ReturnType<typeof requestClock>, label: string, args: string[], env: NodeJS.ProcessEnv) {
  seen.start();
  const started = performance.now();
  const { ms, value } = await timed(() => runProcess(process.execPath, args, { env }));
  if (value.code !== 0) throw new Error(`${label} exited ${value.code}: ${value.stderr.split('\n')[0]}`);
  return { ms, phases: seen.phases(started, started + ms), stdout: value.stdout };
}

interface PlanPhases {
  /** From spawning the process to its first request reaching the proxy: Node, the bundle, manifest, keychain. */
  startMs: number;
  /** From the first request to the last answer: the reads, in a process that has not run them before. */
  readsMs: number;
  /** From the last answer to the process's exit: the plan, its JSON, the exit. */
  tailMs: number;
}

/**
 * The proxy's view of one plan process: when its first request came and its last answer went (this process's
 * clock), so the whole-process time can be split without touching the CLI. `onAnswer` is the proxy's body
 * rewrite, here the identity: it runs as each answer is sent.
 */
function requestClock() {
  let first = Number.NaN;
  let lastAnswer = Number.NaN;
  return {
    start() {
      first = Number.NaN;
      lastAnswer = Number.NaN;
    },
    onRequest(req: IncomingMessage): string {
      if (Number.isNaN(first)) first = performance.now();
      const target = req.headers['x-amz-target'];
      return typeof target === 'string' && target ? target : `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
    },
    onAnswer(_operation: string, body: Buffer): Buffer {
      lastAnswer = performance.now();
      return body;
    },
    phases(started: number, ended: number): PlanPhases {
      return { startMs: round(first - started), readsMs: round(lastAnswer - first), tailMs: round(ended - lastAnswer) };
    },
  };
}

/**
 * What moto allows, measured in the same run. moto is one Python process: with the GIL, its threads run one at a
 * time, so the CPU time it spends answering a plan's requests is wall time no plan can go under, however many
 * requests it sends at once (its resolve floor). The chamber-style loop pays, per request, the proxy's latency
 * and moto's time one after another. From those: the best ratio to the loop that a plan with no start-up and no
 * client work at all could reach here, and what the 3× budget leaves for everything else.
 */
function requestBound(m: {
  chamberLoopMs: number;
  chamberRequests: number;
  chamberMotoCpuMs: number;
  planRequests: number;
  planMotoCpuMs: number;
}) {
  return {
    planRequests: m.planRequests,
    chamberRequests: m.chamberRequests,
    motoCpuMsPerPlanRequest: round(m.planMotoCpuMs / m.planRequests, 1),
    motoCpuMsPerLoopRequest: round(m.chamberMotoCpuMs / m.chamberRequests, 1),
    planResolveFloorMs: round(m.planMotoCpuMs),
    bestRatioWithNoOverhead: round(m.chamberLoopMs / m.planMotoCpuMs, 2),
    timeLeftFor3xMs: round(m.chamberLoopMs / 3 - m.planMotoCpuMs),
  };
}

/** User and system CPU time of a Linux process so far, from /proc (clock ticks of 10 ms); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function budget(name: string, measured: number, limit: number, unit: string): Budget {
  return { name, measured: `${measured}${unit}`, limit: `≤ ${limit}${unit}`, pass: measured <= limit };
}

function renderMarkdown(r: {
  meta: Record<string, unknown>;
  startup: StartupFigure[];
  planEndToEnd: Awaited<ReturnType<typeof measurePlanEndToEnd>>;
  budgets: Budget[];
}): string {
  const e = r.planEndToEnd;
  return [
    '# CLI start-up (issue 12)',
    '',
    `${String(r.meta.date)}, Node ${String(r.meta.node)} (compile cache: ${r.meta.compileCache ? 'yes' : 'not in this Node'}), ` +
      `${String(r.meta.cpus)} CPUs, load average ${(r.meta.loadAverage as number[]).join(' ')}; median of ${RUNS} runs each.`,
    '',
    '| command | median ms | × node -e 0 |',
    '| --- | ---: | ---: |',
    ...r.startup.map((f) => `| \`${f.command}\` | ${f.medianMs} | ${f.ratioToNode ?? 1} |`),
    '',
    `## latchkey plan over ${e.secrets} keys in ${e.services} chamber services, through a ${e.latencyMs} ms proxy`,
    '',
    '| | ms |',
    '| --- | ---: |',
    `| resolve alone (in process) | ${e.resolveMs} |`,
    `| \`latchkey plan all --json\`, whole process (median of ${e.planRunsMs.join(', ')}) | ${e.planMs} |`,
    `| fixed overhead (plan − resolve) | ${e.fixedOverheadMs} |`,
    `| … the median plan, seen from the proxy: start-up to its first request | ${e.planPhases.startMs} |`,
    `| … its reads, first request to last answer (cold: a new process) | ${e.planPhases.readsMs} |`,
    `| … after the last answer: the plan, its JSON, exit | ${e.planPhases.tailMs} |`,
    `| (information) the first plan on a new machine: no code cache, no sizes known | ${e.firstPlanMs} |`,
    `| … start-up, reads, tail | ${e.firstPlanPhases.startMs}, ${e.firstPlanPhases.readsMs}, ${e.firstPlanPhases.tailMs} |`,
    `| chamber-style loop (in process, warm SDK) | ${e.chamberLoopMs} |`,
    `| awscli loop (one aws process per service) | ${e.awscliLoopMs} |`,
    '',
    `The plans run as on a machine that has run \`latchkey plan\` before: each in a fresh project, with the ` +
      `user's V8 code cache and the services' sizes (listed last time) kept from an unmeasured plan. The sizes let a ` +
      `plan start the 300-key service first. The in-process resolve is warm (one unmeasured pass first, which also ` +
      `gives it the sizes) and sent ${e.resolveRequests} requests; the plan process sent ${e.bound.planRequests}, ` +
      `the same request plan. Its reads took ${moreOrLess(e.planPhases.readsMs - e.resolveMs)} than the warm ` +
      `resolve.`,
    '',
    '## What moto allows (same run)',
    '',
    `moto is one Python process, whose threads run one at a time (the GIL): the CPU time it spends on a plan's ` +
      `requests is a floor for the plan's wall time. \`latchkey plan\` sent ${e.bound.planRequests} requests and ` +
      `moto spent ${e.bound.planResolveFloorMs} ms of CPU on them (${e.bound.motoCpuMsPerPlanRequest} ms each); ` +
      `the chamber-style loop sent ${e.bound.chamberRequests} requests, one after another, each ${e.latencyMs} ms ` +
      `of latency plus moto's ${e.bound.motoCpuMsPerLoopRequest} ms and the client's own time, ${e.chamberLoopMs} ms ` +
      `in all. So a plan with no start-up and no client work at all would be at best ` +
      `${e.chamberLoopMs} / ${e.bound.planResolveFloorMs} = ${e.bound.bestRatioWithNoOverhead}× faster than the ` +
      `loop here, and the 3× budget leaves ${e.bound.timeLeftFor3xMs} ms beyond moto's own time for the whole ` +
      `process (a bare \`node -e 0\` takes ${r.startup[0]!.medianMs} ms).`,
    '',
    '## What Node allows (same run)',
    '',
    `A process that loads only the SDK's SSM client and reads one page of one service, bundled and run from a V8 ` +
      `code cache as \`latchkey plan\` is (test/bench/sdk-floor.ts), sent its request ${e.sdkFloor.startMs} ms ` +
      `after it was spawned and exited ${e.sdkFloor.tailMs} ms after the answer (medians of ${e.sdkFloor.runs} ` +
      `runs). The ${e.sdkFloor.outsideRequestMs} ms it spent outside its one request are paid by any Node process ` +
      `that uses the SDK here, before any work of its own (a bare \`node -e 0\` takes ${r.startup[0]!.medianMs} ms). ` +
      `The ${PLAN_FIXED_OVERHEAD_BUDGET_MS} ms budget for the plan's fixed overhead leaves ` +
      `${round(PLAN_FIXED_OVERHEAD_BUDGET_MS - e.sdkFloor.outsideRequestMs)} ms ` +
      `beyond that for all that is Latchkey's: the command line, the manifest, the sync state and the target file, ` +
      `the keychain, and the plan of ${e.secrets} keys with its JSON. The plan's start-up took ` +
      `${moreOrLess(e.planPhases.startMs - e.sdkFloor.startMs)} than the floor's, and its tail ` +
      `${moreOrLess(e.planPhases.tailMs - e.sdkFloor.tailMs)}.`,
    '',
    '## Budgets',
    '',
    '| budget | measured | limit | |',
    '| --- | ---: | ---: | --- |',
    ...r.budgets.map((b) => `| ${b.name} | ${b.measured} | ${b.limit} | ${b.pass ? 'PASS' : 'FAIL'} |`),
    '',
  ].join('\n');
}

/** A difference in words: "12 ms more", "16 ms less". */
function moreOrLess(ms: number): string {
  return `${Math.abs(round(ms))} ms ${ms < 0 ? 'less' : 'more'}`;
}

function positiveInt(raw: string | undefined, fallback: number): number {
  return raw && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : fallback;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `cli-startup bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
