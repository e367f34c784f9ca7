import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontUsesOf } from '../../../tools/vite-font-uses';
import { REPO_ROOT } from '../../support/paths';

describe("the font uses the renderer's build reads from its stylesheets", () => {
  it('takes one size and weight per rule that sets either, nested rules included, without repeats', () => {
    const css = `
      .a { font-size: var(--fs-sm); font-weight: 650; color: red; }
      .b { font-weight: 650; font-size: var(--fs-sm) }
      .c { color: blue; }
      @media (max-width: 900px) { .d { font-size: 11px; } }
      @container (max-width: 400px) { .e { font-weight: 600; } }
    `;
    expect(fontUsesOf([css, '.f { font-size: 11px }'])).toEqual([
      { size: 'var(--fs-sm)', weight: '650' },
      { size: '11px', weight: '' },
      { size: '', weight: '600' },
    ]);
  });

  it("finds the app's own sizes and weights in renderer/styles", () => {
    const uses = fontUsesOf(appStylesheets());
    // The keys table's names and its headers (profile.css) are among them.
    expect(uses).toContainEqual({ size: '12.5px', weight: '600' });
    expect(uses).toContainEqual({ size: 'var(--fs-xs)', weight: '600' });
    expect(new Set(uses.map((u) => `${u.size}|${u.weight}`)).size).toBe(uses.length);
  });

  // Each weight a page has not used yet is a font lookup, the costly part of a first frame (renderer/lib/
  // font-warming-order.ts): thirteen weights made the 5,000-key profile's first frame pay for nine of them.
  it('keeps the stylesheets to four weights', () => {
    const scale = ['', '400', '500', '600', '700'];
    const weights = new Set(fontUsesOf(appStylesheets()).map((use) => use.weight));
    expect([...weights].filter((weight) => !scale.includes(weight))).toEqual([]);
  });
});

function appStylesheets(): string[] {
  const dir = path.join(REPO_ROOT, 'renderer/styles');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.css'))
    .map((name) => readFileSync(path.join(dir, name), 'utf8'));
}
