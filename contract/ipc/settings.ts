import * as z from 'zod';
import { EDITOR_COMMAND_MAX, editorCommandProblem } from '../editor-command';
import type { MethodSchemas } from './shared';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const SettingsSchema = z.object({
  theme: z.enum(THEMES),
  revealSeconds: z.number().int().min(5).max(120),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  confirmBeforeSync: z.boolean(),
  /**
   * How "Open in editor" opens a file at a line, e.g. `code -g {file}:{line}` (editor-command.ts: run without a
   * shell); empty: the file opens in the system's default app, at its top.
   */
  editorCommand: z
    .string()
    .max(EDITOR_COMMAND_MAX)
    .refine((template) => editorCommandProblem(template) === undefined, {
      message: 'not a usable editor command',
    }),
  /** Desktop notifications (drift, a session ending, a key turning overdue): opt-in. */
  notifications: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What a setting is until the user changes it; the renderer shows these until main has answered. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  theme: 'system',
  revealSeconds: 15,
  clipboardClearSeconds: 30,
  confirmBeforeSync: true,
  editorCommand: '',
  notifications: false,
});

export const SETTINGS_METHODS = {
  'settings.get': { input: z.object({}), output: z.object({ settings: SettingsSchema }) },
  'settings.set': {
    input: z.object({ settings: SettingsSchema.partial() }),
    output: z.object({ settings: SettingsSchema }),
  },
} as const satisfies Record<string, MethodSchemas>;
