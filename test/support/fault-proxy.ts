import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from './random';

/**
 * A loopback HTTP proxy that sits in front of moto (or another test server) and injects what those servers never
 * do: latency, throttling, dropped connections, access denial and a source that dies mid-resolve.
 */
interface Faults {
  /** Added to every request before it is answered (a round trip's worth). */
  latencyMs: number;
  /** Fraction of requests answered with an AWS JSON ThrottlingException (HTTP 400), which the SDK retries. */
  throttleRate: number;
  /** Fraction of connections destroyed before any response byte, which the SDK sees as ECONNRESET. */
  dropRate: number;
  /** Every request after the Nth (counted from start or resetStats) fails as `failWith` says; undefined: none. */
  failAfter?: number | undefined;
  /**
   * How a request past `failAfter` fails: `server-error` is an HTTP 500 InternalServerError (the SDK retries it
   * until its attempts run out), `reset` destroys the connection, `client-error` is an HTTP 400 the SDK does not
   * retry.
   */
  failWith: 'server-error' | 'reset' | 'client-error';
  /** Operations (e.g. `AmazonSSM.DescribeParameters`) answered with AccessDeniedException, as IAM would. */
  deny: string[];
  /**
   * An endpoint that never finishes an answer (issue 10, item 5): `silent` accepts the request and says nothing,
   * `stall-body` sends the real answer's status and headers and then no body, `trickle` sends the real answer one
   * byte every `trickleMs`. Applies to every request while set.
   */
  hang?: 'silent' | 'stall-body' | 'trickle';
  /** Gap between the bytes of a `trickle` (default 1000 ms). */
  trickleMs?: number;
}

export interface FaultProxyOptions extends Partial<Faults> {
  /** Base URL of the real server, e.g. moto's `http://127.0.0.1:PORT`. */
  target: string;
  /** Seed of the fault decisions: the same seed gives the same sequence of decisions. */
  seed?: number;
  /** Names a request in the stats; defaults to `X-Amz-Target`, else `METHOD /path`. */
  operationOf?: (req: IncomingMessage) => string;
  /**
   * Rewrites the real server's answer body of a forwarded request (e.g. moto's "N/A" LastModifiedUser into a real
   * ARN), so a test sees what AWS would say through the real SDK; unset, answers are streamed through untouched.
   */
  rewriteBody?: (operation: string, body: Buffer) => Buffer;
}

export interface FaultProxyStats {
  /** Requests received, including retries and the ones a fault answered. */
  total: number;
  byOperation: Record<string, number>;
  throttled: number;
  dropped: number;
  denied: number;
  /** Requests past `failAfter`. */
  failed: number;
  /** Requests answered by a `hang` mode. */
  hung: number;
  forwarded: number;
  /** The most requests this proxy held at once. */
  maxInFlight: number;
  /** TCP connections accepted: far fewer than requests when clients keep sockets alive. */
  connections: number;
}

export interface FaultProxy {
  url: string;
  stats(): FaultProxyStats;
  resetStats(): void;
  setFaults(faults: Partial<Faults>): void;
  stop(): Promise<void>;
}

const AWS_JSON = 'application/x-amz-json-1.1';

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const faults: Faults = {
    latencyMs: opts.latencyMs ?? 0,
    throttleRate: opts.throttleRate ?? 0,
    dropRate: opts.dropRate ?? 0,
    failAfter: opts.failAfter,
    failWith: opts.failWith ?? 'server-error',
    deny: opts.deny ?? [],
    ...(opts.hang && { hang: opts.hang }),
    ...(opts.trickleMs !== undefined && { trickleMs: opts.trickleMs }),
  };
  const timers = new Set<NodeJS.Timeout>();
  const random = seededRandom(opts.seed ?? 1);
  const operationOf = opts.operationOf ?? defaultOperationOf;
  const upstream = new Agent({ keepAlive: true, maxSockets: 64 });
  let stats = emptyStats();
  let inFlight = 0;
  let requestSeq = 0;

  const server = createServer((req, res) => {
    const operation = operationOf(req);
    stats.total += 1;
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    const seq = ++requestSeq;
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        inFlight -= 1;
      }
    };
    // 'close' comes both after a full response and when the socket is destroyed under it.
    res.once('close', settle);

    // Both draws happen for every request, so one request's fault never shifts the next one's decision.
    const dropDraw = random();
    const throttleDraw = random();

    readBody(req)
      .then(async (body) => {
        if (faults.latencyMs > 0) await sleep(faults.latencyMs);
        if (faults.failAfter !== undefined && seq > faults.failAfter) {
          stats.failed += 1;
          return failHard(req, res, faults.failWith);
        }
        if (faults.hang === 'silent') {
          stats.hung += 1;
          return; // Never a byte back; the socket stays open until the client or stop() ends it.
        }
        if (faults.hang) {
          stats.hung += 1;
          return await forwardSlowly(req, res, body, target, upstream, faults.hang, faults.trickleMs ?? 1000, timers);
        }
        if (faults.deny.includes(operation)) {
          stats.denied += 1;
          return sendAwsError(res, 400, 'AccessDeniedException', denialMessage(operation), 'Message');
        }
        if (dropDraw < faults.dropRate) {
          stats.dropped += 1;
          return req.socket.destroy();
        }
        if (throttleDraw < faults.throttleRate) {
          stats.throttled += 1;
          return sendAwsError(res, 400, 'ThrottlingException', 'Rate exceeded');
        }
        stats.forwarded += 1;
        await forward(req, res, body, target, upstream, opts.rewriteBody && ((b) => opts.rewriteBody!(operation, b)));
      })
      .catch(() => {
        // The client went away, or the upstream did: end this exchange without taking the proxy down.
        req.socket.destroy();
      });
  });
  // The SDK keeps sockets alive between requests; don't let the server close idle ones under it.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    stats.connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats, byOperation: { ...stats.byOperation } }),
    resetStats() {
      stats = emptyStats();
      stats.maxInFlight = inFlight;
      requestSeq = 0;
    },
    setFaults(partial) {
      Object.assign(faults, partial);
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      upstream.destroy();
      await closed;
    },
  };
}

