#!/usr/bin/env bash
# Regenerates the hostile-input figures of the README (a benchmark, not a test):
#   1. the engine in-process (cargo bench --bench hostile): lint and fix times at 3 MiB and
#      16 MiB for each hostile input of tests/support/hostile_inputs.rs;
#   2. the native CLI on the same inputs written to files: wall time and peak memory;
#   3. the Node package's lint() on the 3 MiB inputs, when pkg/dist/node has been built
#      (scripts/build-wasm.sh).
# Goals: under 100 ms natively and 250 ms in Node at 3 MiB; under 2 s and 1 GB at 16 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
OUT=${HOSTILE_DIR:-target/hostile-inputs}

echo "== engine (cargo bench --bench hostile)"
cargo bench --bench hostile

echo "== native CLI (release): wall time and peak memory"
cargo build --release --quiet
cargo bench --bench hostile -- --write "$OUT" >/dev/null
printf '%-34s %10s %8s %10s\n' input bytes seconds "max RSS"
for f in "$OUT"/*.yaml; do
  /usr/bin/time -f "%e %M" -o "$OUT/.time" target/release/claimcheck check --no-config --format json "$f" >/dev/null 2>&1 || true
  read -r secs rss <"$OUT/.time"
  printf '%-34s %10s %8s %8s MB\n' "$(basename "$f")" "$(stat -c %s "$f")" "$secs" "$((rss / 1024))"
done

if [ -f pkg/dist/node/claimcheck_bg.wasm ]; then
  echo "== Node package: lint() on the 3 MiB inputs (best of 3, after one warm-up call)"
  node --input-type=module - "$OUT" <<'JS'
import { readdirSync, readFileSync } from 'node:fs';
import * as cc from './pkg/node.js';
await cc.init();
const dir = process.argv[2];
cc.lint('a: 1\n');
for (const f of readdirSync(dir).filter((f) => f.endsWith('-3MiB.yaml')).sort()) {
  const text = readFileSync(`${dir}/${f}`, 'utf8');
  let best = Infinity;
  let n = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = cc.lint(text);
    best = Math.min(best, performance.now() - t);
    n = r.diagnostics.length;
  }
  console.log(`${f.padEnd(34)} ${String(text.length).padStart(10)} ${String(n).padStart(8)} ${best.toFixed(1).padStart(8)} ms`);
}
JS
else
  echo "== Node package: skipped (build it with scripts/build-wasm.sh)"
fi
