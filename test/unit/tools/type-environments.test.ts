import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

// Each layer's tsconfig.json gives its code one environment: the DOM only in the page, Node only in main. The proof
// is a probe file added, in memory, to the layer's real program (its config, its files, everything they pull in,
// so a dependency that drags Node or DOM types in is caught too), and the compiler's verdict on that probe.

const CANNOT_FIND_NAME = new Set([2304, 2580, 2584, 2591, 2592]);

/** For each probe (file name -> code) placed in the layer of `config`, the names the compiler cannot find there. */
function unknownNames(config: string, probes: Record<string, string>): Record<string, string[]> {
  const configPath = path.join(REPO_ROOT, config);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic },
  );
  if (!parsed) throw new Error(`could not read ${config}`);
  const files = new Map(
    Object.entries(probes).map(([name, code]) => [path.join(path.dirname(configPath), name), code]),
  );
  // Checked as plain sources (no references, no emit): the probes' own diagnostics are all that is asked.
  const options = { ...parsed.options, composite: false, noEmit: true, emitDeclarationOnly: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const code = files.get(path.resolve(file));
    return code === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, code, language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...files.keys()], options, host });
  const verdicts: Record<string, string[]> = {};
  for (const [file, name] of [...files.keys()].map((f) => [f, path.basename(f)] as const)) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`the probe ${name} is not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const other = diagnostics.filter((d) => !CANNOT_FIND_NAME.has(d.code));
    if (other.length > 0)
      throw new Error(other.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
    verdicts[name] = diagnostics.map(
      (d) => /'(\w+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1] ?? '?',
    );
  }
  return verdicts;
}

function onUnRecoverableConfigFileDiagnostic(d: ts.Diagnostic): never {
  throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const PROBES = {
  'probe-dom.ts': 'export const probe = [document.title, window.location.href, new HTMLDivElement()];\n',
  'probe-node.ts': "export const probe = [process.env.HOME, Buffer.from('x'), __dirname];\n",
};
const DOM_NAMES = ['document', 'window', 'HTMLDivElement'];
const NODE_NAMES = ['process', 'Buffer', '__dirname'];

describe('each layer sees only its own environment', () => {
  it.each([
    // config, may it use the DOM, may it use Node
    ['main/tsconfig.json', false, true],
    ['renderer/tsconfig.json', true, false],
    ['contract/tsconfig.json', false, false],
    ['preload/tsconfig.json', false, undefined],
    ['tsconfig.tooling.json', false, true],
    ['test/tsconfig.json', true, true],
  ] as const)('%s: DOM %s, Node %s', (config, dom, node) => {
    const verdicts = unknownNames(config, PROBES);
    expect(verdicts['probe-dom.ts']).toEqual(dom ? [] : DOM_NAMES);
    // The preload imports 'electron', whose types bring Node's along; what it may use is its sandbox's business.
    if (node !== undefined) expect(verdicts['probe-node.ts']).toEqual(node ? [] : NODE_NAMES);
  });

  it('uses what both sides share in the contract (URL), and nothing more', () => {
    const verdicts = unknownNames('contract/tsconfig.json', {
      'probe-url.ts': "export const probe = new URL('https://x.test').protocol;\n",
      'probe-fetch.ts': "export const probe = fetch('https://x.test');\n",
    });
    expect(verdicts).toEqual({ 'probe-url.ts': [], 'probe-fetch.ts': ['fetch'] });
  });
});
