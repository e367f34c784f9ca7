#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring on a private D-Bus session), so keytar works
# in tests and CI. The keyring files live in a throwaway folder: the user's own keyring is never touched.
#
#   bash test/support/with-keyring.sh CMD ARGS...
#
# Exits with CMD's exit code. Nested calls (LATCHKEY_KEYRING_READY=1) just run CMD.
set -euo pipefail

if [ "${LATCHKEY_KEYRING_READY:-}" = "1" ]; then
  exec "$@"
fi

say() { printf 'with-keyring: %s\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
  say "usage: with-keyring.sh CMD [ARGS...]"
  exit 2
fi

if [ "${1}" = "--inside-session" ]; then
  shift
  dir="${LATCHKEY_KEYRING_DIR:?}"
  # HOME and the XDG folders are overridden for the daemon only: the command keeps the real HOME, because tools
  # such as pyenv and npm find their files through it. The daemon runs in the foreground as our own child, so we
  # can stop it by its pid when the command is done (a forked daemon may outlive the D-Bus session).
  printf '%s' 'latchkey-test' | env HOME="$dir/home" XDG_DATA_HOME="$dir/data" \
    XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" XDG_RUNTIME_DIR="$dir/run" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/daemon.log" 2>&1 &
  daemon=$!
  trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null' EXIT
  ready=0
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
      ready=1
      break
    fi
    if ! kill -0 "$daemon" 2>/dev/null; then break; fi
    sleep 0.05
  done
  if [ "$ready" -ne 1 ]; then
    say "gnome-keyring-daemon did not provide the Secret Service (org.freedesktop.secrets) within 5 s:"
    cat "$dir/daemon.log" >&2 || true
    exit 1
  fi
  export LATCHKEY_KEYRING_READY=1
  set +e
  "$@"
  status=$?
  exit "$status"
fi

missing=0
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v dbus-send >/dev/null 2>&1; then
  say "dbus-run-session or dbus-send is missing: install the Debian package 'dbus' (it pulls in 'dbus-daemon' and 'dbus-bin', which ship them)."
  missing=1
fi
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  say "gnome-keyring-daemon is missing: install the Debian package 'gnome-keyring'."
  missing=1
fi
if [ "$missing" -ne 0 ]; then
  exit 127
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/latchkey-keyring.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/home" "$dir/data" "$dir/config" "$dir/cache" "$dir/run"
chmod 700 "$dir/run"

set +e
LATCHKEY_KEYRING_DIR="$dir" dbus-run-session -- bash "${BASH_SOURCE[0]}" --inside-session "$@"
status=$?
set -e
exit "$status"
