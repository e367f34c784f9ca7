/**
 * How Docker Compose v2 (compose-go) reads an unquoted `env_file` line's value, for where `docker compose` itself
 * is not installed: leading white space trimmed, a leading quote starts a quoted value (not handled here: refused),
 * an inline comment cut at ` #` (older compose-go: at any `#`), trailing white space trimmed, `$` interpolated
 * (refused here). Returns undefined where compose would read something else than the text.
 */
function composeReadsUnquoted(rhs: string, cutAtAnyHash: boolean): string | undefined {
  let value = rhs.replace(/^[\t\v\f\r \x85\xa0]+/, '');
  if (/^['"]/.test(value)) return undefined;
  value = cutAtAnyHash ? value.split('#')[0]! : value.split(' #')[0]!;
  value = value.replace(/[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
  if (value.includes('$')) return undefined;
  return value;
}

/** An env_file as compose reads it, under both comment rules; a line compose would misread is an error. */
export function readComposeEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error('not KEY=VALUE');
    const rhs = line.slice(eq + 1);
    const newer = composeReadsUnquoted(rhs, false);
    const older = composeReadsUnquoted(rhs, true);
    if (newer === undefined || newer !== older || newer !== rhs) throw new Error(`${line.slice(0, eq)} is misread`);
    out.set(line.slice(0, eq), newer);
  }
  return out;
}
