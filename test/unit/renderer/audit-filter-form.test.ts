import { describe, expect, it } from 'vitest';
import { auditFilterOf, EMPTY_AUDIT_FILTER_FORM, isFiltering } from '../../../renderer/lib/audit-filter-form';

describe("the Audit screen's filter form", () => {
  it('turns the form into that filter: local days as instants, a backwards range read the right way round', () => {
    expect(auditFilterOf(EMPTY_AUDIT_FILTER_FORM)).toEqual({});
    expect(isFiltering(EMPTY_AUDIT_FILTER_FORM)).toBe(false);
    const filter = auditFilterOf({ ...EMPTY_AUDIT_FILTER_FORM, fromDate: '2026-11-14', toDate: '2026-11-12' });
    expect(new Date(filter.from!).getTime()).toBe(new Date(2026, 10, 12, 0, 0, 0, 0).getTime());
    expect(new Date(filter.to!).getTime()).toBe(new Date(2026, 10, 14, 23, 59, 59, 999).getTime());
    expect(
      auditFilterOf({ ...EMPTY_AUDIT_FILTER_FORM, query: '  reveal ', action: 'copy', problemsOnly: true }),
    ).toEqual({
      query: 'reveal',
      actions: ['copy'],
      problemsOnly: true,
    });
    expect(auditFilterOf({ ...EMPTY_AUDIT_FILTER_FORM, fromDate: 'not a date' })).toEqual({});
  });
});
