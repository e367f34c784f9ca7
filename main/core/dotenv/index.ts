export { parseDotenv, documentValues } from './parse';
export type { DotenvDocument, DotenvLine } from './parse';
export { spellValue, spellEntry, REFUSAL } from './spell';
export type { Spelling } from './spell';
export { renderDotenv } from './render';
export type { DotenvChanges } from './render';
