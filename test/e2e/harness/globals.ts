// What the e2e preload shim adds to the page's window, shared by the shim (page side) and the harness (Node side).
export {};

declare global {
  interface Window {
    __latchkeyInvoke(channel: string, payload: unknown): Promise<unknown>;
    __latchkeyDispatch(channel: string, payload: unknown): number;
  }
}
