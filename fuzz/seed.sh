#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: the real manifests of tests/corpus, the manifests
# of the conformance cases (tests/conformance/*.jsonl), the fixtures, and the hand-written
# seeds of fuzz/seeds/. The corpus directories are not committed (libFuzzer adds to them).
set -euo pipefail
cd "$(dirname "$0")"
for t in lint fix_roundtrip review quantity reader; do mkdir -p "corpus/$t"; done
for f in ../tests/corpus/*.yaml ../tests/corpus/*.json ../tests/fixtures/*/*.yaml; do
  [ -f "$f" ] || continue
  n=$(basename "$(dirname "$f")")__$(basename "$f")
  cp "$f" "corpus/lint/$n"
  cp "$f" "corpus/fix_roundtrip/$n"
  cp "$f" "corpus/reader/$n"
done
python3 - <<'PY'
import json, glob, hashlib, os
for path in glob.glob('../tests/conformance/*.jsonl'):
    for line in open(path):
        try:
            case = json.loads(line)
        except ValueError:
            continue
        for field in ('yaml', 'oldYaml'):
            text = case.get(field)
            if isinstance(text, str):
                name = hashlib.sha1(text.encode()).hexdigest()[:16]
                for t in ('lint', 'fix_roundtrip', 'reader'):
                    with open(f'corpus/{t}/conf-{name}', 'w') as f:
                        f.write(text)
PY
cp seeds/review/* corpus/review/
cp seeds/quantity/* corpus/quantity/
echo "seeds: $(ls corpus/reader | wc -l) reader, $(ls corpus/lint | wc -l) lint, $(ls corpus/fix_roundtrip | wc -l) fix_roundtrip, $(ls corpus/review | wc -l) review, $(ls corpus/quantity | wc -l) quantity"
