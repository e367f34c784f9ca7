/** Pure helpers of the service browser (screens/ServicesScreen.tsx). */

/**
 * The search box's text as chamber.find's glob: the user's own `*` and `?` are kept; plain text matches anywhere in
 * the key's name, or in `service/key` when it holds a `/`.
 */
export function searchGlob(text: string): string {
  const t = text.trim();
  if (/[*?]/.test(t)) return t;
  return t.includes('/') ? `**${t}**` : `*${t}*`;
}

/**
 * Who changed a parameter, when SSM knows: it answers "N/A" for a write it recorded no user for, which says
 * nothing a person can use.
 */
export function knownUser(user: string | undefined): string | undefined {
  return user && user !== 'N/A' ? user : undefined;
}

/**
 * Who changed a parameter, readable: an IAM user's or role's name, an assumed role's session name (who assumed it,
 * by convention), `root (<account>)` for the account's root; anything that is not an ARN as SSM gave it. `full` is
 * what SSM said, for a tooltip. Undefined when SSM names no one ("N/A", as moto always does).
 */
export function userLabel(given: string | undefined): { short: string; full: string } | undefined {
  const full = knownUser(given);
  if (!full) return undefined;
  const arn = /^arn:[^:]+:(?:iam|sts)::(\d*):(.+)$/.exec(full);
  if (!arn) return { short: full, full };
  const [, account, resource] = arn as unknown as [string, string, string];
  if (resource === 'root') return { short: account ? `root (${account})` : 'root', full };
  // user/path/name, role/name, assumed-role/role/session, federated-user/name: the last part names the person.
  const tail = resource.split('/').pop();
  return { short: tail || full, full };
}

/** `arn:aws:iam::123456789012:user/dana` → `dana` (userLabel); `—` when SSM names no one. */
export function shortUser(given: string | undefined): string {
  return userLabel(given)?.short ?? '—';
}
