#!/usr/bin/env bash
# The main job: lint and fix the bundled example (examples/seed.yaml) through the npm
# package's WebAssembly build in Node, printing the findings and the corrected manifest.
# Installs what it needs (wasm target, wasm-bindgen-cli at the locked version, npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."
# rustup's tools, also when the calling shell has not sourced its profile
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
CLAIMCHECK_WASM_FLAVOURS=node scripts/build-wasm.sh >&2
node scripts/demo-wasm.mjs "$@"
