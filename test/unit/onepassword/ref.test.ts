import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { normaliseConnectHost } from '../../../main/core/op-settings';
import { isRetryable, normaliseOpError } from '../../../main/onepassword/client';
import { isOpId, parseOpRef } from '../../../main/onepassword/ref';
import { totpNow } from '../../../main/onepassword/totp';
import { totpAt } from '../../support/totp';

describe('parseOpRef', () => {
  it('splits every valid form', () => {
    expect(parseOpRef('op://Dev/DB/password')).toEqual({
      raw: 'op://Dev/DB/password',
      vault: 'Dev',
      item: 'DB',
      field: 'password',
      otp: false,
    });
    expect(parseOpRef('op://Dev/DB/prod/password')).toMatchObject({ section: 'prod', field: 'password', otp: false });
    expect(parseOpRef('op://Dev/DB/one-time password?attribute=otp')).toMatchObject({
      field: 'one-time password',
      otp: true,
    });
    expect(parseOpRef('op://Dev Vault/My Item', { allFields: true })).toEqual({
      raw: 'op://Dev Vault/My Item',
      vault: 'Dev Vault',
      item: 'My Item',
      otp: false,
    });
  });

  it.each([
    ['op://Dev/DB', false],
    ['op://Dev/DB/a/b/c', false],
    ['op://Dev', false],
    ['op://Dev//password', false],
    ['op:/Dev/DB/password', false],
    ['op://Dev/DB/password?attribute=nope', false],
    ['op://Dev/DB/password', true],
    ['op://Dev/DB?attribute=otp', true],
  ])('refuses %s (fields: all = %s) with INVALID_INPUT naming it', (ref, allFields) => {
    try {
      parseOpRef(ref, { allFields });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LatchkeyError);
      expect((error as LatchkeyError).code).toBe('INVALID_INPUT');
      expect((error as LatchkeyError).message).toContain(JSON.stringify(ref));
    }
  });

  it('takes 26 lower-case alphanumerics as an id, as the client does', () => {
    expect(isOpId('abcdefghijklmnopqrstuvwxy1')).toBe(true);
    expect(isOpId('ABCDEFGHIJKLMNOPQRSTUVWXY1')).toBe(false);
    expect(isOpId('abcdefghijklmnopqrstuvwxy')).toBe(false);
  });
});

describe('TOTP (RFC 6238 appendix B vectors, SHA-1)', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
  ];
  it.each(vectors)('t=%i → %s (app fallback and test server agree with the RFC)', (t, code) => {
    expect(totpNow(`otpauth://totp/x?secret=${secret}&digits=8`, t * 1000)).toBe(code);
    expect(totpAt({ secret: Buffer.from('12345678901234567890'), period: 30, digits: 8, algorithm: 'sha1' }, t)).toBe(
      code,
    );
  });
  it('refuses what is not a secret', () => {
    expect(totpNow('not base32!')).toBeUndefined();
  });
});

describe('Connect rejections', () => {
  it('maps {status, message} bodies onto our codes, never quoting a value', () => {
    expect(normaliseOpError({ status: 401, message: 'Invalid token signature' }, 'x', 'h').code).toBe('ACCESS_DENIED');
    expect(normaliseOpError({ status: 403, message: 'vault v is not in scope' }, 'x', 'h').code).toBe('ACCESS_DENIED');
    expect(normaliseOpError({ status: 404, message: 'item not found' }, 'x', 'h').code).toBe('SOURCE_NOT_FOUND');
    expect(normaliseOpError({ status: 500, message: 'boom' }, 'x', 'h').code).toBe('SOURCE_FAILED');
    const refused = normaliseOpError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'x',
      'http://h:1',
    );
    expect(refused.message).toContain('http://h:1');
  });
  it('retries 429, 5xx and dropped connections only', () => {
    expect(isRetryable({ status: 429, message: '' })).toBe(true);
    expect(isRetryable({ status: 503, message: '' })).toBe(true);
    expect(isRetryable({ status: 404, message: '' })).toBe(false);
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRetryable(new LatchkeyError('SOURCE_FAILED', 'x'))).toBe(false);
  });
});

describe('normaliseConnectHost', () => {
  it('keeps http(s) URLs without a trailing slash and refuses the rest', () => {
    expect(normaliseConnectHost('http://localhost:8080/')).toBe('http://localhost:8080');
    expect(normaliseConnectHost(' https://op.example.com/connect/ ')).toBe('https://op.example.com/connect');
    for (const bad of ['ftp://x', 'localhost:8080', 'http://u:p@x', 'http://x/?a=1'])
      expect(() => normaliseConnectHost(bad)).toThrow(LatchkeyError);
  });
});
