import { LatchkeyError } from './errors';

/**
 * What `--pristine` keeps from the caller's environment: enough to find and run a program (PATH), and what
 * programs expect of a login (HOME, USER, TERM). Windows cannot start most programs without SystemRoot, and finds
 * them through PATHEXT and ComSpec, so those are kept there too. Nothing else crosses: no AWS_*, no CI tokens.
 */
const PRISTINE_KEEP = ['PATH', 'HOME', 'TERM', 'USER'] as const;
const PRISTINE_KEEP_WINDOWS = ['SystemRoot', 'ComSpec', 'PATHEXT', 'USERPROFILE'] as const;

/** A PATH for a pristine child whose caller has none, so that `env -i latchkey exec --pristine` can still run `sh`. */
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function execEnvironment(
  base: NodeJS.ProcessEnv,
  values: Map<string, string>,
  opts: { pristine?: boolean | undefined; platform?: NodeJS.Platform } = {},
): NodeJS.ProcessEnv {
  const nul = [...values].filter(([, value]) => value.includes('\0')).map(([name]) => name);
  if (nul.length > 0) {
    throw new LatchkeyError(
      'PLAN_HAS_ERRORS',
      `${nul.join(', ')}: the value holds a NUL character, which no environment variable can carry`,
      'Nothing was run.',
    );
  }
  const env: NodeJS.ProcessEnv = {};
  if (opts.pristine) {
    const keep: readonly string[] =
      (opts.platform ?? process.platform) === 'win32' ? [...PRISTINE_KEEP, ...PRISTINE_KEEP_WINDOWS] : PRISTINE_KEEP;
    for (const name of keep) if (base[name] !== undefined) env[name] = base[name];
    env.PATH ??= FALLBACK_PATH;
  } else {
    Object.assign(env, base);
  }
  for (const [name, value] of values) env[name] = value;
  return env;
}
