// The process boundaries of DESIGN.md §6, as one lint rule. Each file belongs to an area; each area may import
// only from the areas and packages listed for it. Keeping the map in one table makes the architecture reviewable.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Areas from most to least specific: the first prefix that matches a file decides its area. */
const AREAS = [
  ['preload/index.ts', 'preload-entry'],
  ['preload/', 'preload'],
  ['contract/', 'contract'],
  ['renderer/', 'renderer'],
  ['main/core/', 'core'],
  ['main/electron/', 'electron'],
  ['main/', 'main'],
  ['test/', 'test'],
];

/** What each area may import. `node` = Node built-ins; `packages` = bare specifiers (prefix match); `electron` = 'electron'. */
const ALLOWED = {
  contract: { areas: ['contract'], packages: ['zod'] },
  core: { areas: ['core', 'contract'], packages: ['zod', 'yaml'], node: true },
  renderer: { areas: ['renderer', 'contract'], packages: ['react', 'react-dom', 'zustand', '@tanstack/', 'zod'] },
  preload: { areas: ['preload', 'contract'], packages: ['zod'] },
  'preload-entry': { areas: ['preload', 'contract'], packages: ['zod'], electron: true },
  main: { areas: ['core', 'main', 'contract'], anyPackage: true, node: true },
  electron: {
    areas: ['core', 'main', 'electron', 'contract', 'preload'],
    anyPackage: true,
    node: true,
    electron: true,
  },
  test: { areas: '*', anyPackage: true, node: true },
};

function areaOfFile(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  for (const [prefix, area] of AREAS) if (rel === prefix || rel.startsWith(prefix)) return area;
  return undefined;
}

function check(fromArea, spec, file) {
  const rules = ALLOWED[fromArea];
  if (spec === 'electron' || spec.startsWith('electron/')) {
    return rules.electron ? undefined : `'electron' may only be imported in main/electron/ and preload/index.ts`;
  }
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = areaOfFile(path.resolve(path.dirname(file), spec));
    if (!target) return `imports outside the source tree (${spec})`;
    if (rules.areas === '*' || rules.areas.includes(target)) return undefined;
    return `${fromArea} may not import from ${target} (${spec})`;
  }
  if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
    return rules.node ? undefined : `${fromArea} may not use Node built-ins (${spec})`;
  }
  if (rules.anyPackage) return undefined;
  if ((rules.packages ?? []).some((p) => spec === p || spec.startsWith(p.endsWith('/') ? p : `${p}/`)))
    return undefined;
  return `${fromArea} may not import the package '${spec}'`;
}

export const processBoundaries = {
  meta: { type: 'problem', docs: { description: 'Enforce the process boundaries of DESIGN.md §6' }, schema: [] },
  create(context) {
    const file = context.filename;
    const area = areaOfFile(file);
    if (!area) return {};
    const report = (node, spec) => {
      if (typeof spec !== 'string') return;
      const problem = check(area, spec, file);
      if (problem) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => report(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && report(node, node.source.value),
      ExportAllDeclaration: (node) => report(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && report(node, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          report(node, node.arguments[0].value);
        }
      },
    };
  },
};
