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

/** `arn:aws:iam::123456789012:user/dana` → `dana`; anything else as SSM gave it. */
export function shortUser(given: string | undefined): string {
  const user = knownUser(given);
  if (!user) return '—';
  const tail = user.split('/').pop();
  return user.startsWith('arn:') && tail ? tail : user;
}
