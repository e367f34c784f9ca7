import path from 'node:path';

/** Fixed places in the repository, so a test file's own depth in the tree never matters. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI_BIN = path.join(REPO_ROOT, 'bin/latchkey.js');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'out/cli/latchkey.mjs');
export const PTY_RUN = path.join(REPO_ROOT, 'test/support/pty-run.py');
export const MANIFEST_FIXTURES = path.join(REPO_ROOT, 'test/fixtures/manifests');
