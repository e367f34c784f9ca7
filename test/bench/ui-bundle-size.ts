import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  totalBytes: number;
  /** Each file gzipped on its own at level 9, as a server or an updater would ship it, summed. */
  totalGzipBytes: number;
}

/** Every .js/.mjs file under the built renderer, with its raw and gzipped size. */
export function measureRendererJs(rendererDir: string): BundleSize {
  const files = listFiles(rendererDir)
    .filter((f) => /\.(m?js)$/.test(f))
    .map((file) => {
      const bytes = readFileSync(file);
      return {
        file: path.relative(rendererDir, file),
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  if (files.length === 0) throw new Error(`no JavaScript under ${rendererDir}: is the renderer built?`);
  return {
    files,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
    totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}
