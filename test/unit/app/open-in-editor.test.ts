import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOfKey, openTargetAtKey } from '../../../main/app/open-in-editor';
import { updateSettings } from '../../../main/core/settings';
import { useOfflineProject } from '../../support/app-sandbox';

const t = useOfflineProject('ghp_canaryOpenInEditor_19');

describe("open the target at a key's line", () => {
  it('counts physical lines as readers do: CRLF, a multi-line quoted value, and the last assignment wins', async () => {
    const file = path.join(t.dir, '.env');
    writeFileSync(file, '# top\r\nA=1\r\nPEM="line1\nline2\nline3"\nB=2\nA=3\n');
    expect(await lineOfKey(file, 'portable', 'A')).toBe(7);
    expect(await lineOfKey(file, 'portable', 'PEM')).toBe(3);
    expect(await lineOfKey(file, 'portable', 'B')).toBe(6);
    expect(await lineOfKey(file, 'portable', 'MISSING')).toBeUndefined();
    expect(await lineOfKey(path.join(t.dir, 'absent.env'), 'portable', 'A')).toBeUndefined();
  });

  it('without an editor command, opens the target in the default app; with one, starts it at the line', async () => {
    const target = path.join(t.dir, '.env');
    writeFileSync(target, 'LOG_LEVEL=info\nAPI_URL=x\n');
    const opened: string[] = [];
    const launched: { command: string; args: string[] }[] = [];
    const deps = {
      ...t.sb.deps,
      openFile: async (file: string) => void opened.push(file),
      launchEditor: async (command: string, args: string[]) => void launched.push({ command, args }),
    };
    const request = { project: { dir: t.dir }, profile: 'dev', name: 'API_URL' };
    expect(await openTargetAtKey(deps, request)).toEqual({ line: 2, via: 'default-app' });
    expect(opened).toEqual([target]);

    await updateSettings(t.sb.appDir, { editorCommand: 'code -g {file}:{line}' });
    expect(await openTargetAtKey(deps, request)).toEqual({ line: 2, via: 'editor' });
    // A key not in the file yet (an add) opens the file at its top.
    expect(await openTargetAtKey(deps, { ...request, name: 'PERSONAL_TOKEN' })).toEqual({ via: 'editor' });
    expect(launched).toEqual([
      { command: 'code', args: ['-g', `${target}:2`] },
      { command: 'code', args: ['-g', `${target}:1`] },
    ]);
    expect(opened).toHaveLength(1);
  });
});
