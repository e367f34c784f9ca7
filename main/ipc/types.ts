import type { DesktopNotice } from '../core/notifications';
import type { z } from 'zod';
import type { EventName, EventPayload, METHODS, MethodName } from '../../contract/ipc';
import type { ClipboardPort } from '../core/clipboard-guard';
import type { Runtime } from '../app';

/** What a handler receives: the method's input after its schema parsed it. */
type HandlerInput<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;
/** What a handler returns: anything the method's output schema accepts (it is parsed again on the way out). */
type HandlerResult<M extends MethodName> = z.input<(typeof METHODS)[M]['output']>;
type Handler<M extends MethodName> = (input: HandlerInput<M>) => Promise<HandlerResult<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** What a save dialog proposes. */
export interface SaveFileRequest {
  title: string;
  defaultName: string;
  /** The one kind of file offered, e.g. { name: 'CSV', extension: 'csv' }. */
  fileType: { name: string; extension: string };
}

/** What the handlers need from the process around them; the Electron shell and the e2e harness each provide it. */
export interface HandlerDeps {
  runtime: Runtime;
  emit: Emit;
  /** Shows a native folder picker; null when the user cancelled. */
  pickFolder(): Promise<string | null>;
  /**
   * Main's own dialog: may the stored 1Password Connect token go to this server? True when the user confirmed. The
   * window cannot answer this itself: it may be the attacker (issue 10, finding 11).
   */
  confirmConnectHost(host: string): Promise<boolean>;
  /**
   * Shows a native save dialog; the chosen path, or null when the user cancelled. The window never names a path
   * itself. Optional: where a shell has none (some tests), the methods that need it say so.
   */
  pickSaveFile?(request: SaveFileRequest): Promise<string | null>;
  /** Opens an https URL in the user's browser (the handler has checked the scheme). */
  openExternal(url: string): Promise<void>;
  /**
   * Opens a file main found (a project's latchkey.yml) in the app the desktop gives it; rejects when none could.
   * Without it (a test backend), opening a file is refused.
   */
  openFile?(file: string): Promise<void>;
  /**
   * Starts the user's editor command (Settings) without a shell: main/desktop/editor.ts. Without it (a test
   * backend), "Open in editor" opens the file through openFile, at its top.
   */
  launchEditor?(command: string, args: string[]): Promise<void>;
  /** The system clipboard: logins are copied in main, so a password never crosses to the renderer. */
  clipboard: ClipboardPort;
  /**
   * Shows a desktop notification; `onClick` runs when the user clicks it. Optional: without it (a test backend, a
   * shell without notifications) none is shown. Never given a secret value (main/core/notifications.ts).
   */
  notify?(notice: DesktopNotice, onClick: () => void): void;
  /**
   * The clock the use cases and the state store read (default: the system's). Optional: a test moves it to see a
   * session near its end without waiting for one.
   */
  now?: () => Date;
}
