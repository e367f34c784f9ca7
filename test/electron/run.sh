#!/usr/bin/env bash
# npm run test:electron: the real-Electron suite. Build first (electron-vite build); this script only runs it.
# On Linux it needs a Secret Service for keytar (test/support/with-keyring.sh) and a display (Xvfb when none is
# set). Where no Electron binary is installed the suite is skipped and says why.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=(npx vitest run --project electron "$@")
if [ "$(uname -s)" = "Linux" ]; then
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    cmd=(xvfb-run -a "${cmd[@]}")
  fi
  exec bash test/support/with-keyring.sh "${cmd[@]}"
fi
exec "${cmd[@]}"
