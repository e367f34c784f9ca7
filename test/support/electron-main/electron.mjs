// What `import ... from 'electron'` gets when test/support/electron-main.ts loads the built main bundle: the
// recording stand-in it installed. A name the bundle imports but the stand-in lacks fails at link time, loudly
// ("does not provide an export named ..."), rather than being undefined.
const fake = globalThis[Symbol.for('latchkey.test.fakeElectron')];
if (!fake) throw new Error('the stand-in electron module was loaded before test/support/electron-main.ts installed it');

export const {
  app,
  BrowserWindow,
  Menu,
  Notification,
  clipboard,
  dialog,
  ipcMain,
  nativeTheme,
  protocol,
  session,
  shell,
} = fake;
export default fake;
