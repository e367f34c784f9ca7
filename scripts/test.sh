#!/usr/bin/env bash
# `npm test`: static checks, the builds, the security and packaging gates, then every suite, ending with one
# summary line ("N passed, N failed, N skipped"). run-suites.mjs fails the run when the suites changed the working
# tree (`git status --porcelain`); the screenshots in docs/ are rewritten only by `npm run screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== format (Prettier)"; npx prettier --check . --log-level warn
echo "== typecheck"; npm run --silent typecheck
echo "== lint (process boundaries included)"; npm run --silent lint
echo "== dead code (knip: unused files, exports, dependencies)"; npx knip --no-progress
echo "== build: CLI and the app's bundles"; npm run --silent build:cli; npx electron-vite build --logLevel warn
echo "== security: Electronegativity over main/ and preload/"; node scripts/electronegativity.mjs
echo "== packaging: what ships (runtime modules, electron-builder config, --dir build)"; node scripts/check-packaging.mjs
# The keyring wrapper gives every suite one private D-Bus session with an unlocked gnome-keyring.
exec bash test/support/with-keyring.sh node scripts/run-suites.mjs "$@"
