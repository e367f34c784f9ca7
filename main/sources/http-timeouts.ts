/**
 * The time limits every network client of Latchkey gets (issue 10, item 5). An endpoint that accepts a connection
 * and never answers kept a sync running past 400 s: smithy's `requestTimeout` alone only logs a warning.
 *
 * - connect: how long opening a connection may take;
 * - request: how long a request may wait for its answer's headers, and how long the connection may then stay
 *   silent while the body arrives (a stalled body).
 *
 * A body that trickles in a byte at a time beats both; the whole-operation deadline of the core's resolve
 * (core/sync.ts) ends that.
 */
export interface HttpTimeouts {
  connectMs: number;
  requestMs: number;
}

const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, requestMs: 30_000 };

/**
 * The limits to use: `given` first, then LATCHKEY_HTTP_TIMEOUT_MS (the request limit; the connect limit is the
 * smaller of it and the default), then the defaults.
 */
export function httpTimeouts(given: Partial<HttpTimeouts> = {}, env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const raw = env.LATCHKEY_HTTP_TIMEOUT_MS?.trim();
  const fromEnv = raw && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
  const requestMs = given.requestMs ?? fromEnv ?? DEFAULT_HTTP_TIMEOUTS.requestMs;
  const connectMs = given.connectMs ?? Math.min(requestMs, DEFAULT_HTTP_TIMEOUTS.connectMs);
  return { connectMs, requestMs };
}
