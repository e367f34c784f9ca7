import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../../../main/core/chamber-rules';
import { knownUser, searchGlob, shortUser, userLabel } from '../../../../renderer/lib/services';

// The search box's glob is matched in main by chamber-rules' globMatcher: checked here through that very matcher.
const matches = (text: string, service: string, key: string) => globMatcher(searchGlob(text))(service, key);

describe('searchGlob', () => {
  it('finds plain text anywhere in a key name, in any service, whatever the case', () => {
    expect(searchGlob('  db_pass ')).toBe('*db_pass*');
    expect(matches('db_pass', 'api/dev', 'db_password')).toBe(true);
    expect(matches('PASS', 'svc-01/dev', 'db_password')).toBe(true);
    expect(matches('pass', 'password/dev', 'token')).toBe(false);
  });

  it('with a / matches anywhere in service/key', () => {
    expect(searchGlob('api/dev')).toBe('**api/dev**');
    expect(matches('api/dev', 'api/dev', 'jwt')).toBe(true);
    expect(matches('dev/jwt', 'api/dev', 'jwt_secret')).toBe(true);
    expect(matches('api/dev', 'web/dev', 'jwt')).toBe(false);
  });

  it("keeps the user's own glob as chamber find reads it", () => {
    expect(searchGlob('db_*')).toBe('db_*');
    expect(matches('db_*', 'api/dev', 'db_password')).toBe(true);
    expect(matches('db_*', 'api/dev', 'old_db_password')).toBe(false);
    expect(matches('svc-5?/**', 'svc-51/dev', 'api_token')).toBe(true);
    expect(matches('svc-5?/**', 'svc-510/dev', 'api_token')).toBe(false);
  });
});

describe('shortUser', () => {
  it("shows an IAM ARN's last part, anything else as SSM gave it", () => {
    expect(shortUser('arn:aws:iam::123456789012:user/dana')).toBe('dana');
    expect(shortUser('arn:aws:sts::123456789012:assumed-role/deploy/ci-run-7')).toBe('ci-run-7');
    expect(shortUser('dana')).toBe('dana');
    // SSM's "N/A" (no user recorded) says no more than nothing.
    expect(shortUser('N/A')).toBe('—');
    expect(shortUser(undefined)).toBe('—');
  });
});

describe('knownUser', () => {
  it('is the user SSM recorded, or nothing for "N/A" and empty', () => {
    expect(knownUser('arn:aws:iam::123456789012:user/dana')).toBe('arn:aws:iam::123456789012:user/dana');
    expect(knownUser('N/A')).toBeUndefined();
    expect(knownUser('')).toBeUndefined();
    expect(knownUser(undefined)).toBeUndefined();
  });
});

describe('userLabel (the review\'s "by <user>")', () => {
  it('names an IAM user by its name, whatever its path, with the ARN in full for the tooltip', () => {
    expect(userLabel('arn:aws:iam::123456789012:user/alice')).toEqual({
      short: 'alice',
      full: 'arn:aws:iam::123456789012:user/alice',
    });
    expect(userLabel('arn:aws:iam::123456789012:user/eng/platform/bob')?.short).toBe('bob');
  });

  it('names an assumed role by its session name, which says who assumed it', () => {
    const full = 'arn:aws:sts::123456789012:assumed-role/Deploy-Admin/alice@example.com';
    expect(userLabel(full)).toEqual({ short: 'alice@example.com', full });
    expect(userLabel('arn:aws-us-gov:sts::123456789012:assumed-role/ci/run-42')?.short).toBe('run-42');
  });

  it('says root with its account, and keeps what is not an ARN as it is', () => {
    expect(userLabel('arn:aws:iam::123456789012:root')).toEqual({
      short: 'root (123456789012)',
      full: 'arn:aws:iam::123456789012:root',
    });
    expect(userLabel('dana')).toEqual({ short: 'dana', full: 'dana' });
    expect(userLabel('arn:aws:s3:::bucket/x')).toEqual({
      short: 'arn:aws:s3:::bucket/x',
      full: 'arn:aws:s3:::bucket/x',
    });
  });

  it('names no one for N/A (what moto always answers) or nothing', () => {
    expect(userLabel('N/A')).toBeUndefined();
    expect(userLabel(undefined)).toBeUndefined();
    expect(userLabel('')).toBeUndefined();
  });
});
