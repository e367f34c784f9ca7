import type { LatchkeyApi } from '../contract/ipc';

declare global {
  interface Window {
    /** The only way out of the renderer: built by the preload from the IPC contract. */
    readonly latchkey: LatchkeyApi;
  }
}

export {};
