#!/usr/bin/env bash
# Builds of the browser module, compared by size and speed: cargo profiles (opt-level s vs z,
# LTO, codegen units) and wasm-opt passes (binaryen from npm) on each; writes
# benchmarks/results/wasm-variants.json via benchmarks/wasm-variants.mjs.
#
#   benchmarks/wasm-variants.sh [PROFILE[@N] ...]
#       default: wasm-size wasm-size@25 wasm-size@40 wasm-size@60 wasm-size-s wasm-size-s@10 wasm-speed
#       (the shipped builds: wasm-size for browsers, wasm-speed+simd128 for Node)
#
# PROFILE@N adds `-C llvm-args=-inline-threshold=N` (RUSTFLAGS): LLVM's inliner then uses N for
# every caller, where opt-level "z" otherwise allows almost no inlining (threshold 5 for its
# minsize functions) and "s" 50. Suffixes, after the profile (and @N): `+simd128` adds
# `-C target-feature=+simd128` (wasm SIMD: memchr and LLVM's vectoriser use it), `~dlmalloc`
# builds with Rust's default allocator instead of talc (`--cfg claimcheck_dlmalloc`, src/wasm.rs).
# Such a variant builds in its own target dir (target/wasm-variant-VARIANT) because cargo does not
# key artifacts by RUSTFLAGS.
#
# wasm-speed (opt-level 3) is built as the Node module is (default features, with the TOML
# reader) to show its size; the others without default features, as the browser module.
# The native bench (pkg/bench/native, release) runs on the same inputs for the ratios.
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
[ ${#profiles[@]} -gt 0 ] || profiles=(wasm-size wasm-size@25 wasm-size@40 wasm-size@60 wasm-size-s wasm-size-s@10 wasm-speed)
# wasm-opt passes applied to every variant (WASM_OPT_PASSES= for none; each takes 1-10 min).
PASSES=${WASM_OPT_PASSES-""}

# binaryen from npm (Debian's wasm-opt is too old for the features rustc emits).
BINARYEN=$TARGET_DIR/binaryen
if [ ! -x "$BINARYEN/node_modules/binaryen/bin/wasm-opt" ]; then
  mkdir -p "$BINARYEN"
  npm install --prefix "$BINARYEN" --no-audit --no-fund --loglevel=error binaryen@132.0.0
fi
WASM_OPT="node $BINARYEN/node_modules/binaryen/bin/wasm-opt"
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

mkdir -p "$OUT"
for variant in "${profiles[@]}"; do
  echo "== $variant" >&2
  base=$variant
  flags=${RUSTFLAGS:-}
  case $base in *~dlmalloc*) flags="$flags --cfg claimcheck_dlmalloc"; base=${base/\~dlmalloc/} ;; esac
  case $base in *+simd128*) flags="$flags -C target-feature=+simd128"; base=${base/+simd128/} ;; esac
  profile=${base%@*}
  features=--no-default-features
  [ "$profile" = wasm-speed ] && features=
  build_dir=$TARGET_DIR
  if [ "$base" != "$profile" ]; then
    flags="$flags -C llvm-args=-inline-threshold=${base#*@}"
  fi
  [ "$variant" != "$profile" ] && build_dir=$TARGET_DIR/wasm-variant-$variant
  RUSTFLAGS=$flags CARGO_TARGET_DIR=$build_dir \
    cargo build --lib --target wasm32-unknown-unknown --profile "$profile" $features >&2
  dir=$OUT/$variant
  rm -rf "$dir"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name claimcheck --out-dir "$dir" "$build_dir/wasm32-unknown-unknown/$profile/claimcheck.wasm"
  for p in $PASSES; do
    v=$OUT/$variant$p
    rm -rf "$v"
    mkdir -p "$v"
    cp "$dir/claimcheck.js" "$v/"
    start=$(date +%s)
    $WASM_OPT $FEATURES "$p" "$dir/claimcheck_bg.wasm" -o "$v/claimcheck_bg.wasm"
    echo "   wasm-opt $p: $(($(date +%s) - start)) s" >&2
  done
done
NATIVE_DIR=${NATIVE_TARGET_DIR:-$TARGET_DIR}
cargo build --release --manifest-path pkg/bench/native/Cargo.toml --target-dir "$NATIVE_DIR" >&2
node benchmarks/wasm-variants.mjs "$OUT" --native "$NATIVE_DIR/release/claimcheck-native-bench" \
  --browser "${BROWSER_VARIANT:-wasm-size}" --node "${NODE_VARIANT:-wasm-speed+simd128}" > benchmarks/results/wasm-variants.json
cat benchmarks/results/wasm-variants.json
