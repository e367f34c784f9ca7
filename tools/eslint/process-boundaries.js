// The layers of the code, as one lint rule: the one place to read the architecture (docs/ARCHITECTURE.md draws it).
// Shaped like VS Code's layering rule: a table of layers, each naming the layers it may import. A file belongs to
// the layer whose path matches it most specifically; an import is allowed when its target's layer is the file's own
// or one the table names, and when the package, Node built-in or 'electron' it names is allowed to that layer.
//
// Packages are owned: an SDK is imported only by the layer that wraps it, so swapping or auditing it touches one
// folder. @aws-sdk/* and @smithy/* belong to sources (SSM) and aws; @1password/connect to onepassword; keytar to
// adapters; commander to cli; yaml to core (latchkey.yml with positions; the CLI's YAML export); koffi to core (the
// one system call Node lacks, in main/core/exchange-entries.ts); react, react-dom, zustand and @tanstack/* to the
// renderer, with the module its build makes (virtual:font-uses). zod is the contract's language, open to every layer
// that handles data.
// 'electron' is imported only by main/electron and preload/index.ts (and by tests and tooling, which may import
// any package: the scripts read Electron's version).
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * What one layer may import.
 * @typedef {object} LayerRules
 * @property {readonly string[]} paths Folders (ending in '/') or files, relative to the repository root; '*' is any
 *   file at the root.
 * @property {readonly string[] | '*'} imports The other layers it may import (its own is always allowed); '*' is
 *   every layer.
 * @property {readonly string[] | '*'} packages Bare specifiers it may import ('@scope/' matches the whole scope);
 *   '*' is any package.
 * @property {boolean} [node] May use Node built-ins.
 * @property {boolean} [electron] May import 'electron'.
 */

/**
 * Every layer of the repository.
 * @type {Readonly<Record<string, LayerRules>>}
 */
export const LAYERS = {
  contract: { paths: ['contract/'], imports: [], packages: ['zod'] },
  core: { paths: ['main/core/'], imports: ['contract'], packages: ['zod', 'yaml', 'koffi'], node: true },
  sources: {
    paths: ['main/sources/'],
    imports: ['core', 'contract'],
    packages: ['zod', '@aws-sdk/', '@smithy/'],
    node: true,
  },
  adapters: { paths: ['main/adapters/'], imports: ['core', 'contract'], packages: ['zod', 'keytar'], node: true },
  aws: {
    paths: ['main/aws/'],
    imports: ['sources', 'adapters', 'core', 'contract'],
    packages: ['zod', '@aws-sdk/', '@smithy/'],
    node: true,
  },
  onepassword: {
    paths: ['main/onepassword/'],
    imports: ['sources', 'adapters', 'core', 'contract'],
    packages: ['zod', '@1password/connect'],
    node: true,
  },
  app: {
    paths: ['main/app/'],
    imports: ['aws', 'onepassword', 'sources', 'adapters', 'core', 'contract'],
    packages: ['zod'],
    node: true,
  },
  cli: { paths: ['main/cli/'], imports: ['app', 'core', 'contract'], packages: ['zod', 'commander'], node: true },
  ipc: { paths: ['main/ipc/'], imports: ['app', 'core', 'contract'], packages: ['zod'], node: true },
  desktop: { paths: ['main/desktop/'], imports: ['core', 'contract'], packages: [], node: true },
  electron: {
    paths: ['main/electron/'],
    imports: ['ipc', 'app', 'desktop', 'core', 'contract'],
    packages: ['zod'],
    node: true,
    electron: true,
  },
  preload: { paths: ['preload/'], imports: ['contract'], packages: ['zod'] },
  'preload-entry': { paths: ['preload/index.ts'], imports: ['preload', 'contract'], packages: ['zod'], electron: true },
  renderer: {
    paths: ['renderer/'],
    imports: ['contract'],
    packages: ['react', 'react-dom', 'zustand', '@tanstack/', 'zod', 'virtual:font-uses'],
  },
  test: { paths: ['test/'], imports: '*', packages: '*', node: true, electron: true },
  tooling: { paths: ['scripts/', 'tools/', 'bin/', '*'], imports: [], packages: '*', node: true, electron: true },
};

const withoutExtension = (file) => file.replace(/\.[cm]?[jt]sx?$/, '');

function relativePath(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/**
 * The layer a file belongs to: the longest matching path wins (preload/index.ts over preload/).
 * @param {string} file An absolute path.
 * @returns {string | undefined}
 */
export function layerOf(file) {
  const rel = relativePath(file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  let best;
  let bestLength = -1;
  for (const [layer, { paths }] of Object.entries(LAYERS)) {
    for (const p of paths) {
      // A folder matches its files and itself (an import of '../app' means its index.ts); a file matches with or
      // without its extension (an import names 'preload/index', the file is preload/index.ts).
      const matches =
        p === '*'
          ? !rel.includes('/')
          : p.endsWith('/')
            ? `${rel}/`.startsWith(p)
            : withoutExtension(rel) === withoutExtension(p);
      const length = p === '*' ? 0 : p.length;
      if (matches && length > bestLength) [best, bestLength] = [layer, length];
    }
  }
  return best;
}

function packageAllowed(rules, spec) {
  if (rules.packages === '*') return true;
  return rules.packages.some((p) => (p.endsWith('/') ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));
}

/** Why `spec`, imported by `file` of layer `from`, breaks the table; undefined when it does not. */
function problemWith(from, spec, file) {
  const rules = LAYERS[from];
  if (spec === 'electron' || spec.startsWith('electron/')) {
    return rules.electron ? undefined : `'electron' may only be imported in main/electron/ and preload/index.ts`;
  }
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = layerOf(path.resolve(path.dirname(file), spec));
    if (!target) return `${from} imports from outside the source tree (${spec})`;
    if (target === from || rules.imports === '*' || rules.imports.includes(target)) return undefined;
    return `${from} may not import from ${target} (${spec})`;
  }
  if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
    return rules.node ? undefined : `${from} may not use Node built-ins (${spec})`;
  }
  return packageAllowed(rules, spec) ? undefined : `${from} may not import the package '${spec}'`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const processBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers and packages tools/eslint/process-boundaries.js names' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (!layer) return {};
    const report = (node, spec) => {
      if (typeof spec !== 'string') return;
      const problem = problemWith(layer, spec, file);
      if (problem) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => report(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && report(node, node.source.value),
      ExportAllDeclaration: (node) => report(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && report(node, node.source.value),
      CallExpression: (node) => {
        // require('x'), and a require made by createRequire(...), called directly or through a name.
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'CallExpression' &&
            callee.callee.type === 'Identifier' &&
            callee.callee.name === 'createRequire');
        if (isRequire && node.arguments[0]?.type === 'Literal') report(node, node.arguments[0].value);
      },
    };
  },
};
