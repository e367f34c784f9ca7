export interface FontUse {
  size: string;
  weight: string;
}

/**
 * The order the font warm-up lays the stylesheets' sizes and weights out in: one sample per weight first, then every
 * size and weight. A weight the page has not used yet is a font lookup (on Linux a synchronous call to the browser
 * process, 2–8 ms on an idle machine and 10–50 ms on a busy one); a new size of a known weight cost about 1 ms.
 * So a window opened and clicked at once has its expensive lookups done after the first few idle moments.
 */
export function fontWarmingOrder(uses: readonly FontUse[]): FontUse[] {
  const firstOfEachWeight = new Map<string, FontUse>();
  for (const use of uses) if (!firstOfEachWeight.has(use.weight)) firstOfEachWeight.set(use.weight, use);
  const leads = [...firstOfEachWeight.values()];
  return [...leads, ...uses.filter((use) => !leads.includes(use))];
}
