/**
 * The order the font warm-up lays the stylesheets' sizes and weights out in: one sample per weight first, then every
 * size and weight. A weight the page has not used yet is a font lookup (on Linux a synchronous call to the browser
 * process, 2–8 ms on an idle machine and 10–50 ms on a busy one); a new size of a known weight cost about 1 ms.
 * So a window opened and clicked at once has its expensive lookups done after the first few idle moments.
 * Generic over the use's shape: the build's virtual:font-uses declares it, and only its weight matters here.
 */
export function fontWarmingOrder<Use extends { weight: string }>(uses: readonly Use[]): Use[] {
  const firstOfEachWeight = new Map<string, Use>();
  for (const use of uses) if (!firstOfEachWeight.has(use.weight)) firstOfEachWeight.set(use.weight, use);
  const leads = new Set(firstOfEachWeight.values());
  return [...leads, ...uses.filter((use) => !leads.has(use))];
}
