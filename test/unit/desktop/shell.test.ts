import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalHttpsUrl } from '../../../main/desktop/external-url';
import { contentTypeFor, RENDERER_ORIGIN, rendererFileFor } from '../../../main/desktop/renderer-files';

// The pure rules behind main/electron (which cannot run here): what may leave the app through shell.openExternal,
// and which file an app://latchkey/ request may read.

describe('externalHttpsUrl', () => {
  it('passes https URLs, normalised', () => {
    expect(externalHttpsUrl('https://docs.aws.amazon.com/systems-manager/')).toBe(
      'https://docs.aws.amazon.com/systems-manager/',
    );
    expect(externalHttpsUrl('HTTPS://Example.COM')).toBe('https://example.com/');
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-msdt:/id PCWDiagnostic',
    'smb://attacker/share',
    'app://latchkey/index.html',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https:',
    'not a url',
    '',
  ])('refuses %j', (raw) => {
    expect(externalHttpsUrl(raw)).toBeNull();
  });

  it('refuses non-strings and oversized input', () => {
    expect(externalHttpsUrl(undefined)).toBeNull();
    expect(externalHttpsUrl({ href: 'https://example.com' })).toBeNull();
    expect(externalHttpsUrl(`https://example.com/${'a'.repeat(5000)}`)).toBeNull();
  });
});

describe('rendererFileFor', () => {
  const dir = path.resolve('/opt/latchkey/out/renderer');

  it('maps / to index.html and paths to files inside the renderer folder', () => {
    expect(RENDERER_ORIGIN).toBe('app://latchkey');
    expect(rendererFileFor('app://latchkey/', dir)).toBe(path.join(dir, 'index.html'));
    expect(rendererFileFor('app://latchkey/assets/index-abc.js', dir)).toBe(path.join(dir, 'assets', 'index-abc.js'));
    expect(rendererFileFor('app://latchkey/assets/a%20b.css?v=1#x', dir)).toBe(path.join(dir, 'assets', 'a b.css'));
  });

  it('clamps dot segments at the folder root, as the URL parser does', () => {
    expect(rendererFileFor('app://latchkey/../main/index.js', dir)).toBe(path.join(dir, 'main', 'index.js'));
    expect(rendererFileFor('app://latchkey/%2e%2e/%2E./main/index.js', dir)).toBe(path.join(dir, 'main', 'index.js'));
  });

  it.each([
    'app://latchkey/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://latchkey/..%5c..%5cwindows',
    'app://latchkey/assets%5c..%5c..%5cx',
    'app://latchkey/index.html%00.png',
    'app://latchkey/%E0%A4%A',
    'app://other/index.html',
    'https://latchkey/index.html',
    'file:///opt/latchkey/out/renderer/index.html',
    'garbage',
  ])('refuses %s', (url) => {
    expect(rendererFileFor(url, dir)).toBeNull();
  });

  it('never returns a path outside the folder, whatever the encoded path', () => {
    const nasty = ['..', '%2e%2e', '.%2e', '%2e.', '%2f', '%5c', '/', '\\', 'a', '%00', '%252e'];
    for (const a of nasty) {
      for (const b of nasty) {
        for (const c of nasty) {
          const file = rendererFileFor(`app://latchkey/${a}${b}/${c}x`, dir);
          if (file !== null) expect(file.startsWith(dir + path.sep)).toBe(true);
        }
      }
    }
  });
});

describe('contentTypeFor', () => {
  it('serves module scripts as JavaScript and unknown files as bytes', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/assets/index-abc.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/logo.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });
});

describe('permissionAllowed', () => {
  it('grants only a plain-text clipboard write, and only to our own page', async () => {
    const { permissionAllowed } = await import('../../../main/desktop/permissions');
    expect(permissionAllowed('clipboard-sanitized-write', 'app://latchkey/')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://latchkey/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-read', 'app://latchkey/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
    for (const p of ['media', 'notifications', 'geolocation', 'openExternal', 'fullscreen'])
      expect(permissionAllowed(p, 'app://latchkey/')).toBe(false);
  });
});
