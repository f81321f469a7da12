// Benchmark of the npm package in Node (not a test: it prints figures, it asserts nothing).
//   node pkg/bench/bench.mjs [--rounds N] [--native PATH-TO-NATIVE-BENCH] [--json FILE]
// Measures, for the speed build (dist/node, what Node loads) and the size build (dist/web,
// what browsers load):
//   - module compile + instantiate time, and the first lint() after init(), in fresh processes;
//   - lint() and fix() per call: the median per file and calls/s over whole passes,
//     over examples/seed.yaml and tests/corpus/*.yaml;
// and, given the native bench binary (pkg/bench/native), the same calls natively, as ratios.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PKG = fileURLToPath(new URL('../', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLAVOURS = {
  node: { label: 'speed build (dist/node)', entry: 'node.js', wasm: 'dist/node/claimcheck_bg.wasm' },
  web: { label: 'size build (dist/web)', entry: 'index.js', wasm: 'dist/web/claimcheck_bg.wasm' },
};

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

async function load(flavour) {
  const f = FLAVOURS[flavour];
  const api = await import(pathToFileURL(join(PKG, f.entry)).href);
  return { api, bytes: readFileSync(join(PKG, f.wasm)) };
}

// ---- child mode: one cold start, measured from a fresh process ----
if (process.argv[2] === '--cold') {
  const flavour = process.argv[3];
  const seed = readFileSync(join(ROOT, 'examples/seed.yaml'), 'utf8');
  const { api, bytes } = await load(flavour);
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  await api.init(module);
  const t2 = performance.now();
  api.lint(seed);
  const t3 = performance.now();
  api.fix(seed);
  const t4 = performance.now();
  api.lint(seed);
  const t5 = performance.now();
  process.stdout.write(
    JSON.stringify({
      compileMs: t1 - t0,
      instantiateMs: t2 - t1,
      firstLintMs: t3 - t2,
      firstFixMs: t4 - t3,
      secondLintMs: t5 - t4,
    }),
  );
  process.exit(0);
}

function cold(flavour, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--cold', flavour], {
      encoding: 'utf8',
    });
    samples.push(JSON.parse(out));
  }
  const keys = Object.keys(samples[0]);
  return Object.fromEntries(keys.map((k) => [k, median(samples.map((s) => s[k]))]));
}

function measure(files, rounds, call) {
  const perFile = files.map(() => []);
  // Warm up past the engine's tier-up to optimised code: at least 3 passes and 500 ms.
  const warmStart = performance.now();
  for (let pass = 0; pass < 3 || performance.now() - warmStart < 500; pass++) {
    for (const f of files) call(f.text);
  }
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    files.forEach((f, i) => {
      const t = performance.now();
      call(f.text);
      perFile[i].push(performance.now() - t);
    });
  }
  const total = performance.now() - start;
  const medians = perFile.map(median);
  return {
    perFileMedianMs: medians,
    medianOfMediansMs: median(medians),
    sumOfMediansMs: medians.reduce((a, b) => a + b, 0),
    callsPerSecond: (rounds * files.length) / (total / 1000),
  };
}

const rounds = Number(arg('--rounds', '20'));
const coldRuns = Number(arg('--cold-runs', '7'));
const nativeBench = arg('--native', null);
const corpusDir = join(ROOT, 'tests/corpus');
const corpus = readdirSync(corpusDir)
  .filter((n) => /\.ya?ml$/.test(n))
  .sort()
  .map((n) => ({ path: `tests/corpus/${n}`, text: readFileSync(join(corpusDir, n), 'utf8') }));
const seedFile = { path: 'examples/seed.yaml', text: readFileSync(join(ROOT, 'examples/seed.yaml'), 'utf8') };
const sets = { seed: [seedFile], corpus };

const results = { node: process.version, rounds, builds: {} };
for (const flavour of Object.keys(FLAVOURS)) {
  const { api } = await load(flavour);
  await api.init(readFileSync(join(PKG, FLAVOURS[flavour].wasm)));
  const r = { cold: cold(flavour, coldRuns) };
  for (const [name, files] of Object.entries(sets)) {
    const n = name === 'seed' ? rounds * 10 : rounds;
    r[name] = {
      lint: measure(files, n, (t) => api.lint(t)),
      fix: measure(files, n, (t) => api.fix(t)),
    };
  }
  results.builds[flavour] = r;
}

if (nativeBench) {
  results.native = {};
  for (const [name, files] of Object.entries(sets)) {
    const n = name === 'seed' ? rounds * 10 : rounds;
    const out = execFileSync(nativeBench, [String(n), ...files.map((f) => join(ROOT, f.path))], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    results.native[name] = JSON.parse(out);
  }
}

// ---- report ----
const ms = (x) => (x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(2)} ms`);
const line = (...cells) => console.log(cells.join('  '));
console.log(`claimcheck wasm benchmark — Node ${process.version}, ${corpus.length} corpus files, ${rounds} rounds`);
for (const [flavour, r] of Object.entries(results.builds)) {
  console.log(`\n${FLAVOURS[flavour].label}`);
  line(
    '  cold start (median of fresh processes):',
    `compile ${ms(r.cold.compileMs)}, instantiate ${ms(r.cold.instantiateMs)},`,
    `first lint ${ms(r.cold.firstLintMs)}, first fix ${ms(r.cold.firstFixMs)}, second lint ${ms(r.cold.secondLintMs)}`,
  );
  for (const set of Object.keys(sets)) {
    for (const op of ['lint', 'fix']) {
      const w = r[set][op];
      let ratio = '';
      if (results.native) {
        const n = results.native[set][op];
        ratio = `  native ${ms(n.sumOfMediansMs)} per pass, ${n.callsPerSecond.toFixed(0)} calls/s  → wasm/native ${(w.sumOfMediansMs / n.sumOfMediansMs).toFixed(2)}×`;
      }
      line(
        `  ${op.padEnd(4)} ${set.padEnd(6)}`,
        `median/file ${ms(w.medianOfMediansMs)}, per pass ${ms(w.sumOfMediansMs)}, ${w.callsPerSecond.toFixed(0)} calls/s${ratio}`,
      );
    }
  }
}
const out = arg('--json', null);
if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
