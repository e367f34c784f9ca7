import { clipboard } from 'electron';
import type { ClipboardPort } from '../core/clipboard-guard';

/** The system clipboard for HandlerDeps: plain text only, on the standard clipboard (not the X11 selection). */
export const electronClipboard: ClipboardPort = {
  readText: () => clipboard.readText(),
  writeText: (text) => clipboard.writeText(text),
};
