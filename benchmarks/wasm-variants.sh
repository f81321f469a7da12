#!/usr/bin/env bash
# Builds of the browser module, compared by size and speed: cargo profiles (opt-level s vs z,
# LTO, codegen units) and wasm-opt passes (binaryen from npm) on each; writes
# benchmarks/results/wasm-variants.json via benchmarks/wasm-variants.mjs.
#
#   benchmarks/wasm-variants.sh [PROFILE ...]     default: wasm-size wasm-size-s
#
# Each profile is built as the browser module is (no default features), bound by
# wasm-bindgen, then run through each wasm-opt setting in WASM_OPT_PASSES. The variants go to
# target/wasm-variants/<profile>[<passes>]/ (module + its bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET_DIR/wasm-variants
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(wasm-size wasm-size-s)
PASSES=${WASM_OPT_PASSES:-"-Oz -Os -O2 -O3"}

# binaryen from npm (Debian's wasm-opt is too old for the features rustc emits).
BINARYEN=$TARGET_DIR/binaryen
if [ ! -x "$BINARYEN/node_modules/binaryen/bin/wasm-opt" ]; then
  mkdir -p "$BINARYEN"
  npm install --prefix "$BINARYEN" --no-audit --no-fund --loglevel=error binaryen@132.0.0
fi
WASM_OPT="node $BINARYEN/node_modules/binaryen/bin/wasm-opt"
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

mkdir -p "$OUT"
for profile in "${profiles[@]}"; do
  echo "== $profile" >&2
  cargo build --lib --target wasm32-unknown-unknown --profile "$profile" --no-default-features >&2
  dir=$OUT/$profile
  rm -rf "$dir"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name claimcheck --out-dir "$dir" "$TARGET_DIR/wasm32-unknown-unknown/$profile/claimcheck.wasm"
  for p in $PASSES; do
    v=$OUT/$profile$p
    rm -rf "$v"
    mkdir -p "$v"
    cp "$dir/claimcheck.js" "$v/"
    start=$(date +%s)
    $WASM_OPT $FEATURES "$p" "$dir/claimcheck_bg.wasm" -o "$v/claimcheck_bg.wasm"
    echo "   wasm-opt $p: $(($(date +%s) - start)) s" >&2
  done
done
node benchmarks/wasm-variants.mjs "$OUT" > benchmarks/results/wasm-variants.json
cat benchmarks/results/wasm-variants.json
