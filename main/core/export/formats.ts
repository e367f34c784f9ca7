// The format names alone, apart from the formats' code: the CLI lists them in its options without loading any.
export const EXPORT_FORMATS = [
  'dotenv',
  'json',
  'yaml',
  'shell',
  'tfvars',
  'k8s',
  'github',
  'gitlab',
  'csv',
  'tsv',
  'java-properties',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
