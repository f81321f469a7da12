#!/usr/bin/env bash
# Builds the npm package in pkg/ from the crate: installs what is missing (the wasm32 target,
# the wasm-bindgen CLI at the version in Cargo.lock, the package's npm dev dependencies),
# compiles the two WebAssembly modules and generates their bindings:
#   pkg/dist/web/   size-optimised module (profile wasm-size, opt-level "z"; LLVM's inline
#                   threshold WEB_INLINE_THRESHOLD when set) for browsers and bundlers
#   pkg/dist/node/  speed-optimised module (profile wasm-speed, wasm SIMD) for Node and other hosts
# Both use the talc allocator (src/wasm.rs).
# Both use wasm-bindgen's `--target web` bindings: ES modules that load the module from bytes,
# a URL or a Response, so one wrapper serves browsers, Node (ESM and CommonJS) and any host.
#
# Environment: CARGO_TARGET_DIR (default ./target); CLAIMCHECK_WASM_FLAVOURS="web node" to
# build only some of the modules.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
FLAVOURS=${CLAIMCHECK_WASM_FLAVOURS:-web node}
# The browser module's inline threshold (empty: opt-level "z"'s own), chosen by
# benchmarks/wasm-variants.sh's figures: after the fast reader and the engine work of session 4
# every raised threshold is over the 400 KB gzip budget (10: 402.7 KB, 15: 404.0 KB, 25:
# 408.8 KB), plain "z" is 396.7 KB (benchmarks/README.md, "Session 4: the budget").
WEB_INLINE_THRESHOLD=${WEB_INLINE_THRESHOLD:-}

step() { printf '\n== %s\n' "$*" >&2; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# The CLI must match the wasm-bindgen crate exactly (its version is pinned in Cargo.toml).
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  echo "build-wasm: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  # Without --locked: the CLI's own lockfile names a crate the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
wasm-bindgen --version >&2

step "npm dependencies (pkg/)"
(
  cd pkg
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
)

for flavour in $FLAVOURS; do
  case $flavour in
    # browsers read no claimcheck.toml: the web module leaves the TOML reader out
    # opt-level "z"; WEB_INLINE_THRESHOLD=N lets LLVM's inliner back in for every function,
    # where "z" alone inlines almost nothing (benchmarks/README.md, "The browser build").
    # The talc allocator, as the Node module: 2.8 KB gzip smaller than Rust's default dlmalloc,
    # which keeps the module under the 400 KB budget, though 3-6% slower at "z"
    # (`--cfg claimcheck_dlmalloc` here would switch back; benchmarks/README.md, "The wasm lane").
    web) profile=wasm-size; features=--no-default-features
      rustflags=${WEB_INLINE_THRESHOLD:+"-C llvm-args=-inline-threshold=$WEB_INLINE_THRESHOLD"} ;;
    # wasm SIMD (every Node since 16.4, Deno, Bun, wasmtime): the fast reader's ASCII scans and
    # memchr use it, 5-7% less time per call (benchmarks/README.md, "The wasm lane"). Browsers
    # get no SIMD: it did not pay there, and a module with it fails on engines without it.
    node) profile=wasm-speed; features=; rustflags="-C target-feature=+simd128" ;;
    *) echo "build-wasm: unknown flavour $flavour (web, node)" >&2; exit 1 ;;
  esac
  step "module for $flavour (cargo profile $profile)"
  RUSTFLAGS="${RUSTFLAGS:-} $rustflags" cargo build --lib --target wasm32-unknown-unknown --profile "$profile" $features
  out=pkg/dist/$flavour
  rm -rf "$out"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name claimcheck --out-dir "$out" \
    "$TARGET_DIR/wasm32-unknown-unknown/$profile/claimcheck.wasm"
done

# `--help` and `--version` of the Node CLI, answered without loading the module.
node pkg/tools/usage.mjs

# The CommonJS entry gets the same declarations under the name TypeScript looks for.
cp pkg/index.d.ts pkg/index.d.cts
step "done"
ls -l pkg/dist/*/claimcheck_bg.wasm >&2
