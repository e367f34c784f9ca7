const DAY_MS = 86_400_000;

/** Age in whole days from the rotation info, else from the source's modification time. */
export function ageDays(
  ageFromRotation: number | undefined,
  modifiedAt: string | undefined,
  now = Date.now(),
): number | undefined {
  if (ageFromRotation !== undefined) return ageFromRotation;
  if (!modifiedAt) return undefined;
  const t = Date.parse(modifiedAt);
  return Number.isNaN(t) ? undefined : Math.max(0, (now - t) / DAY_MS);
}

export function formatAge(days: number | undefined): string {
  if (days === undefined) return '—';
  if (days < 1) return 'today';
  if (days < 365) return `${Math.floor(days)} d`;
  return `${(days / 365.25).toFixed(1)} y`;
}

export function relativeTime(iso: string | number, now = Date.now()): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return `${d} d ago`;
}

export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'Unknown date';
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((startOf(now) - startOf(date)) / DAY_MS);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  return date.toLocaleDateString(undefined, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric',
  });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "not a URL" → "Not a URL": main's messages start lower-case, to follow a colon; the UI shows them as sentences. */
export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** The last path segment, for display only (the renderer has no path module). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}
