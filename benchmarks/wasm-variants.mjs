// Size (gzip -9) and speed (lint and fix per call, medians over the seed and the corpus files,
// after a warm-up past the engine's tier-up) of every module variant in a directory built by
// benchmarks/wasm-variants.sh: `node benchmarks/wasm-variants.mjs DIR` prints JSON.
// Each variant is measured in a fresh process (`--one DIR/VARIANT`), one after the other.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (process.argv[2] === '--one') {
  const dir = process.argv[3];
  const g = await import(pathToFileURL(join(dir, 'claimcheck.js')).href);
  const bytes = readFileSync(join(dir, 'claimcheck_bg.wasm'));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const compileMs = performance.now() - t0;
  await g.default({ module_or_path: module });
  const seed = readFileSync(join(ROOT, 'examples/seed.yaml'), 'utf8');
  const corpusDir = join(ROOT, 'tests/corpus');
  const corpus = readdirSync(corpusDir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => readFileSync(join(corpusDir, n), 'utf8'));
  const t1 = performance.now();
  g.lint(seed, undefined);
  const firstLintMs = performance.now() - t1;
  const measure = (texts, rounds, call) => {
    const warm = performance.now();
    for (let p = 0; p < 3 || performance.now() - warm < 500; p++) for (const t of texts) call(t);
    const per = texts.map(() => []);
    for (let r = 0; r < rounds; r++) {
      texts.forEach((t, i) => {
        const s = performance.now();
        call(t);
        per[i].push(performance.now() - s);
      });
    }
    return per.map(median).reduce((a, b) => a + b, 0);
  };
  const out = {
    compileMs,
    firstLintMs,
    seedLintMs: measure([seed], 200, (t) => g.lint(t, undefined)),
    seedFixMs: measure([seed], 200, (t) => g.fix(t, undefined)),
    corpusLintMs: measure(corpus, 15, (t) => g.lint(t, undefined)),
    corpusFixMs: measure(corpus, 15, (t) => g.fix(t, undefined)),
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const dir = process.argv[2];
const results = {};
for (const name of readdirSync(dir).sort()) {
  const wasm = join(dir, name, 'claimcheck_bg.wasm');
  let bytes;
  try {
    bytes = readFileSync(wasm);
  } catch {
    continue;
  }
  const speed = JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', join(dir, name)], { encoding: 'utf8' }),
  );
  results[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, ...speed };
  console.error(
    `${name.padEnd(24)} gzip ${(results[name].gzip / 1024).toFixed(1)} KiB  lint seed ${speed.seedLintMs.toFixed(3)} ms  corpus ${speed.corpusLintMs.toFixed(2)} ms  fix corpus ${speed.corpusFixMs.toFixed(2)} ms`,
  );
}
console.log(JSON.stringify({ node: process.version, variants: results }, null, 2));
