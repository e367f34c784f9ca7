import { describe, expect, it } from 'vitest';
import { LOGIN_FIELDS } from '../../../../contract/ipc';
import { FIELD_WORDS, hostOf, LOGIN_SHORTCUTS, loginKey } from '../../../../renderer/lib/logins';

describe('logins', () => {
  it('keys a login by vault and item', () => {
    expect(loginKey({ vaultId: 'v1', itemId: 'i1' })).toBe('v1/i1');
  });

  it('shows the host of a URL, with or without a scheme, and raw text it cannot parse', () => {
    expect(hostOf('https://github.com/login')).toBe('github.com');
    expect(hostOf('grafana.example.test:3000/x')).toBe('grafana.example.test:3000');
    expect(hostOf('http://[::1')).toBe('http://[::1');
    expect(hostOf(undefined)).toBeUndefined();
  });

  it('has a word and a shortcut for every field the contract can copy', () => {
    for (const field of LOGIN_FIELDS) {
      expect(FIELD_WORDS[field]).toMatch(/\S/);
      expect(LOGIN_SHORTCUTS[field]).toMatch(/\S/);
    }
    // Outside a Mac (Node has no navigator.platform), shortcuts are spelled with Ctrl.
    expect(LOGIN_SHORTCUTS.username).toBe('Ctrl+U');
  });
});
