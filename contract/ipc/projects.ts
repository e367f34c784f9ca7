import { z } from 'zod';
import { Dir, type MethodSchemas } from './shared';

/** `missing`: the folder is gone; `no-manifest`: no latchkey.yml yet; `invalid`: it does not parse. */
const PROJECT_STATES = ['ok', 'missing', 'no-manifest', 'invalid'] as const;

const ProjectSummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  manifestPath: z.string().nullable(),
  lastOpened: z.string(),
  state: z.enum(PROJECT_STATES),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const PROJECT_METHODS = {
  'projects.list': { input: z.object({}), output: z.object({ projects: z.array(ProjectSummarySchema) }) },
  'projects.open': { input: z.object({ dir: Dir }), output: z.object({ project: ProjectSummarySchema }) },
  /** Shows the native folder picker; null when the user cancelled. */
  'projects.pick': { input: z.object({}), output: z.object({ dir: z.string().nullable() }) },
  'projects.forget': { input: z.object({ dir: Dir }), output: z.object({}) },
} as const satisfies Record<string, MethodSchemas>;
