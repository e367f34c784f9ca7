import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../contract/errors';
import { errorTitle, errorTodo, isErrorCode } from '../../../../renderer/lib/errors';

describe('error words', () => {
  it('has a title and a next step for every error code of the contract', () => {
    for (const code of ERROR_CODES) {
      expect(isErrorCode(code)).toBe(true);
      expect(errorTitle({ code, message: '' })).toMatch(/\S/);
      expect(errorTodo({ code, message: '' })).toMatch(/\S/);
    }
    for (const other of ['', 'constructor', '__proto__', 'internal', undefined]) expect(isErrorCode(other)).toBe(false);
  });

  it("counts a manifest's problems, and prefers main's own hint", () => {
    const problem = { line: 1, col: 1, path: '', message: 'x' };
    expect(errorTitle({ code: 'MANIFEST_INVALID', message: '', problems: [problem] })).toBe(
      'latchkey.yml has a problem',
    );
    expect(errorTitle({ code: 'MANIFEST_INVALID', message: '', problems: [problem, problem] })).toBe(
      'latchkey.yml has 2 problems',
    );
    expect(errorTodo({ code: 'SOURCE_FAILED', message: '', hint: 'Log in to AWS first.' })).toBe(
      'Log in to AWS first.',
    );
  });
});
