import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

const ROOT = REPO_ROOT;
const eslint = new ESLint({ cwd: ROOT });

async function boundaryProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'latchkey/process-boundaries').map((m) => m.message);
}

describe('the process-boundary lint rule (DESIGN.md §6)', () => {
  it.each([
    ['main/core/x.ts', "import { app } from 'electron';\nexport const a = app;", /'electron' may only be imported/],
    ['main/sources/x.ts', "import { app } from 'electron';\nexport const a = app;", /'electron' may only be imported/],
    [
      'preload/api.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;",
      /'electron' may only be imported/,
    ],
    [
      'main/core/x.ts',
      "import { createSsmSources } from '../sources/ssm';\nexport const a = createSsmSources;",
      /core may not import from main/,
    ],
    [
      'main/core/x.ts',
      "import keytar from 'keytar';\nexport const a = keytar;",
      /core may not import the package 'keytar'/,
    ],
    [
      'main/core/x.ts',
      "import { SSMClient } from '@aws-sdk/client-ssm';\nexport const a = SSMClient;",
      /may not import the package/,
    ],
    [
      'renderer/x.ts',
      "import { parseManifest } from '../main/core/manifest';\nexport const a = parseManifest;",
      /renderer may not import from core/,
    ],
    ['renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;", /may not use Node built-ins/],
    [
      'contract/x.ts',
      "import { LatchkeyError } from '../main/core/errors';\nexport const a = LatchkeyError;",
      /contract may not import from core/,
    ],
  ])('refuses %s: %s', async (file, code, message) => {
    const problems = await boundaryProblems(file, code);
    expect(problems.join('\n')).toMatch(message);
  });

  it.each([
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['preload/index.ts', "import { contextBridge } from 'electron';\nexport const a = contextBridge;"],
    [
      'main/core/x.ts',
      "import type { Plan } from '../../contract/plan';\nimport { z } from 'zod';\nimport fs from 'node:fs';\nexport type P = Plan;\nexport const a = [z, fs];",
    ],
    [
      'renderer/x.ts',
      "import { PlanSchema } from '../contract/plan';\nimport { create } from 'zustand';\nexport const a = [PlanSchema, create];",
    ],
    [
      'main/cli/x.ts',
      "import { loadManifest } from '../core/manifest';\nimport { Command } from 'commander';\nexport const a = [loadManifest, Command];",
    ],
  ])('allows %s', async (file, code) => {
    expect(await boundaryProblems(file, code)).toEqual([]);
  });
});
