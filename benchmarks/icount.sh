#!/usr/bin/env bash
# Instruction counts of the engine (benches/icount.rs) under valgrind's callgrind: repeatable
# run to run, unlike wall time on a shared 2-core machine. One valgrind run per workload,
# counting only inside its `icount_<name>` function, after an uncounted warm-up call.
#
#   benchmarks/icount.sh [WORKLOAD ...]      default: every workload (icount --list)
#
# Writes benchmarks/results/icount.json ({ name: { instructions, what } }) and keeps each
# run's callgrind.out in target/icount/ for `callgrind_annotate --inclusive=yes FILE`
# (benchmarks/profile.sh summarises them).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v valgrind >/dev/null || { echo "icount: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

# The bench profile (release: LTO, one codegen unit), as criterion measures it.
bin=$(cargo bench --bench icount --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "icount: could not build benches/icount.rs" >&2; exit 1; }

mapfile -t all < <("$bin" --list | cut -f1)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")

out=target/icount
mkdir -p "$out" benchmarks/results
json="{"
sep=""
for name in "${names[@]}"; do
  file=$out/$name.callgrind.out
  valgrind --tool=callgrind --callgrind-out-file="$file" --collect-atstart=no \
    --toggle-collect="icount_$name" "$bin" "$name" >/dev/null 2>"$out/$name.log" || {
    cat "$out/$name.log" >&2
    exit 1
  }
  ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$file" | head -n 1)
  [ -n "$ir" ] || ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file" | head -n 1)
  what=$("$bin" --list | awk -F'\t' -v n="$name" '$1 == n { print $2 }')
  printf '%-14s %14s instructions  %s\n' "$name" "$ir" "$what" >&2
  json+="$sep\"$name\":{\"instructions\":$ir,\"what\":\"$what\"}"
  sep=","
done
json+="}"
if [ $# -eq 0 ]; then
  printf '%s\n' "$json" | python3 -m json.tool > benchmarks/results/icount.json
  echo "icount: benchmarks/results/icount.json" >&2
else
  printf '%s\n' "$json"
fi
