import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { httpTimeouts, type HttpTimeouts } from './http-timeouts';

// Apart from http-timeouts.ts, which 1Password's client needs too: only the AWS clients load smithy's handler.
/** The SDK request handler every AWS client of Latchkey uses (SSM, S3, STS, IAM, SSO OIDC). */
export function awsRequestHandler(
  opts: {
    timeouts?: Partial<HttpTimeouts> | undefined;
    env?: NodeJS.ProcessEnv | undefined;
    maxSockets?: number;
  } = {},
): NodeHttpHandler {
  const { connectMs, requestMs } = httpTimeouts(opts.timeouts, opts.env);
  const agentOptions = { keepAlive: true, ...(opts.maxSockets !== undefined && { maxSockets: opts.maxSockets }) };
  return new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
    connectionTimeout: connectMs,
    requestTimeout: requestMs,
    throwOnRequestTimeout: true,
    socketTimeout: requestMs,
  });
}
