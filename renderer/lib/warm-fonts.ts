import { whenIdle } from './idle';

/** One size and weight that some rule of the app's stylesheets asks for (declared values: `var(--fs-sm)`, `650`). */
interface FontUse {
  size: string;
  weight: string;
}

/** At most this many sample texts are laid out per idle moment: about one font lookup each. */
const SAMPLES_PER_SLICE = 4;

/**
 * The sizes and weights the stylesheets declare, one per rule that sets either (the other one inherited: `''`),
 * without repeats. Rules inside @media and @supports count too.
 */
function fontUsesOf(sheets: Iterable<CSSStyleSheet>): FontUse[] {
  const seen = new Map<string, FontUse>();
  const visit = (rules: CSSRuleList) => {
    for (const rule of Array.from(rules)) {
      if ('style' in rule && rule.style instanceof CSSStyleDeclaration) {
        const size = rule.style.getPropertyValue('font-size').trim();
        const weight = rule.style.getPropertyValue('font-weight').trim();
        if (size || weight) seen.set(`${size}|${weight}`, { size, weight });
      }
      if ('cssRules' in rule && rule.cssRules instanceof CSSRuleList) visit(rule.cssRules);
    }
  };
  for (const sheet of sheets) {
    try {
      visit(sheet.cssRules);
    } catch {
      // A sheet from another origin cannot be read; the app's own are all same-origin.
    }
  }
  return [...seen.values()];
}

/**
 * The first text a page lays out in a new font, size and weight makes the browser look the font up: on Linux a
 * synchronous call to the browser process for each, with fontconfig behind it. Opening a big profile asked for about
 * a dozen new ones at once, half of its first frame's layout, and that frame was a long task (issue 14, item 5).
 * Here each size and weight of the stylesheets is laid out once, in the app's two font families, a few per idle
 * moment after the window starts, so that the first screens that use them find them known.
 */
export function warmFontsWhenIdle(doc: Document = document): void {
  whenIdle(() => {
    // Reading every rule is a moment of its own; the first samples wait for the next one.
    const uses = fontUsesOf(Array.from(doc.styleSheets));
    const families = ['var(--font-ui)', 'var(--font-mono)'];
    const samples = uses.flatMap((use) => families.map((family) => ({ ...use, family })));
    const host = doc.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    // Laid out (unlike display: none) yet never seen, and never in the way of a click.
    host.style.cssText = 'position:fixed;left:-10000px;top:0;visibility:hidden;pointer-events:none';
    doc.body.append(host);
    let next = 0;
    const slice = () => {
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
  });
}
