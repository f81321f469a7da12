#!/usr/bin/env bash
# Builds the Kubewarden policy (kubewarden/): the waPC module for wasm32-wasip1, annotated
# with kubewarden/metadata.yml and kubewarden/README.md (what `kwctl annotate --metadata-path
# --usage-path` does), written to kubewarden/dist/claimcheck-policy.wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${HOME:-/root}/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-wasip1; then
  rustup target add wasm32-wasip1
fi
(cd kubewarden && cargo build --locked --release --target wasm32-wasip1)
mkdir -p kubewarden/dist
(cd kubewarden/host-tests && cargo run --locked --quiet --bin annotate -- \
  ../target/wasm32-wasip1/release/claimcheck_kubewarden.wasm ../metadata.yml \
  ../dist/claimcheck-policy.wasm ../README.md)
raw=$(wc -c <kubewarden/dist/claimcheck-policy.wasm)
gz=$(gzip -9 -c kubewarden/dist/claimcheck-policy.wasm | wc -c)
echo "kubewarden/dist/claimcheck-policy.wasm: $raw bytes, $gz gzipped"
