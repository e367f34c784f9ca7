import { describe, expect, it } from 'vitest';
import { folderToOpen } from '../../../main/desktop/command-line';

describe('--open-project on the app command line', () => {
  it('takes the folder of the flag, in either spelling, resolved against the launching directory', () => {
    expect(folderToOpen(['/opt/Latchkey/latchkey', '--open-project=../api'], '/home/me/src/web')).toBe(
      '/home/me/src/api',
    );
    expect(folderToOpen(['/opt/Latchkey/latchkey', '--open-project', '/srv/app'], '/')).toBe('/srv/app');
  });

  it('opens nothing without the flag: Electron passes folders of its own (the app path in development)', () => {
    expect(folderToOpen(['/usr/bin/electron', '.', '/home/me/project'], '/home/me')).toBeUndefined();
    expect(folderToOpen(['/opt/Latchkey/latchkey', '--open-project'], '/')).toBeUndefined();
    expect(folderToOpen(['/opt/Latchkey/latchkey', '--open-project='], '/')).toBeUndefined();
    expect(folderToOpen(['/opt/Latchkey/latchkey', '--open-project=/tmp/\0x'], '/')).toBeUndefined();
  });
});
