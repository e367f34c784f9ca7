// Apart from name-transform.ts, which needs the contract's patterns (and so zod): the CLI lists the cases in its
// options without loading either.
export const NAME_CASES = ['keep', 'upper', 'lower'] as const;
export type NameCase = (typeof NAME_CASES)[number];
