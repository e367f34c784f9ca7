/**
 * Middle truncation for identifiers: "acme-dev-eu-west-1" and "acme-dev-us-east-1" both end as "acme-…" with an
 * ellipsis at the end, but keep their differing tails with one in the middle ("acme-d…west-1", "acme-d…east-1").
 */
export const ELLIPSIS = '…';

/**
 * The text with only `keep` of its characters left, the first half from its start and the rest from its end.
 * Characters are code points, so an emoji or an astral letter is never split.
 */
export function middleTruncate(text: string, keep: number): string {
  const chars = Array.from(text);
  if (keep >= chars.length) return text;
  const kept = Math.max(0, Math.floor(keep));
  const head = Math.ceil(kept / 2);
  const tail = kept - head;
  return chars.slice(0, head).join('') + ELLIPSIS + (tail > 0 ? chars.slice(chars.length - tail).join('') : '');
}

/**
 * The longest middle truncation of `text` whose measured width is at most `maxWidth` (the whole text when it fits).
 * `measure` is the width of a string in the element's font; it grows with the characters kept, so a binary search
 * over their number finds the answer in a few measurements.
 */
export function fitMiddle(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const length = Array.from(text).length;
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(middleTruncate(text, mid)) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return middleTruncate(text, low);
}
