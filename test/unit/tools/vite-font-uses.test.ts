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
    const dir = path.join(REPO_ROOT, 'renderer/styles');
    const sheets = readdirSync(dir)
      .filter((name) => name.endsWith('.css'))
      .map((name) => readFileSync(path.join(dir, name), 'utf8'));
    const uses = fontUsesOf(sheets);
    // The keys table's names and its headers (profile.css) are among them.
    expect(uses).toContainEqual({ size: '12.5px', weight: '600' });
    expect(uses).toContainEqual({ size: 'var(--fs-xs)', weight: '600' });
    expect(new Set(uses.map((u) => `${u.size}|${u.weight}`)).size).toBe(uses.length);
  });
});
