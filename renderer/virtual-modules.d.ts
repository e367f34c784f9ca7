// Modules the renderer's build makes (electron.vite.config.ts): an ambient declaration, so no import or export here.

declare module 'virtual:font-uses' {
  /** The font sizes and weights the app's stylesheets declare, read at build time (tools/vite-font-uses.ts). */
  const fontUses: readonly { size: string; weight: string }[];
  export default fontUses;
}
