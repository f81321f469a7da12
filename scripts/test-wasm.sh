#!/usr/bin/env bash
# Builds the npm package (scripts/build-wasm.sh) and tests it:
#   clippy for wasm32, the TypeScript declarations against the usage examples, the Node tests
#   (API, CLI hosts and a smoke test against the native CLI built here, hostile input), the size record,
#   and `npm pack` installed into an empty folder whose `claimcheck check` runs offline.
# The browser test needs Debian's chromium: installed here when missing (as root), unless
# CLAIMCHECK_SKIP_BROWSER is set.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

step() { printf '\n== %s\n' "$*" >&2; }

scripts/build-wasm.sh

step "clippy (wasm32)"
# lib and bins: the test and bench targets need dev-dependencies (proptest, criterion) that
# do not build for wasm32-unknown-unknown
cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "native CLI for the host tests"
cargo build --bin claimcheck
export CLAIMCHECK_NATIVE="$TARGET_DIR/debug/claimcheck"

step "TypeScript declarations"
(cd pkg && npx --no-install tsc -p types-test)

step "Chromium for the browser test"
if [ ! -x /usr/bin/chromium ] && [ -z "${CLAIMCHECK_SKIP_BROWSER:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "no Chromium and cannot install it: the browser test will be skipped" >&2
  fi
fi

step "node tests"
node --test pkg/test/

step "size record"
node pkg/tools/size.mjs

step "npm pack, installed into an empty folder, offline"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd pkg && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball=$(ls "$tmp"/claimcheck-*.tgz)
mkdir "$tmp/app"
(
  cd "$tmp/app"
  echo '{"name": "app", "private": true}' >package.json
  npm install --offline --no-audit --no-fund --loglevel=error "$tarball"
  status=0
  npx --offline claimcheck check "$ROOT/examples/seed.yaml" >out.txt || status=$?
  # The example has errors: exit status 1, and the same report as the native CLI.
  "$CLAIMCHECK_NATIVE" check "$ROOT/examples/seed.yaml" >native.txt || true
  if [ "$status" != 1 ] || ! cmp -s out.txt native.txt; then
    echo "test-wasm: the packed CLI failed (status $status):" >&2
    diff native.txt out.txt >&2 || true
    exit 1
  fi
  node --input-type=module -e "
    import { init, lint } from 'claimcheck';
    await init();
    if (!lint('kind: StatefulSet\n').diagnostics.length) process.exit(1);"
  node -e "
    const cc = require('claimcheck');
    cc.init().then(() => process.exit(cc.rules().length ? 0 : 1));"
)
echo "packed package: OK ($(du -k "$tarball" | cut -f1) KiB tarball)" >&2