function emptyStats(): FaultProxyStats {
  return {
    total: 0,
    byOperation: {},
    throttled: 0,
    dropped: 0,
    denied: 0,
    failed: 0,
    hung: 0,
    forwarded: 0,
    maxInFlight: 0,
    connections: 0,
  };
}

function defaultOperationOf(req: IncomingMessage): string {
  const amzTarget = req.headers['x-amz-target'];
  if (typeof amzTarget === 'string' && amzTarget) return amzTarget;
  return `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
}

function failHard(req: IncomingMessage, res: ServerResponse, how: Faults['failWith']): void {
  if (how === 'reset') {
    req.socket.destroy();
  } else if (how === 'client-error') {
    sendAwsError(res, 400, 'ValidationException', 'fault proxy: this source is failing');
  } else {
    sendAwsError(res, 500, 'InternalServerError', 'fault proxy: this source is failing');
  }
}

/**
 * An error as AWS's JSON 1.1 protocol sends it. The SDK takes the error name from the body's `__type` first and
 * then from `x-amzn-ErrorType`; a name of `ThrottlingException` is what makes its retry strategy classify the
 * error as throttling (longer back-off, and the adaptive rate limiter slows down).
 */
function sendAwsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  messageField: 'message' | 'Message' = 'message',
): void {
  const body = JSON.stringify({ __type: type, [messageField]: message });
  res.writeHead(status, {
    'content-type': AWS_JSON,
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId(),
  });
  res.end(body);
}

function denialMessage(operation: string): string {
  const action = operation.includes('.') ? `ssm:${operation.split('.').pop()}` : operation;
  return (
    `User: arn:aws:iam::123456789012:user/latchkey-test is not authorized to perform: ${action} on resource: ` +
    `arn:aws:ssm:us-east-1:123456789012:* because no identity-based policy allows the ${action} action`
  );
}

/** Sends the client's request on to the real server; `onAnswer` gets the real answer's message. */
function sendUpstream(
  req: IncomingMessage,
  body: Buffer,
  target: URL,
  agent: Agent,
  onAnswer: (answer: IncomingMessage) => void,
  onError: (error: Error) => void,
): void {
  const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
  delete headers.connection;
  const upstream = httpRequest(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    },
    onAnswer,
  );
  upstream.once('error', onError);
  upstream.end(body);
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  target: URL,
  agent: Agent,
  rewrite?: (body: Buffer) => Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    sendUpstream(
      req,
      body,
      target,
      agent,
      (answer) => {
        const answerHeaders = { ...answer.headers };
        delete answerHeaders.connection;
        delete answerHeaders['keep-alive'];
        if (rewrite) {
          readBody(answer)
            .then((original) => {
              const changed = rewrite(original);
              delete answerHeaders['transfer-encoding'];
              res.writeHead(answer.statusCode ?? 502, { ...answerHeaders, 'content-length': String(changed.length) });
              res.end(changed, resolve);
            })
            .catch(reject);
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answerHeaders);
        answer.pipe(res);
        answer.once('end', resolve);
        answer.once('error', reject);
      },
      reject,
    );
  });
}

/** The real answer's status and headers, then no body (`stall-body`) or one byte per `gapMs` (`trickle`). */
async function forwardSlowly(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  target: URL,
  agent: Agent,
  mode: 'stall-body' | 'trickle',
  gapMs: number,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      sendUpstream(
        req,
        body,
        target,
        agent,
        (response) => {
          readBody(response).then(
            (data) => resolve({ status: response.statusCode ?? 502, headers: { ...response.headers }, body: data }),
            reject,
          );
        },
        reject,
      );
    },
  );
  const headers: Record<string, unknown> = { ...answer.headers, 'content-length': String(answer.body.length) };
  delete headers.connection;
  delete headers['transfer-encoding'];
  res.writeHead(answer.status, headers as Record<string, string>);
  res.flushHeaders();
  if (mode === 'stall-body') return;
  let sent = 0;
  const next = () => {
    if (res.destroyed || sent >= answer.body.length) return;
    res.write(answer.body.subarray(sent, sent + 1));
    sent += 1;
    if (sent >= answer.body.length) res.end();
    else {
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, gapMs);
      timers.add(timer);
    }
  };
  next();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

let requestCounter = 0;
function requestId(): string {
  requestCounter += 1;
  return `00000000-0000-4000-8000-${requestCounter.toString(16).padStart(12, '0')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
