import { describe, expect, it } from 'vitest';
import { editorCommandProblem, editorInvocation } from '../../../contract/editor-command';
import { SettingsSchema, DEFAULT_SETTINGS } from '../../../contract/ipc';

describe('the editor command (Settings)', () => {
  it('splits at white space, keeps a quoted word whole, and fills {file} and {line} after the split', () => {
    expect(editorInvocation('code -g {file}:{line}', '/p/my project/.env', 12)).toEqual({
      command: 'code',
      args: ['-g', '/p/my project/.env:12'],
    });
    expect(editorInvocation(`"/Applications/Sublime Text.app/bin/subl" '{file}:{line}'`, '/p/.env', 3)).toEqual({
      command: '/Applications/Sublime Text.app/bin/subl',
      args: ['/p/.env:3'],
    });
    expect(editorInvocation('vim +{line}   {file}', '/p/.env', 7)).toEqual({ command: 'vim', args: ['+7', '/p/.env'] });
  });

  it('gives no character a shell meaning: $, ;, |, backticks and globs reach the editor as they are', () => {
    expect(editorInvocation('ed $HOME;rm {file} | `x` *', '/p/.env', 1)).toEqual({
      command: 'ed',
      args: ['$HOME;rm', '/p/.env', '|', '`x`', '*'],
    });
  });

  it('refuses what cannot be run, saying why; empty means the default app', () => {
    expect(editorCommandProblem('')).toBeUndefined();
    expect(editorCommandProblem('code -g {file}:{line}')).toBeUndefined();
    expect(editorCommandProblem('code -g')).toMatch(/\{file\}/);
    expect(editorCommandProblem('{file} code')).toMatch(/program first/);
    expect(editorCommandProblem('code "{file}')).toMatch(/double quote is not closed/);
    expect(editorCommandProblem('code {file}\nrm -rf /')).toMatch(/control character/);
    expect(editorCommandProblem(`code ${'x'.repeat(600)} {file}`)).toMatch(/under 500/);
    expect(() => editorInvocation('code -g', '/p/.env', 1)).toThrow(/unusable/);
  });

  it('is a setting: empty by default, and a bad command is refused by the schema', () => {
    expect(DEFAULT_SETTINGS.editorCommand).toBe('');
    expect(SettingsSchema.shape.editorCommand.safeParse('code -g {file}:{line}').success).toBe(true);
    expect(SettingsSchema.shape.editorCommand.safeParse('code -g').success).toBe(false);
  });
});
