import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { processBoundaries } from './tools/eslint/process-boundaries.js';

export default defineConfig(
  { ignores: ['node_modules/', 'out/', 'dist/', 'bench-results/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
      // Type-aware rules: each file is checked with the types of the tsconfig that owns it.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { latchkey: { rules: { 'process-boundaries': processBoundaries } } },
    rules: {
      'latchkey/process-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits loses its rejection (an unhandled error, a write reported done too early); one
      // passed where a callback's result is ignored does the same. Handle it, or `void` it and say why.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Only says that the React Compiler would skip a component (KeysTable's TanStack virtualizer); Latchkey's
      // build does not run that compiler, so there is nothing to act on.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // Every spread argument is one argument on the call stack: over an unbounded array it crashes (issue 10, item
    // 15). Product code builds arrays with literals, loops or reduce instead.
    files: ['main/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}', 'contract/**/*.ts', 'preload/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message: 'No spread arguments: a spread argument over an unbounded array overflows the stack. Loop instead.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
);
