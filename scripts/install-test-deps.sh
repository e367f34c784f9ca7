#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine (run as root or with sudo available).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# python3-yaml (PyYAML), curl and jq: consumers of the export formats and the CI examples (docs/CI.md).
# fonts-dejavu-core: the monospace family the app's Linux font stack names first (renderer/styles/tokens.css); the
# e2e suite checks that the stacks start with a family the machine has.
# strace: shows that the shipped CLI replaces a file by swapping it (test/integration/cli/swap.test.ts).
PACKAGES=(chromium gnome-keyring dbus libsecret-1-dev python3-dotenv python3-yaml curl jq xvfb git fonts-dejavu-core
  strace)
# kubectl: Debian has no package named kubectl; its kubernetes-client ships one. Only where none is installed, so
# a newer kubectl from elsewhere is not replaced. terraform is not in Debian's archive or npm: its tests say so
# and skip where it is absent.
if ! command -v kubectl >/dev/null 2>&1; then PACKAGES+=(kubernetes-client); fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Debian packages already installed: ${PACKAGES[*]}"
fi
# moto (the AWS emulator) and awscli come with the machine image; PyPI is not reachable from CI machines.
if ! python3 -c 'import moto, flask' 2>/dev/null; then
  echo "moto with its server extras is missing: pip install 'moto[server]==5.2.1'" >&2
  pip install 'moto[server]==5.2.1' || { echo "could not install moto; the integration tests need it" >&2; exit 1; }
fi
