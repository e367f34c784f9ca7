import { describe, expect, it } from 'vitest';
import { fontWarmingOrder } from '../../../../renderer/lib/font-warming-order';

describe('the order the font warm-up takes', () => {
  it('takes one size of each weight first, then the rest in their order, each use once', () => {
    const uses = [
      { size: '12px', weight: '600' },
      { size: '11px', weight: '600' },
      { size: '13px', weight: '' },
      { size: '12px', weight: '700' },
      { size: '15px', weight: '' },
    ];
    expect(fontWarmingOrder(uses)).toEqual([
      { size: '12px', weight: '600' },
      { size: '13px', weight: '' },
      { size: '12px', weight: '700' },
      { size: '11px', weight: '600' },
      { size: '15px', weight: '' },
    ]);
  });

  it('keeps an empty list empty', () => {
    expect(fontWarmingOrder([])).toEqual([]);
  });
});
