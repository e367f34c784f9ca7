import { METHODS, type Envelope, type IpcError, type MethodName } from '../../contract/ipc';
import { describeInvalidInput, internalError, ipcError, toIpcError } from './errors';
import type { SenderInfo } from './sender';
import type { Handlers } from './types';
import { logSafely, safeLogLine } from '../core/log';

export type { SenderInfo } from './sender';
export type { Handlers } from './types';

export interface RouterOptions {
  isTrustedSender(sender: SenderInfo): boolean;
  /** Where unexpected failures are reported (method name and error kind only). Default: stderr. */
  log?: (line: string) => void;
}

export interface Router {
  handle(method: string, sender: SenderInfo, payload: unknown): Promise<Envelope<unknown>>;
}

function isMethodName(method: unknown): method is MethodName {
  return typeof method === 'string' && Object.hasOwn(METHODS, method);
}

/**
 * The only door from the renderer to the main process. Every call: a method the contract knows, a sender we
 * trust, an input its schema accepts; then the handler; then the output schema, which also strips any field
 * the contract does not name, a second guard against a value leaking out. It never throws, and it never lets a
 * stack trace or an unexpected error's message cross.
 */
export function createRouter(handlers: Handlers, opts: RouterOptions): Router {
  // Whatever a log line quotes passes the one sanitiser first (core/log.ts).
  const log = (line: string) => (opts.log ? opts.log(safeLogLine(line)) : logSafely(line));
  const trusted = (sender: SenderInfo) => {
    try {
      return opts.isTrustedSender(sender) === true;
    } catch {
      return false;
    }
  };

  return {
    async handle(method, sender, payload) {
      if (!isMethodName(method))
        return fail(
          ipcError(
            'INVALID_INPUT',
            'Unknown method.',
            'The renderer and the main process disagree on the contract: restart the app.',
          ),
        );
      if (!trusted(sender)) return fail(ipcError('FORBIDDEN_SENDER', 'This window may not call Latchkey.'));
      const schema = METHODS[method];
      try {
        const input = schema.input.safeParse(payload);
        if (!input.success) return fail(ipcError('INVALID_INPUT', describeInvalidInput(method, input.error)));
        const handler = handlers[method] as (input: unknown) => Promise<unknown>;
        const result = await handler(input.data);
        const output = schema.output.safeParse(result);
        if (!output.success) {
          log(
            `latchkey ipc: ${method} returned a result that does not match the contract (${output.error.issues.length} issues)`,
          );
          return fail(internalError());
        }
        return { ok: true, value: output.data };
      } catch (error) {
        const mapped = toIpcError(error);
        if (!mapped.expected) log(`latchkey ipc: ${method} failed unexpectedly: ${describeUnexpected(error)}`);
        return fail(mapped.error);
      }
    },
  };
}

function fail(error: IpcError): Envelope<unknown> {
  return { ok: false, error };
}

/** The error's kind and where it was thrown, never its message: that may quote data, including values. */
function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8);
  return [error.name, ...frames].join('\n');
}
