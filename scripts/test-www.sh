#!/usr/bin/env bash
# End-to-end tests of the browser editor (www/): builds it (scripts/www.sh), then drives the
# built site in Debian's headless Chromium through playwright-core (www/tests/e2e.test.mjs),
# served on 127.0.0.1 by a small Node server that the tests start and stop themselves.
# Installs chromium with apt-get when missing (as root). Screenshots and timings.json are
# written to www/test-artifacts/. Ends with the line `www: N passed, N failed`.
set -euo pipefail

cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*" >&2; }

CLAIMCHECK_WWW_NO_SERVE=1 scripts/www.sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  step "chromium (Debian package)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test-www: no $CHROMIUM and not root: install Debian's chromium first" >&2
    exit 1
  fi
fi
export CHROMIUM

step "end-to-end tests (headless Chromium)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
node --test --test-reporter=spec www/tests/ 2>&1 | tee "$log" || status=$?

if [ -f www/test-artifacts/timings.json ]; then
  node -e '
    const t = JSON.parse(require("fs").readFileSync("www/test-artifacts/timings.json", "utf8"));
    const s = t.seedEditToDiagnosticsMs, l = t.largeFile;
    console.log(`www timings: first diagnostics ${t.firstDiagnosticsMs} ms after load (goal 250); ` +
      (s ? `edit → diagnostics, seed: median ${s.median} ms, max ${s.max} ms (goal 16); ` : "") +
      (l ? `${l.lines}-line file: median ${l.editToDiagnosticsMs.median} ms, max ${l.editToDiagnosticsMs.max} ms (goal 16; lint in the worker ${l.workMs?.median} ms)` : ""));
  ' || true
fi
echo "www: screenshots in www/test-artifacts/"

passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ -z "$passed" ] || [ -z "$failed" ]; then
  passed=${passed:-0}
  failed=${failed:-1}
  status=1
fi
echo "www: ${passed} passed, ${failed} failed"
exit "$status"
