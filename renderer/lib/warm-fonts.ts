import fontUses from 'virtual:font-uses';
import { fontWarmingOrder } from './font-warming-order';
import { whenIdle } from './idle';

/**
 * One sample text per idle moment: each is about one font lookup, and on a busy two-core machine one lookup took
 * 10–50 ms. Four at a time made each slice a long task of its own (60–160 ms in a profile of the 5,000-key bench),
 * the very thing the warm-up is for.
 */
const SAMPLES_PER_SLICE = 1;

/**
 * The first text a page lays out in a new font, size and weight makes the browser look the font up: on Linux a
 * synchronous call to the browser process for each, with fontconfig behind it. Opening a big profile asked for about
 * a dozen new ones at once, half of its first frame's layout, and that frame was a long task (issue 14, item 5).
 * Here each size and weight of the stylesheets is laid out once, in the app's two font families, one per idle
 * moment after the window starts, each weight first (font-warming-order.ts), so that the first screens that use them
 * find them known. The sizes and weights come from the build (tools/vite-font-uses.ts): read from the page's CSSOM,
 * they cost a task of their own.
 */
export function warmFontsWhenIdle(doc: Document = document): void {
  const families = ['var(--font-ui)', 'var(--font-mono)'];
  const samples = fontWarmingOrder(fontUses).flatMap((use) => families.map((family) => ({ ...use, family })));
  const host = doc.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  // Laid out (unlike display: none) yet never seen, and never in the way of a click.
  host.style.cssText = 'position:fixed;left:-10000px;top:0;visibility:hidden;pointer-events:none';
  let next = 0;
  const slice = () => {
    if (!host.isConnected) doc.body.append(host);
    for (const sample of samples.slice(next, next + SAMPLES_PER_SLICE)) {
      const span = doc.createElement('span');
      span.style.fontFamily = sample.family;
      if (sample.size) span.style.fontSize = sample.size;
      if (sample.weight) span.style.fontWeight = sample.weight;
      span.textContent = 'Aa0 •…';
      host.append(span);
    }
    next += SAMPLES_PER_SLICE;
    void host.offsetWidth; // the layout that looks the fonts up, now rather than in a screen's first frame
    host.replaceChildren();
    if (next < samples.length) whenIdle(slice);
    else host.remove();
  };
  whenIdle(slice);
}
