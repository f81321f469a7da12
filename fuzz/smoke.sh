#!/usr/bin/env bash
# A short fuzzing run of every target (CI): FUZZ_SECONDS each (default 20). Installs
# cargo-fuzz (crates.io) and the nightly toolchain when missing. Long runs are the same
# command with a larger FUZZ_SECONDS (figures in the README). A crash fails the run and
# leaves its input in fuzz/artifacts/<target>/; each one becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
SECONDS_EACH=${FUZZ_SECONDS:-20}
# CI builds without optimisation (minutes less to compile; a short smoke needs no speed);
# FUZZ_RELEASE=1 for long runs.
MODE=(--sanitizer none)
if [ "${FUZZ_RELEASE:-0}" != 1 ]; then MODE+=(--dev); fi
TARGETS=${FUZZ_TARGETS:-lint fix_roundtrip review quantity reader}

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  t0=$(date +%s)
  cargo +nightly install cargo-fuzz --locked
  echo "fuzz: installed cargo-fuzz in $(( $(date +%s) - t0 )) s"
fi
./seed.sh
t0=$(date +%s)
# no sanitizer: the crate has no unsafe code; panics and timeouts are what is looked for
cargo +nightly fuzz build "${MODE[@]}"
echo "fuzz: built the targets in $(( $(date +%s) - t0 )) s"
for t in $TARGETS; do
  echo "== fuzz $t (${SECONDS_EACH} s)"
  cargo +nightly fuzz run "${MODE[@]}" "$t" "corpus/$t" -- \
    -dict=kubernetes.dict -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|INFO: Seed|SUMMARY|panicked|thread)" || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz: $t found a failing input: fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
