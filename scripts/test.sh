#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: it installs what it needs itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# rustup's tools, also when the calling shell has not sourced its profile
export PATH="${HOME:-/root}/.cargo/bin:$PATH"

echo "== toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

echo "== format and lints (native)"
cargo fmt --check
cargo clippy --all-targets -- -D warnings

echo "== tests (unit, fixtures + snapshots, conformance, CLI, hostile input, properties)"
cargo test --no-fail-fast 2>&1 | tee /tmp/claimcheck-cargo-test.log
grep -E "^conformance: " /tmp/claimcheck-cargo-test.log || true

echo "== supply chain: cargo deny (licences, bans, sources; the advisory database needs GitHub)"
if ! cargo deny --version >/dev/null 2>&1; then
  t0=$(date +%s)
  cargo install cargo-deny --locked
  echo "installed cargo-deny in $(( $(date +%s) - t0 )) s"
fi
cargo deny --offline check licenses bans sources

echo "== fuzz smoke (each target ${FUZZ_SECONDS:-20} s; fuzz/smoke.sh)"
fuzz/smoke.sh

echo "== release build and the public conformance figures"
cargo build --release
if [ -f ../shared/tools/score_conformance.py ] && [ -d ../shared/conformance ]; then
  SCORE_ARGS="--kubernetes-version 1.32" python3 ../shared/tools/score_conformance.py target/release/claimcheck ../shared/conformance | tail -n 1 || true
fi

node_pass=0
node_fail=0
if [ -x scripts/test-wasm.sh ]; then
  echo "== wasm package"
  scripts/test-wasm.sh 2>&1 | tee /tmp/claimcheck-wasm-test.log
  node_pass=$(grep -E "^# pass [0-9]+" /tmp/claimcheck-wasm-test.log | awk '{s+=$3} END {print s+0}')
  node_fail=$(grep -E "^# fail [0-9]+" /tmp/claimcheck-wasm-test.log | awk '{s+=$3} END {print s+0}')
fi
if [ -x scripts/test-www.sh ]; then
  echo "== browser editor"
  scripts/test-www.sh 2>&1 | tee /tmp/claimcheck-www-test.log
  node_pass=$((node_pass + $(grep -E "^www: [0-9]+ passed" /tmp/claimcheck-www-test.log | awk '{s+=$2} END {print s+0}')))
  node_fail=$((node_fail + $(grep -E "^www: [0-9]+ passed, [0-9]+ failed" /tmp/claimcheck-www-test.log | awk '{s+=$4} END {print s+0}')))
fi

passed=$(grep -Eo "test result: ok\. [0-9]+ passed" /tmp/claimcheck-cargo-test.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo "[0-9]+ failed" /tmp/claimcheck-cargo-test.log | awk '{s+=$1} END {print s+0}')
echo "== all tests passed (rust: ${passed}, node and browser: ${node_pass})"
echo "total: $((passed + node_pass)) passed, $((failed + node_fail)) failed"
