#!/usr/bin/env bash
# Tests of the Pulumi policy pack (integrations/pulumi) and the cdk8s validation plugin
# (integrations/cdk8s) with the real host tools, offline once installed:
#   - Pulumi: the seed and its fix as Python programs (pulumi + pulumi-kubernetes from PyPI, in
#     a venv made here) and as JavaScript programs (@pulumi/pulumi + @pulumi/kubernetes), run
#     under Pulumi's mocks; their resources go to the pack through the Analyzer gRPC protocol.
#   - cdk8s: `cdk8s synth` (cdk8s-cli from npm) on a small cdk8s-plus-33 app with the plugin.
# Needs the npm package built first (scripts/build-wasm.sh; pkg/dist/node is enough).
# Prints "integrations: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ ! -f pkg/dist/node/claimcheck_bg.wasm ]; then
  echo "test-pulumi-cdk8s: build the npm package first (scripts/build-wasm.sh)" >&2
  exit 1
fi

npm_ci() {
  # lockfiles are committed; npm does not run install scripts here (@pulumi/kubernetes' would
  # download the provider binary, which the tests do not need)
  (cd "$1" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
}

start=$(date +%s)
echo "== install (npm, PyPI; in parallel, they mostly wait for the network)"
if [ ! -x integrations/pulumi/.venv/bin/python ]; then
  python3 -m venv integrations/pulumi/.venv
fi
pids=()
npm_ci integrations/pulumi & pids+=($!)
(npm_ci integrations/cdk8s && npm_ci integrations/cdk8s/test/app) & pids+=($!)
integrations/pulumi/.venv/bin/pip install --quiet --disable-pip-version-check \
  -r integrations/pulumi/test/requirements.txt & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
installed=$(date +%s)
echo "install: $((installed - start)) s"

echo "== type check (the pack against @pulumi/policy's and claimcheck's declarations)"
if [ -x pkg/node_modules/.bin/tsc ]; then  # installed by scripts/build-wasm.sh
  pkg/node_modules/.bin/tsc -p integrations/pulumi/typecheck.json
fi

echo "== tests"
status=0
node --test --test-reporter=tap integrations/pulumi/test/pack.test.mjs integrations/cdk8s/test/synth.test.mjs \
  > /tmp/claimcheck-integrations.log 2>&1 || status=$?
cat /tmp/claimcheck-integrations.log
pass=$(grep -E "^# pass [0-9]+" /tmp/claimcheck-integrations.log | awk '{s+=$3} END {print s+0}')
fail=$(grep -E "^# fail [0-9]+" /tmp/claimcheck-integrations.log | awk '{s+=$3} END {print s+0}')
echo "tests: $(($(date +%s) - installed)) s"
echo "integrations: ${pass} passed, ${fail} failed"
exit "$status"
