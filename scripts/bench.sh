#!/usr/bin/env bash
# `npm run bench`: every benchmark (sync + UI, 1Password, the race tests of issue 10, then CLI start-up), each writing its
# figures to bench-results/.
# Runs them all even when one misses its budget, and fails if any did.
set -u
cd "$(dirname "$0")/.."
status=0
node --import tsx test/bench/run.ts || status=1
node --import tsx test/bench/op-bench.ts || status=1
node --import tsx test/bench/hardening-bench.ts || status=1
node --import tsx test/bench/cli-startup-bench.ts || status=1
# The UI budgets of a 5,000-key profile (issue 14, item 5): the e2e harness's real main side and Chromium, so vitest
# (for the harness) and the keyring (the plan keeps values by version only where it can check their HMACs).
bash test/support/with-keyring.sh npx vitest run --project bench-ui || status=1
exit "$status"
