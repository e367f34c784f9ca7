import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import type { Plugin } from 'vite';

/** One size and weight that some rule of the app's stylesheets asks for (declared values: `var(--fs-sm)`, `650`). */
interface FontUse {
  size: string;
  weight: string;
}

/**
 * The sizes and weights the stylesheets declare, one per rule that sets either (the other one inherited: `''`),
 * without repeats, in the order they come. Rules inside @media and @container count too.
 */
export function fontUsesOf(stylesheets: string[]): FontUse[] {
  const seen = new Map<string, FontUse>();
  for (const css of stylesheets)
    postcss.parse(css).walkRules((rule) => {
      let size = '';
      let weight = '';
      rule.each((node) => {
        if (node.type !== 'decl') return;
        if (node.prop === 'font-size') size = node.value.trim();
        if (node.prop === 'font-weight') weight = node.value.trim();
      });
      if (size || weight) seen.set(`${size}|${weight}`, { size, weight });
    });
  return [...seen.values()];
}

const MODULE_ID = 'virtual:font-uses';
const RESOLVED_ID = `\0${MODULE_ID}`;

/**
 * `import fontUses from 'virtual:font-uses'`: the font sizes and weights of every stylesheet in `stylesDir`, read at
 * build time. The renderer's font warm-up (renderer/lib/warm-fonts.ts) lays each one out once after the window
 * starts; reading them from the page's CSSOM instead walked some 800 rules in one task of 20–100 ms (issue 14).
 */
export function fontUsesPlugin(stylesDir: string): Plugin {
  return {
    name: 'latchkey-font-uses',
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const files = readdirSync(stylesDir)
        .filter((name) => name.endsWith('.css'))
        .sort()
        .map((name) => path.join(stylesDir, name));
      for (const file of files) this.addWatchFile(file);
      return `export default ${JSON.stringify(fontUsesOf(files.map((file) => readFileSync(file, 'utf8'))))};`;
    },
  };
}
