#!/usr/bin/env bash
# The Kubewarden policy: builds it, checks format and lints of its two crates, and runs the
# host tests (waPC on wasmtime, as Kubewarden's policy-server runs policies), including the
# comparison with the native CLI over the conformance cases.
# Environment: CLAIMCHECK_BIN, the native CLI to compare with (default: the newest of
# target/release/claimcheck and target/debug/claimcheck; built if neither exists).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="${HOME:-/root}/.cargo/bin:$PATH"

echo "== kubewarden: build and annotate the policy"
scripts/build-kubewarden.sh

echo "== kubewarden: format and lints"
(cd kubewarden && cargo fmt --check && cargo clippy --locked --release --target wasm32-wasip1 --all-targets -- -D warnings)
(cd kubewarden/host-tests && cargo fmt --check && cargo clippy --locked --all-targets -- -D warnings)

if [ -z "${CLAIMCHECK_BIN:-}" ] && [ ! -x target/release/claimcheck ] && [ ! -x target/debug/claimcheck ]; then
  cargo build --release --bin claimcheck
fi

echo "== kubewarden: host tests (waPC + wasmtime)"
(cd kubewarden/host-tests && cargo test --locked -- --nocapture 2>&1) | tee /tmp/claimcheck-kubewarden-test.log
grep -E "^kubewarden conformance: " /tmp/claimcheck-kubewarden-test.log || true
echo "kubewarden: done in ${SECONDS} s"
