// Renders build/icon.svg into the PNGs electron-builder packages: build/icon.png (1024 px: mac turns it into
// .icns, Windows into .ico) and build/icons/<N>x<N>.png (Linux picks sizes by file name). Chromium draws the SVG,
// so the PNGs look exactly like the SVG does in a browser. Run it after editing the SVG and commit the PNGs:
//
//   node scripts/render-icons.mjs            (uses /usr/bin/chromium; CHROMIUM_PATH overrides it)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE = path.join(ROOT, 'build/icon.svg');
const OUTPUTS = [
  { size: 1024, file: 'build/icon.png' },
  { size: 1024, file: 'build/icons/1024x1024.png' },
  { size: 512, file: 'build/icons/512x512.png' },
  { size: 256, file: 'build/icons/256x256.png' },
];

const svg = await readFile(SOURCE, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  for (const { size, file } of OUTPUTS) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    // The SVG is inlined, not loaded from a URL: nothing is fetched, and the page has nothing else on it.
    await page.setContent(
      `<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style></head><body>${svg}</body></html>`,
    );
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await mkdir(path.dirname(path.join(ROOT, file)), { recursive: true });
    await writeFile(path.join(ROOT, file), png);
    await page.close();
    console.log(`render-icons: ${file} (${size}x${size}, ${png.length} bytes)`);
  }
} finally {
  await browser.close();
}
