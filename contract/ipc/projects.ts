import * as z from 'zod';
import { ProjectIdSchema, ProjectRefSchema, type MethodSchemas } from './shared';

/** `missing`: the folder is gone; `no-manifest`: no latchkey.yml yet; `invalid`: it does not parse. */
const PROJECT_STATES = ['ok', 'missing', 'no-manifest', 'invalid'] as const;

const ProjectSummarySchema = z.object({
  /** What the renderer names the project by in every later call. */
  id: ProjectIdSchema,
  /** Display only: main never takes a path back. */
  dir: z.string(),
  name: z.string(),
  manifestPath: z.string().nullable(),
  lastOpened: z.string(),
  state: z.enum(PROJECT_STATES),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const PROJECT_METHODS = {
  'projects.list': { input: z.object({}), output: z.object({ projects: z.array(ProjectSummarySchema) }) },
  /** Opens a registered folder (puts it first in the recent list); an unknown id is PROJECT_NOT_OPEN. */
  'projects.open': { input: ProjectRefSchema, output: z.object({ project: ProjectSummarySchema }) },
  /** Shows the native folder picker and registers the folder chosen; null when the user cancelled. */
  'projects.pick': {
    input: z.object({}),
    output: z.object({ picked: z.object({ projectId: ProjectIdSchema, dir: z.string() }).nullable() }),
  },
  'projects.forget': { input: ProjectRefSchema, output: z.object({}) },
} as const satisfies Record<string, MethodSchemas>;
