#!/usr/bin/env bash
# CPU time and peak memory of native CLI builds on the hostile inputs of issue 9
# (tests/support/hostile_inputs.rs, written at 3 MiB and 16 MiB by `cargo bench --bench hostile
# -- --write DIR`), one process per input, `check --no-config --format json`:
#
#   benchmarks/hostile-cli.sh [BIN ...]      default: target/release/claimcheck (built first)
#
# Prints one row per input and binary: bytes, wall s, CPU s (user + system), peak RSS MB.
# Several binaries (e.g. before and after a change) run one after the other on each input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
OUT=${HOSTILE_DIR:-target/hostile-inputs}
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  cargo build --release --quiet --bin claimcheck
  bins=(target/release/claimcheck)
fi
if ! ls "$OUT"/*-3MiB.yaml >/dev/null 2>&1; then
  mkdir -p "$OUT"
  cargo bench --bench hostile -- --write "$OUT" >/dev/null
fi
printf '%-36s %-28s %10s %7s %7s %8s\n' input binary bytes wall cpu "max RSS"
for f in "$OUT"/*.yaml; do
  for bin in "${bins[@]}"; do
    args=(check --no-config --format json)
    old=${f%.yaml}.old
    [ -f "$old" ] && args+=(--old "$old")
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/.time" "$bin" "${args[@]}" "$f" >/dev/null 2>&1 || true
    read -r secs user sys rss < <(tail -n 1 "$OUT/.time")
    printf '%-36s %-28s %10s %7s %7s %5s MB\n' "$(basename "$f")" "$(basename "$(dirname "$bin")")/$(basename "$bin")" \
      "$(stat -c %s "$f")" "$secs" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$((rss / 1024))"
  done
done
