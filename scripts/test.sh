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
# cargo deny reads the metadata of every platform's crates (windows-sys too): fetch them
# first, or offline it stops on the first one a Linux build never downloaded
cargo fetch --locked
cargo deny --offline check licenses bans sources

echo "== fuzz smoke (each target ${FUZZ_SECONDS:-20} s; fuzz/smoke.sh)"
fuzz/smoke.sh

echo "== release build and the public conformance figures"
cargo build --release
if [ -f ../shared/tools/score_conformance.py ] && [ -d ../shared/conformance ]; then
  SCORE_ARGS="--kubernetes-version 1.32" python3 ../shared/tools/score_conformance.py target/release/claimcheck ../shared/conformance | tail -n 1 || true
  if [ -d ../shared/conformance-workloads ]; then
    SCORE_ARGS="--kubernetes-version 1.32" python3 ../shared/tools/score_conformance.py target/release/claimcheck ../shared/conformance-workloads | tail -n 1 || true
  fi
fi

node_pass=0
node_fail=0
if [ -x scripts/test-wasm.sh ]; then
  echo "== wasm package"
  scripts/test-wasm.sh 2>&1 | tee /tmp/claimcheck-wasm-test.log
  node_pass=$(grep -E "^# pass [0-9]+" /tmp/claimcheck-wasm-test.log | awk '{s+=$3} END {print s+0}')
  node_fail=$(grep -E "^# fail [0-9]+" /tmp/claimcheck-wasm-test.log | awk '{s+=$3} END {print s+0}')
fi
if [ -x scripts/test-pulumi-cdk8s.sh ]; then
  echo "== Pulumi policy pack and cdk8s plugin (after the wasm package: they use pkg/)"
  scripts/test-pulumi-cdk8s.sh 2>&1 | tee /tmp/claimcheck-sdk-test.log
  node_pass=$((node_pass + $(grep -E "^integrations: [0-9]+ passed" /tmp/claimcheck-sdk-test.log | awk '{s+=$2} END {print s+0}')))
  node_fail=$((node_fail + $(grep -E "^integrations: [0-9]+ passed, [0-9]+ failed" /tmp/claimcheck-sdk-test.log | awk '{s+=$4} END {print s+0}')))
fi
if [ -x scripts/test-www.sh ]; then
  echo "== browser editor"
  scripts/test-www.sh 2>&1 | tee /tmp/claimcheck-www-test.log
  node_pass=$((node_pass + $(grep -E "^www: [0-9]+ passed" /tmp/claimcheck-www-test.log | awk '{s+=$2} END {print s+0}')))
  node_fail=$((node_fail + $(grep -E "^www: [0-9]+ passed, [0-9]+ failed" /tmp/claimcheck-www-test.log | awk '{s+=$4} END {print s+0}')))
fi

int_pass=0
int_fail=0
if [ -x scripts/test-integrations.sh ]; then
  echo "== integrations (Helm protocol, kubectl, krew, pre-commit, lefthook)"
  scripts/test-integrations.sh 2>&1 | tee /tmp/claimcheck-integrations-test.log
  int_pass=$(grep -E "^integrations: [0-9]+ passed" /tmp/claimcheck-integrations-test.log | awk '{print $2}')
  int_fail=$(grep -E "^integrations: [0-9]+ passed, [0-9]+ failed" /tmp/claimcheck-integrations-test.log | awk '{print $4}')
  node_pass=$((node_pass + ${int_pass:-0}))
  node_fail=$((node_fail + ${int_fail:-1}))
fi

if [ -x scripts/test-kubewarden.sh ]; then
  echo "== Kubewarden policy (waPC on wasmtime)"
  CLAIMCHECK_BIN="$PWD/target/release/claimcheck" scripts/test-kubewarden.sh 2>&1 | tee /tmp/claimcheck-kubewarden.log
  cat /tmp/claimcheck-kubewarden-test.log >>/tmp/claimcheck-cargo-test.log
fi

passed=$(grep -Eo "test result: ok\. [0-9]+ passed" /tmp/claimcheck-cargo-test.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo "[0-9]+ failed" /tmp/claimcheck-cargo-test.log | awk '{s+=$1} END {print s+0}')
echo "== all tests passed (rust: ${passed}, node, browser and integrations: ${node_pass})"
echo "total: $((passed + node_pass)) passed, $((failed + node_fail)) failed"
