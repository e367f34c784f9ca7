// Types for the test that generates its cases from the table (the rule itself is plain JS, loaded by eslint.config.js).
import type { Rule } from 'eslint';

export interface LayerRules {
  /** Folders (ending in '/') or files, relative to the repository root; '*' is any file at the root. */
  readonly paths: readonly string[];
  /** The other layers it may import; '*' is every layer. */
  readonly imports: readonly string[] | '*';
  /** Bare specifiers it may import ('@scope/' matches the scope); '*' is any package. */
  readonly packages: readonly string[] | '*';
  readonly node?: boolean;
  readonly electron?: boolean;
}

export const LAYERS: Readonly<Record<string, LayerRules>>;
export function layerOf(file: string): string | undefined;
export function problemWith(from: string, spec: string, file: string): string | undefined;
export const processBoundaries: Rule.RuleModule;
