// The contract runs in main (Node) and in the page (the DOM), so it sees neither's types: only what both provide,
// declared here as far as it is used. WHATWG URL is a global in both.
declare global {
  class URL {
    constructor(url: string, base?: string);
    readonly protocol: string;
    readonly username: string;
    readonly password: string;
    readonly search: string;
    readonly hash: string;
  }
}

export {};
