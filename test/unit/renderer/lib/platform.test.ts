import { describe, expect, it } from 'vitest';
import { desktopPlatform } from '../../../../renderer/lib/platform';

describe('desktopPlatform', () => {
  it.each([
    ['MacIntel', 'mac'],
    ['Win32', 'windows'],
    ['Linux x86_64', 'linux'],
    ['Linux aarch64', 'linux'],
    ['FreeBSD amd64', 'other'],
  ] as const)('navigator.platform %s is %s', (platform, expected) => {
    expect(desktopPlatform(platform)).toBe(expected);
  });

  it('falls back to the user agent where navigator.platform is empty', () => {
    expect(desktopPlatform('', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36')).toBe('linux');
    expect(desktopPlatform('', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toBe('mac');
    expect(desktopPlatform('', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe('windows');
    expect(desktopPlatform('', '')).toBe('other');
  });
});
