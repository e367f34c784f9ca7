/**
 * The palette's ranking (pure): which commands answer a query, best first, in groups with headings. A label that
 * is the query, or starts with it, beats one where a word starts with it, which beats a match inside a word, a
 * match in the hint or group, and last a fuzzy one (the query's letters in order, the first at a word start).
 * Within one tier, recently run commands come first.
 */

export interface Rankable {
  id: string;
  group: string;
  label: string;
  hint?: string | undefined;
  searchOnly?: boolean | undefined;
}

export interface RankedGroup<C> {
  heading: string;
  commands: C[];
}

/** The resting list's heading for recently run commands. */
export const RECENT_HEADING = 'Recent';
/** A long list helps no one: past this many matches, typing more is the way. */
export const MAX_RESULTS = 80;

const WORD_SPLIT = /[^\p{L}\p{N}]+/u;

function words(text: string): string[] {
  return text.split(WORD_SPLIT).filter(Boolean);
}

/** The query's letters in order in the label, the first at a word start; fewer gaps rank higher. Else undefined. */
function fuzzyGaps(label: string, query: string): number | undefined {
  const q = query.replace(/\s+/g, '');
  if (!q) return undefined;
  const starts = new Set<number>();
  for (let i = 0; i < label.length; i++) if (i === 0 || WORD_SPLIT.test(label[i - 1]!)) starts.add(i);
  let best: number | undefined;
  for (const start of starts) {
    if (label[start] !== q[0]) continue;
    let at = start;
    let gaps = 0;
    let ok = true;
    for (let k = 1; k < q.length; k++) {
      const next = label.indexOf(q[k]!, at + 1);
      if (next < 0) {
        ok = false;
        break;
      }
      if (next !== at + 1) gaps++;
      at = next;
    }
    if (ok && (best === undefined || gaps < best)) best = gaps;
  }
  return best;
}

/** How well a command answers the query: lower is better; undefined when it does not. */
export function matchScore(command: Rankable, query: string): number | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const label = command.label.toLowerCase();
  if (label === q) return 0;
  if (label.startsWith(q)) return 1;
  const labelWords = words(label);
  const qWords = words(q);
  if (qWords.length === 0) return label.includes(q) ? 4 : undefined;
  const joined = qWords.join(' ');
  // The query (as words) starts at a word of the label: "acme" in "Sync acme-api ▸ dev".
  for (let i = 0; i < labelWords.length; i++) if (labelWords.slice(i).join(' ').startsWith(joined)) return 2;
  if (qWords.every((w) => labelWords.some((lw) => lw.startsWith(w)))) return 3;
  if (label.includes(q)) return 4;
  const text = `${label} ${command.group.toLowerCase()} ${(command.hint ?? '').toLowerCase()}`;
  if (qWords.every((w) => text.includes(w))) return 5;
  const gaps = fuzzyGaps(label, q);
  return gaps === undefined ? undefined : 6 + gaps / 100;
}

/**
 * The palette's list. With no query: the recent commands first, then every other command that is not search-only,
 * grouped in `groupOrder`. With a query: the matches best first, each group placed where its best match ranks.
 */
export function rankCommands<C extends Rankable>(
  commands: readonly C[],
  query: string,
  recent: readonly string[],
  groupOrder: readonly string[],
): RankedGroup<C>[] {
  const recency = new Map(recent.map((id, i) => [id, i]));
  if (!query.trim()) {
    const byId = new Map(commands.map((c) => [c.id, c]));
    const recentCommands = recent.map((id) => byId.get(id)).filter((c): c is C => c !== undefined);
    const rest = commands.filter((c) => !c.searchOnly && !recency.has(c.id));
    const groups: RankedGroup<C>[] = [];
    if (recentCommands.length) groups.push({ heading: RECENT_HEADING, commands: recentCommands });
    for (const heading of groupOrder) {
      const inGroup = rest.filter((c) => c.group === heading);
      if (inGroup.length) groups.push({ heading, commands: inGroup });
    }
    return groups;
  }
  const scored: { c: C; tier: number; fine: number; recent: number; index: number }[] = [];
  commands.forEach((c, index) => {
    const score = matchScore(c, query);
    if (score === undefined) return;
    // The tier decides; within it recency, then a fuzzy match's gaps (the fraction), then the resting order.
    const tier = Math.floor(score);
    scored.push({ c, tier, fine: score - tier, recent: recency.get(c.id) ?? Infinity, index });
  });
  scored.sort((a, b) => a.tier - b.tier || a.recent - b.recent || a.fine - b.fine || a.index - b.index);
  const groups = new Map<string, C[]>();
  for (const { c } of scored.slice(0, MAX_RESULTS)) {
    const list = groups.get(c.group) ?? [];
    list.push(c);
    groups.set(c.group, list);
  }
  return [...groups].map(([heading, list]) => ({ heading, commands: list }));
}
