#!/usr/bin/env bash
# The main job: lint the bundled example and print the findings and the corrected manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
echo "== findings: claimcheck check examples/seed.yaml"
target/release/claimcheck check --no-color examples/seed.yaml || true
echo
echo "== corrected manifest: claimcheck fix --stdout examples/seed.yaml"
target/release/claimcheck fix --stdout examples/seed.yaml
