import { describe, expect, it } from 'vitest';
import { ROTATE_STEPS } from '../../../../contract/ipc';
import { impactText, isSharedKind, policyText, ROTATE_STEP_LABELS } from '../../../../renderer/lib/shared-secrets';

describe('shared-secret labels', () => {
  it('names the impact: the parameter and every other profile, by project folder name', () => {
    expect(impactText('/api/dev/db_password', [])).toBe(
      'This changes /api/dev/db_password; no other recent profile reads it.',
    );
    expect(impactText('/api/dev/db_password', [{ project: '/home/me/acme-api', profile: 'ci' }])).toBe(
      'This changes /api/dev/db_password; 1 other profile uses it: acme-api › ci.',
    );
    expect(
      impactText('/x', [
        { project: '/a/web', profile: 'dev' },
        { project: '/a/api', profile: 'prod' },
      ]),
    ).toBe('This changes /x; 2 other profiles use it: web › dev, api › prod.');
  });

  it('says the policy in words, and has a label for every step', () => {
    expect(policyText({ length: 32, charset: 'hex' })).toBe('32 characters: hexadecimal digits');
    for (const step of ROTATE_STEPS) expect(ROTATE_STEP_LABELS[step]).toMatch(/\w/);
    expect(['chamber', 'ssm', 'op', 'set', undefined].map((k) => isSharedKind(k as never))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
