import * as z from 'zod';
import { ProjectIdSchema, type MethodSchemas } from './shared';

/** Why a copied value left the clipboard: its time was up, or the user had copied something else meanwhile. */
const CLIPBOARD_CLEARED_REASONS = ['timeout', 'replaced'] as const;
export type ClipboardClearedReason = (typeof CLIPBOARD_CLEARED_REASONS)[number];

/**
 * Something the user did outside the page for the renderer to carry out: File ▸ Open Folder… (show the picker), a
 * folder main has registered (File ▸ Open Recent, the command line, a second launch; `dir` is for display), or a click
 * on a desktop notification (show the screen it is about: main/core/notifications.ts).
 */
const MenuCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('open-folder') }),
  z.object({ command: z.literal('open-project'), projectId: ProjectIdSchema, dir: z.string() }),
  z.object({ command: z.literal('show-screen'), screen: z.enum(['rotation', 'aws']) }),
]);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;
/** How many menu commands main keeps for a page that does not listen yet; more is a stuck page, not a user. */
export const MAX_PENDING_MENU_COMMANDS = 10;

/** What the app asks of the desktop around it. */
export const SHELL_METHODS = {
  /** Opens an https URL in the user's browser; anything else is refused. */
  'shell.openExternal': { input: z.object({ url: z.string().max(4096) }), output: z.object({}) },
  /**
   * The window listens for `menu.command` from now on: the commands that came before it did (a folder named on the
   * command line while the page was still starting), oldest first.
   */
  'menu.pending': {
    input: z.object({}),
    output: z.object({ commands: z.array(MenuCommandSchema).max(MAX_PENDING_MENU_COMMANDS) }),
  },
} as const satisfies Record<string, MethodSchemas>;

export const SHELL_EVENTS = {
  /** The clipboard held a copied value and Latchkey cleared it (or found the user had copied something else). */
  'clipboard.cleared': z.object({ reason: z.enum(CLIPBOARD_CLEARED_REASONS) }),
  'menu.command': MenuCommandSchema,
} as const satisfies Record<string, z.ZodType>;
