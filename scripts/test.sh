#!/usr/bin/env bash
# `npm test`: static checks, then every suite, ending with one summary line ("N passed, N failed, N skipped").
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== build CLI"; npm run --silent build:cli
# The keyring wrapper gives every suite one private D-Bus session with an unlocked gnome-keyring.
exec bash test/support/with-keyring.sh node scripts/run-suites.mjs "$@"
