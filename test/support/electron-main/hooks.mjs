// Module hooks (node:module register) for loading out/main/index.js under plain Node: `electron`, imported from
// the bundle, resolves to the recording stand-in (electron.mjs next to this file) instead of the npm package (whose
// index.js would try to download a binary). Every specifier the bundle resolves is reported on `port`, so a test
// sees exactly which modules the shipped main process loads at run time. Importers outside the bundle's folder are
// left alone.
let fakeUrl = '';
let bundleDirUrl = '';
let port;

export function initialize(data) {
  fakeUrl = data.fakeUrl;
  bundleDirUrl = data.bundleDirUrl;
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const fromBundle = typeof context.parentURL === 'string' && context.parentURL.startsWith(bundleDirUrl);
  if (!fromBundle) return nextResolve(specifier, context);
  port.postMessage({ specifier, parentURL: context.parentURL, kind: 'import' });
  if (specifier === 'electron' || specifier.startsWith('electron/')) return { url: fakeUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
