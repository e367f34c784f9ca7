import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchEditor } from '../../../main/desktop/editor';
import { useTempDir } from '../../support/temp';

const tmp = useTempDir('latchkey-editor-');

describe('starting the editor command', () => {
  it('runs the program with its arguments as given, without a shell', async () => {
    const out = path.join(tmp.path, 'argv.json');
    const marker = path.join(tmp.path, 'shell-ran');
    // Were a shell involved, `;touch …` would create the marker; here it is one argument among others.
    const script = `require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(1)))`;
    await launchEditor(process.execPath, ['-e', script, `x;touch ${marker}`, '$HOME']);
    await expect.poll(() => existsSync(out), { timeout: 10_000 }).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([`x;touch ${marker}`, '$HOME']);
    expect(existsSync(marker)).toBe(false);
  });

  it('a program that does not exist is a clear error naming it, not its arguments', async () => {
    await expect(launchEditor('latchkey-no-such-editor', ['/secret/path/.env:3'])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/could not start latchkey-no-such-editor \(ENOENT\)/),
    });
    await expect(launchEditor('latchkey-no-such-editor', ['/secret/path/.env:3'])).rejects.not.toMatchObject({
      message: expect.stringContaining('/secret/path'),
    });
  });
});
