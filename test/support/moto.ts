import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';

export interface MotoOptions {
  /** Extra environment for the moto process, e.g. `{ INITIAL_NO_AUTH_ACTION_COUNT: '5' }`. */
  env?: Record<string, string>;
  /** How long to wait for moto to answer, in ms. */
  startTimeoutMs?: number;
  /**
   * Make one SSM call up front: moto loads its SSM backend lazily and the first call takes 1–1.5 s, which would
   * otherwise land inside the first test's timings. The call counts as one action toward
   * INITIAL_NO_AUTH_ACTION_COUNT, so auth-mode suites may want to turn it off.
   */
  warmUp?: boolean;
  python?: string;
  /**
   * moto 5.2 answers DescribeParameters in pages of 10 whatever MaxResults says; AWS honours MaxResults up to 50.
   * Set this to patch moto (in its own process, at start) so listings page as they do on AWS, e.g. for
   * benchmarks whose request plan depends on the page size. Off by default: stock moto.
   */
  awsDescribePaging?: boolean;
}

// Same logic as moto's SimpleSystemManagerResponse.describe_parameters, with the page size taken from MaxResults.
const AWS_DESCRIBE_PAGING_PATCH = `
import sys
from moto.core.responses import ActionResult
from moto.ssm import responses

def describe_parameters(self):
    page_size = min(int(self._get_param("MaxResults") or 10), 50)
    filters = self._get_param("Filters")
    parameter_filters = self._get_param("ParameterFilters")
    token = self._get_param("NextToken")
    token = int(token.strip() if hasattr(token, "strip") and token.strip() else (token or 0))
    result = self.ssm_backend.describe_parameters(filters, parameter_filters)
    response = {"Parameters": []}
    for parameter in result[token:]:
        response["Parameters"].append(parameter.describe_response_object(False))
        token += 1
        if len(response["Parameters"]) == page_size:
            if token < len(result):
                response["NextToken"] = str(token)
            break
    return ActionResult(response)

responses.SimpleSystemManagerResponse.describe_parameters = describe_parameters
from moto.server import main
main(sys.argv[1:])
`;

export interface MotoServer {
  endpoint: string;
  port: number;
  /** The moto process (benchmarks read its CPU time from /proc). */
  pid: number | undefined;
  /** Drops every resource in every backend (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const STDERR_TAIL_CHARS = 4_000;

export async function startMoto(opts: MotoOptions = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const python = opts.python ?? 'python3';
  const serverArgs = ['-H', '127.0.0.1', '-p', String(port)];
  const args = opts.awsDescribePaging
    ? ['-c', AWS_DESCRIBE_PAGING_PATCH, ...serverArgs]
    : ['-m', 'moto.server', ...serverArgs];
  const child = spawn(python, args, {
    // Own process group, so stop() can take down anything moto forks (Flask's reloader, werkzeug threads).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const output = captureTail(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.once('error', (error) => (spawnError = error));

  const fail = (why: string): never => {
    killGroup(child);
    throw new Error(
      `moto could not start (${why}). Command: ${python} -m moto.server -H 127.0.0.1 -p ${port}.\n` +
        'moto is expected under the pyenv Python (pip package "moto[server]"); its output ends with:\n' +
        (output() || '(no output)'),
    );
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (;;) {
    if (spawnError) fail(`spawn failed: ${spawnError.message}`);
    if (exited) fail(`it exited with ${exited.signal ?? `code ${exited.code}`}`);
    if (await answers(`${endpoint}/moto-api/`)) break;
    if (Date.now() > deadline) fail('no answer on /moto-api/ in time');
    await sleep(100);
  }

  if (opts.warmUp !== false) {
    try {
      await warmUpSsm(endpoint);
    } catch (error) {
      fail(`the SSM warm-up call failed: ${(error as Error).message}`);
    }
  }

  return {
    endpoint,
    port,
    pid: child.pid,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`);
      await response.arrayBuffer();
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timedOut = await Promise.race([gone.then(() => false), sleep(3_000).then(() => true)]);
      if (timedOut) {
        killGroup(child, 'SIGKILL');
        await gone;
      }
    },
  };
}

async function warmUpSsm(endpoint: string): Promise<void> {
  const client = new SSMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  try {
    await client.send(new DescribeParametersCommand({ MaxResults: 1 }));
  } finally {
    client.destroy();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group may already be gone; killing the leader alone is the best left to do.
    child.kill(signal);
  }
}

function captureTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim();
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
