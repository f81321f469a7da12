#!/usr/bin/env bash
# Builds the krew archive of the kubectl plugin for this machine's platform and writes the
# manifest for it: OUTDIR/kubectl-claimcheck_<os>_<arch>.tar.gz and OUTDIR/claimcheck.yaml
# (plugins/claimcheck.yaml with this version and the archive's sha256).
#   scripts/krew-package.sh [OUTDIR]          (default: target/krew)
# With --write, plugins/claimcheck.yaml itself is updated (for a release).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
write=0
if [ "${1:-}" = "--write" ]; then write=1; shift; fi
out="${1:-target/krew}"
mkdir -p "$out"
version="v$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
cargo build --release --bin kubectl-claimcheck >&2
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$target_dir/release/kubectl-claimcheck" "$stage/"
if [ -f LICENSE ]; then
  cp LICENSE "$stage/LICENSE"
else
  printf 'claimcheck is licensed under the Apache License, Version 2.0 (SPDX-License-Identifier: Apache-2.0).\nThe license text: https://www.apache.org/licenses/LICENSE-2.0\n' >"$stage/LICENSE"
fi
archive="$out/kubectl-claimcheck_${os}_${arch}.tar.gz"
tar -czf "$archive" -C "$stage" kubectl-claimcheck LICENSE
sum=$(sha256sum "$archive" | cut -d' ' -f1)
python3 - "$version" "$os" "$arch" "$sum" plugins/claimcheck.yaml "$out/claimcheck.yaml" <<'PY'
import re, sys
version, os_, arch, digest, src, dst = sys.argv[1:]
text = open(src).read()
text = re.sub(r'(?m)^(  version: ).*$', r'\g<1>' + version, text)
text = re.sub(r'releases/download/v[^/]+/', 'releases/download/' + version + '/', text)
# the sha256 of this platform's entry: the first sha256 after its archive name
name = f'kubectl-claimcheck_{os_}_{arch}.tar.gz'
at = text.find(name)
if at < 0:
    sys.exit(f'plugins/claimcheck.yaml has no entry for {name}')
m = re.compile(r'sha256: [0-9a-f]{64}').search(text, at)
text = text[:m.start()] + 'sha256: ' + digest + text[m.end():]
open(dst, 'w').write(text)
PY
if [ "$write" = 1 ]; then cp "$out/claimcheck.yaml" plugins/claimcheck.yaml; fi
echo "$archive $sum"
