import { describe, expect, it } from 'vitest';
import { shareLockAnswer } from '../../../main/adapters/keytar-keychain';

describe('shareLockAnswer: one "is the keychain locked?" per operation', () => {
  function counted(answers: boolean[]) {
    let asked = 0;
    const check = () => Promise.resolve(answers[Math.min(asked++, answers.length - 1)] ?? false);
    return { check, asked: () => asked };
  }

  it('asks once for reads that overlap, and all of them get the answer', async () => {
    const { check, asked } = counted([true]);
    const shared = shareLockAnswer(check, () => 0);
    const answers = await Promise.all(Array.from({ length: 10 }, () => shared()));
    expect(answers).toEqual(Array(10).fill(true));
    expect(asked()).toBe(1);
  });

  it('reuses the answer briefly, then asks again so that an unlock is believed', async () => {
    let clock = 0;
    const { check, asked } = counted([true, false]);
    const shared = shareLockAnswer(check, () => clock);
    expect(await shared()).toBe(true);
    clock = 999;
    expect(await shared()).toBe(true);
    expect(asked()).toBe(1);
    clock = 1000;
    expect(await shared()).toBe(false);
    expect(asked()).toBe(2);
  });

  it('asks again after a failed check instead of keeping the failure', async () => {
    let calls = 0;
    const shared = shareLockAnswer(() =>
      ++calls === 1 ? Promise.reject(new Error('bus gone')) : Promise.resolve(false),
    );
    await expect(shared()).rejects.toThrow('bus gone');
    expect(await shared()).toBe(false);
    expect(calls).toBe(2);
  });
});
