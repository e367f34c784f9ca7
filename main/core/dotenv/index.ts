export { parseDotenv, documentValues } from './parse';
export type { DotenvDocument } from './parse';
export { spellEntry } from './spell';
export { renderDotenv } from './render';
export { readerHazards } from './hazards';
export type { ReaderHazard } from './hazards';
