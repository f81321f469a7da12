#!/usr/bin/env bash
# Records the native CLI's output on every corpus file, conformance case and rule fixture, so a
# refactor can be checked byte for byte against the code before it:
#   scripts/golden.sh OUTDIR [BIN]      (BIN defaults to target/debug/claimcheck, built first)
#   diff -r OUTDIR_BEFORE OUTDIR_AFTER
# For each input: `check --format json`, `fix --stdout --unsafe-fixes`, and for conformance
# cases with a previous version `check --format json --old`. Conformance cases run at the
# version of their verdicts (1.32) and at the default one. Outputs go to OUTDIR (keep it
# outside the repository); exit codes are recorded next to them.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/golden.sh OUTDIR [BIN]}
BIN=${2:-}
[ -n "$BIN" ] && BIN=$(realpath "$BIN")
if [ -z "$BIN" ]; then
  cargo build --quiet --bin claimcheck || exit 2
  BIN=$PWD/${CARGO_TARGET_DIR:-target}/debug/claimcheck
fi
rm -rf "$OUT"
mkdir -p "$OUT/in"
# Inputs: corpus files, fixtures, conformance cases (new and old texts) as files.
python3 - "$OUT/in" <<'PY'
import json, os, shutil, sys
out = sys.argv[1]
for f in sorted(os.listdir("tests/corpus")):
    if f.endswith((".yaml", ".yml", ".json")):
        shutil.copy(os.path.join("tests/corpus", f), os.path.join(out, "corpus__" + f))
for code in sorted(os.listdir("tests/fixtures")):
    d = os.path.join("tests/fixtures", code)
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            shutil.copy(os.path.join(d, f), os.path.join(out, f"fixture__{code}__{f}"))
for name in ("cases", "defaulted"):
    with open(f"tests/conformance/{name}.jsonl") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            c = json.loads(line)
            base = f"conf__{name}__{n:04d}"
            with open(os.path.join(out, base + ".yaml"), "w") as w:
                w.write(c.get("yaml") or "")
            if c.get("oldYaml") is not None:
                with open(os.path.join(out, base + ".old"), "w") as w:
                    w.write(c["oldYaml"])
PY
run() { # name, args...
  local name=$1; shift
  (cd "$OUT/in" && "$BIN" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.rc")
}
"$BIN" rules --format json >"$OUT/rules.json"
"$BIN" rules --format markdown >"$OUT/rules.md"
one() {
  local f=$1
  run "$f.check" check --no-config --format json "$f"
  run "$f.fix" fix --no-config --stdout --unsafe-fixes "$f"
  case $f in
    conf__*)
      run "$f.check132" check --no-config --format json --kubernetes-version 1.32 "$f"
      run "$f.fix132" fix --no-config --stdout --unsafe-fixes --kubernetes-version 1.32 "$f"
      old=${f%.yaml}.old
      if [ -f "$OUT/in/$old" ]; then
        run "$f.update" check --no-config --format json --kubernetes-version 1.32 --old "$old" "$f"
      fi
      ;;
  esac
}
# two workers: every input's outputs are independent files
inputs=$(cd "$OUT/in" && ls | grep -v '\.old$')
n=0
for f in $inputs; do
  if [ $((n % 2)) -eq 0 ]; then one "$f"; fi
  n=$((n + 1))
done &
n=0
for f in $inputs; do
  if [ $((n % 2)) -eq 1 ]; then one "$f"; fi
  n=$((n + 1))
done
wait
echo "golden: $(ls "$OUT" | wc -l) files in $OUT"
