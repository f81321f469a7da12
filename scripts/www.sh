#!/usr/bin/env bash
# Builds the browser editor (www/) and serves it on http://127.0.0.1:5173 (PORT to change).
#   1. the npm package in pkg/ (scripts/build-wasm.sh, browser module only) when it is missing
#      or older than the crate's sources;
#   2. `npm ci` in www/ when its node_modules do not match package-lock.json;
#   3. `vite build` into www/dist (a static site: any file server can serve it);
#   4. `vite preview` on 127.0.0.1, until interrupted. CLAIMCHECK_WWW_NO_SERVE=1 stops after
#      the build (scripts/test-www.sh uses that).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${PORT:-5173}

step() { printf '\n== %s\n' "$*" >&2; }

wasm=pkg/dist/web/claimcheck_bg.wasm
if [ ! -f "$wasm" ] || [ -n "$(find src Cargo.toml Cargo.lock pkg/lib pkg/index.js -newer "$wasm" -print -quit)" ]; then
  step "npm package (pkg/)"
  CLAIMCHECK_WASM_FLAVOURS=${CLAIMCHECK_WASM_FLAVOURS:-web} scripts/build-wasm.sh
fi

cd www
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (www/)"
  npm ci --no-audit --no-fund --loglevel=error
fi

step "vite build (www/dist)"
node_modules/.bin/vite build --logLevel warn
ls -l dist/assets >&2

if [ -n "${CLAIMCHECK_WWW_NO_SERVE:-}" ]; then
  exit 0
fi

step "serving $ROOT/www/dist on http://127.0.0.1:$PORT/ (Ctrl+C stops)"
exec node_modules/.bin/vite preview --host 127.0.0.1 --port "$PORT" --strictPort
