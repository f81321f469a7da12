#!/usr/bin/env bash
# Regenerates every figure of benchmarks/README.md (and the README's performance table) in
# one run, side by side on the same machine:
#
#   benchmarks/run.sh                 everything (about 15 minutes on 2 cores)
#   benchmarks/run.sh icount node     only some parts, then the tables from all results
#
# Parts (each writes benchmarks/results/<part>.json):
#   icount    instruction counts under callgrind (benchmarks/icount.sh)
#   criterion native wall time (cargo bench --bench engine)
#   node      the npm package's two builds against the native build (pkg/bench/bench.mjs)
#   variants  browser module variants (size, speed) against native (benchmarks/wasm-variants.sh);
#             the README's Node and browser rows come from it (not in the default set: it
#             builds seven modules, ≈ 1 hour on 2 cores)
#   editor    the editor's own timings in headless Chromium (scripts/test-www.sh)
#   webhook   the webhook host: per-request breakdown, 1,000 req/s mixed load, hostile bodies
# then `node benchmarks/table.mjs` writes the tables from benchmarks/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
RESULTS=$ROOT/benchmarks/results
mkdir -p "$RESULTS"

# The machine's state, printed with the tables: wall times on a busy machine are upper bounds.
printf '{"loadAverage":"%s","cpus":%s,"date":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" "$(date -u +%FT%TZ)" > "$RESULTS/machine.json"

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(icount criterion node editor webhook)
step() { printf '\n== %s\n' "$*" >&2; }

for part in "${parts[@]}"; do
  case $part in
    icount)
      step "instruction counts (callgrind)"
      benchmarks/icount.sh
      ;;
    criterion)
      step "criterion (cargo bench --bench engine)"
      cargo bench --bench engine -- --noplot >&2
      node benchmarks/table.mjs --collect-criterion "$ROOT/target/criterion" > "$RESULTS/criterion.json"
      ;;
    node)
      step "npm package against native (pkg/bench/bench.mjs)"
      [ -f pkg/dist/node/claimcheck_bg.wasm ] && [ -f pkg/dist/web/claimcheck_bg.wasm ] || scripts/build-wasm.sh
      cargo build --release --manifest-path pkg/bench/native/Cargo.toml --target-dir "$ROOT/target" >&2
      node pkg/bench/bench.mjs --native "$ROOT/target/release/claimcheck-native-bench" --json "$RESULTS/node.json"
      ;;
    variants)
      step "module variants (benchmarks/wasm-variants.sh)"
      benchmarks/wasm-variants.sh
      ;;
    editor)
      step "editor (scripts/test-www.sh)"
      scripts/test-www.sh
      cp www/test-artifacts/timings.json "$RESULTS/editor.json"
      ;;
    webhook)
      step "webhook host: per-request breakdown, 1,000 req/s mixed, hostile bodies"
      [ -f pkg/dist/node/claimcheck_bg.wasm ] || scripts/build-wasm.sh
      node pkg/bench/webhook-breakdown.mjs --json "$RESULTS/webhook-breakdown.json"
      node pkg/bench/webhook-load.mjs --rate 1000 --duration 10 --mode mixed --json "$RESULTS/webhook-mixed.json"
      node pkg/bench/webhook-hostile.mjs --json "$RESULTS/webhook-hostile.json"
      ;;
    *)
      echo "run: unknown part $part (icount criterion node variants editor webhook)" >&2
      exit 2
      ;;
  esac
done

step "tables"
node benchmarks/table.mjs --write
