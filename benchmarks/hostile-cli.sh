#!/usr/bin/env bash
# CPU time and peak memory of the native CLI on the hostile inputs of issue 9 (a benchmark, not
# a test), for comparing two builds input by input:
#
#   cargo bench --bench hostile -- --write DIR      # the inputs (tests/support/hostile_inputs.rs)
#   benchmarks/hostile-cli.sh [BIN] [DIR] > FILE.tsv
#
# BIN defaults to target/release/claimcheck, DIR to target/hostile-inputs. One run per input
# (`check --format json`, with `--old` for the update inputs); columns: input, bytes, exit
# code, CPU seconds (user + system), peak RSS in MB.
set -uo pipefail
BIN=${1:-target/release/claimcheck}
DIR=${2:-target/hostile-inputs}
printf 'input\tbytes\trc\tcpu_s\trss_mb\n'
for f in "$DIR"/*.yaml; do
  old=${f%.yaml}.old
  args=(check --no-config --format json)
  [ -f "$old" ] && args+=(--old "$old")
  /usr/bin/time -f "%x %U %S %M" -o "$DIR/.time" "$BIN" "${args[@]}" "$f" >/dev/null 2>&1
  read -r rc user sys rss < <(tail -n 1 "$DIR/.time")
  printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$f" .yaml)" "$(stat -c %s "$f")" "$rc" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$((rss / 1024))"
done
