import type { IRequestClient } from '@1password/connect';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { httpTimeouts, type HttpTimeouts } from '../sources/http-timeouts';

/**
 * The HTTP client the Connect SDK uses in Latchkey, in place of its axios one, whose only limit is a socket-idle
 * timer (issue 10, item 5). Each request here has a connect limit, a limit on the wait for the answer's headers
 * and on any silence while the body arrives, and a limit on the whole request, so a body that trickles in a byte
 * at a time ends too. It answers as the SDK's own client does: `{ status, data }` for 2xx, and a rejection with
 * the server's `{ status, message }` body otherwise (client.ts normalises both).
 */
export interface ConnectHttpOptions {
  timeouts?: Partial<HttpTimeouts>;
  env?: NodeJS.ProcessEnv;
}

type Opts = Parameters<IRequestClient['request']>[2];

/** How long one request may take in all: the request limit twice over (headers, then the body). */
const WHOLE_REQUEST_FACTOR = 2;

export function createConnectHttpClient(options: ConnectHttpOptions = {}): IRequestClient {
  const { connectMs, requestMs } = httpTimeouts(options.timeouts, options.env);
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return {
    defaultTimeout: requestMs,
    request(method, url, opts) {
      return send(String(method).toUpperCase(), new URL(url), opts, { connectMs, requestMs }, agents);
    },
  };
}

function send(
  method: string,
  url: URL,
  opts: Opts,
  limits: HttpTimeouts,
  agents: { http: HttpAgent; https: HttpsAgent },
): Promise<{ status: number; data: unknown }> {
  for (const [key, value] of Object.entries(opts.params ?? {})) {
    url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const body =
    opts.data === undefined ? undefined : typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'latchkey (connect-sdk-js)',
    ...Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k, String(v)])),
    authorization: `Bearer ${opts.authToken}`,
    ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }),
  };
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    const fail = (code: string, message: string) => {
      req.destroy(Object.assign(new Error(message), { code }));
    };
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? agents.https : agents.http,
    });
    const done = () => timers.forEach(clearTimeout);
    timers.push(
      setTimeout(
        () => fail('ETIMEDOUT', `no complete answer within ${(WHOLE_REQUEST_FACTOR * limits.requestMs) / 1000} s`),
        WHOLE_REQUEST_FACTOR * limits.requestMs,
      ),
    );
    req.on('socket', (socket: Socket) => {
      if (socket.connecting) {
        const connectTimer = setTimeout(
          () => fail('ECONNABORTED', `no connection within ${limits.connectMs / 1000} s`),
          limits.connectMs,
        );
        timers.push(connectTimer);
        socket.once('connect', () => clearTimeout(connectTimer));
      }
    });
    // Silence on the socket: no answer at all, or a body that stalled.
    req.setTimeout(limits.requestMs, () => fail('ETIMEDOUT', `no answer for ${limits.requestMs / 1000} s`));
    req.on('error', (error) => {
      done();
      reject(error);
    });
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        done();
        reject(error);
      });
      response.on('end', () => {
        done();
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        if (/json/i.test(String(response.headers['content-type'] ?? '')) && text !== '') {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ status, data });
        // As the SDK's axios client does: the server's error body when it has one, else the status alone.
        else reject(typeof data === 'object' && data !== null ? data : { status, message: `HTTP ${status}` });
      });
    });
    req.end(body);
  });
}
