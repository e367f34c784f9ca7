import { afterEach, describe, expect, it } from 'vitest';
import { forgetSecretsForTests, rememberSecrets } from '../../../main/core/redact';
import { uncaughtErrorReport } from '../../../main/desktop/uncaught-error';

const CANARY = 'canary-uncaught-7f3a9c2e1d';

afterEach(() => forgetSecretsForTests());

describe('the uncaught-exception dialog', () => {
  it('names the kind and message of the error, without its stack', () => {
    const error = new TypeError('cannot read properties of undefined');
    const report = uncaughtErrorReport(error);
    expect(report.title).toMatch(/unexpected error/);
    expect(report.content).toContain('TypeError: cannot read properties of undefined');
    expect(report.content).not.toContain(' at ');
  });

  it('never shows a resolved value that a library quoted', () => {
    rememberSecrets([CANARY]);
    const report = uncaughtErrorReport(new Error(`bad header value "${CANARY}"`));
    expect(report.content).not.toContain(CANARY);
    expect(report.content).toContain('[redacted]');
  });

  it("drops what Node's validation errors quote after Received, and escapes control characters", () => {
    const report = uncaughtErrorReport(new Error(`The argument must be a string.\u001b[2J Received ${CANARY}`));
    expect(report.content).not.toContain(CANARY);
    expect(report.content).not.toContain('\u001b');
  });

  it('describes a thrown non-error without showing it', () => {
    expect(uncaughtErrorReport({ value: CANARY }).content).not.toContain(CANARY);
  });
});
