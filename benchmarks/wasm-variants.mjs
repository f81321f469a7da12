// Size (gzip -9) and speed of every module variant in a directory built by
// benchmarks/wasm-variants.sh, against the native build in the same run:
//   node benchmarks/wasm-variants.mjs DIR [--native PATH-TO-NATIVE-BENCH] [--browser VARIANT] [--node VARIANT]
// prints JSON; --browser and --node name the variants the package ships (for the tables).
// Inputs: the seed example, a 2,000-line stream (the corpus stream cut at the first document
// boundary past 2,000 lines), the whole 105-file corpus stream (6,490 lines), and a pass over
// the corpus files one call each. Per call: the minimum and the median wall time over the
// rounds (after a warm-up past the engine's tier-up), and the CPU time per call (process
// CPU over the rounds, so time spent preempted by other processes is not counted). On a
// shared machine the minimum is the figure least disturbed by other load; the ratios to native
// use minima on both sides (pkg/bench/native reports per-file minima).
// Each variant is measured in a fresh process (`--one DIR/VARIANT`), one after the other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sum = (v) => v.reduce((a, b) => a + b, 0);

// The inputs, as benches/support/corpus.rs builds the corpus stream.
function inputs() {
  const seed = readFileSync(join(ROOT, 'examples/seed.yaml'), 'utf8');
  const corpusDir = join(ROOT, 'tests/corpus');
  const corpus = readdirSync(corpusDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => readFileSync(join(corpusDir, n), 'utf8'));
  const docs = corpus.map((t) => `---\n${t}${t.endsWith('\n') ? '' : '\n'}`);
  const stream = docs.join('');
  let large = '';
  for (const d of docs) {
    if (large.split('\n').length - 1 >= 2000) break;
    large += d;
  }
  return { seed, large, stream, corpus };
}

// Per call over `texts`: minima and medians summed over the texts, CPU time per pass.
function measure(texts, rounds, call) {
  const warm = performance.now();
  for (let p = 0; p < 3 || performance.now() - warm < 500; p++) for (const t of texts) call(t);
  const per = texts.map(() => []);
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    texts.forEach((t, i) => {
      const s = performance.now();
      call(t);
      per[i].push(performance.now() - s);
    });
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    minMs: sum(per.map((v) => Math.min(...v))),
    medianMs: sum(per.map(median)),
    cpuMs: (cpu.user + cpu.system) / 1000 / rounds,
  };
}

if (process.argv[2] === '--one') {
  const dir = process.argv[3];
  const g = await import(pathToFileURL(join(dir, 'claimcheck.js')).href);
  const bytes = readFileSync(join(dir, 'claimcheck_bg.wasm'));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const compileMs = performance.now() - t0;
  await g.default({ module_or_path: module });
  const { seed, large, stream, corpus } = inputs();
  const t1 = performance.now();
  g.lint(seed, undefined);
  const firstLintMs = performance.now() - t1;
  const lint = (t) => g.lint(t, undefined);
  const fix = (t) => g.fix(t, undefined);
  const out = {
    compileMs,
    firstLintMs,
    seedLint: measure([seed], 300, lint),
    seedFix: measure([seed], 200, fix),
    largeLint: measure([large], 20, lint),
    streamLint: measure([stream], 10, lint),
    corpusLint: measure(corpus, 10, lint),
    corpusFix: measure(corpus, 10, fix),
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const dir = process.argv[2];
const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const nativeAt = process.argv.indexOf('--native');
let native = null;
if (nativeAt > 0) {
  // The native bench over the same texts: seed, 2,000 lines, stream (one run), the corpus files.
  const bin = process.argv[nativeAt + 1];
  const { seed, large, stream, corpus } = inputs();
  const tmp = mkdtempSync(join(tmpdir(), 'cc-variants-'));
  const files = { seed, large, stream };
  for (const [n, t] of Object.entries(files)) writeFileSync(join(tmp, `${n}.yaml`), t);
  const once = (rounds, paths) => JSON.parse(execFileSync(bin, [String(rounds), ...paths], { encoding: 'utf8' }));
  // As the variants: several runs, the least-disturbed figure of each.
  const run = (rounds, paths) => {
    const list = Array.from({ length: Number(process.env.REPEAT ?? 3) }, () => once(rounds, paths));
    const merged = {};
    for (const op of ['lint', 'fix']) {
      const per = (k) => list[0][op][k].map((_, i) => Math.min(...list.map((o) => o[op][k][i])));
      const medians = per('perFileMedianMs');
      merged[op] = { perFileMinMs: per('perFileMinMs'), perFileMedianMs: medians, sumOfMediansMs: sum(medians) };
    }
    return merged;
  };
  // One file per process, as the variants measure each input on its own (interleaving the seed
  // with the 6,599-line stream made the native seed figure 1.7x slower: cold caches, a grown heap).
  const one = (n) => run(20, [join(tmp, `${n}.yaml`)]);
  const [s, l, st] = ['seed', 'large', 'stream'].map(one);
  const cat = (op, k) => [s, l, st].map((r) => r[op][k][0]);
  const named = Object.fromEntries(
    ['lint', 'fix'].map((op) => [op, { perFileMinMs: cat(op, 'perFileMinMs'), perFileMedianMs: cat(op, 'perFileMedianMs') }]),
  );
  const corpusDir = join(ROOT, 'tests/corpus');
  const corpusRun = run(
    10,
    readdirSync(corpusDir)
      .filter((n) => n.endsWith('.yaml'))
      .sort()
      .map((n) => join(corpusDir, n)),
  );
  rmSync(tmp, { recursive: true, force: true });
  const pick = (r, op, i) => ({ minMs: r[op].perFileMinMs[i], medianMs: r[op].perFileMedianMs[i] });
  native = {
    seedLint: pick(named, 'lint', 0),
    seedFix: pick(named, 'fix', 0),
    largeLint: pick(named, 'lint', 1),
    streamLint: pick(named, 'lint', 2),
    corpusLint: { minMs: sum(corpusRun.lint.perFileMinMs), medianMs: corpusRun.lint.sumOfMediansMs },
    corpusFix: { minMs: sum(corpusRun.fix.perFileMinMs), medianMs: corpusRun.fix.sumOfMediansMs },
    lines: {
      large: large.split('\n').length - 1,
      stream: stream.split('\n').length - 1,
    },
  };
  console.error(
    `native: lint seed ${native.seedLint.minMs.toFixed(3)} ms, ${native.lines.large} lines ${native.largeLint.minMs.toFixed(2)} ms, stream ${native.streamLint.minMs.toFixed(2)} ms`,
  );
}

// Each variant runs REPEAT times (fresh processes, interleaved across variants), keeping the
// least-disturbed figure of each. V8 runs with --no-liftoff: every function is compiled by the
// optimising tier up front, so a measurement never catches baseline code still waiting for its
// tier-up (which, on a busy machine, made single runs differ by 2-3x).
const REPEAT = Number(process.env.REPEAT ?? 3);
const names = readdirSync(dir)
  .sort()
  .filter((name) => {
    try {
      readFileSync(join(dir, name, 'claimcheck_bg.wasm'));
      return true;
    } catch {
      return false;
    }
  });
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < REPEAT; r++) {
  for (const name of names) {
    runs[name].push(
      JSON.parse(
        execFileSync(process.execPath, ['--no-liftoff', fileURLToPath(import.meta.url), '--one', join(dir, name)], {
          encoding: 'utf8',
        }),
      ),
    );
  }
}
const best = (list) => {
  const out = { ...list[0] };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'number') out[k] = Math.min(...list.map((o) => o[k]));
    else out[k] = Object.fromEntries(Object.keys(v).map((f) => [f, Math.min(...list.map((o) => o[k][f]))]));
  }
  return out;
};
const results = {};
for (const name of names) {
  const bytes = readFileSync(join(dir, name, 'claimcheck_bg.wasm'));
  const speed = best(runs[name]);
  results[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, ...speed };
  const ratio = (k) => (native ? ` (${(speed[k].minMs / native[k].minMs).toFixed(2)}×)` : '');
  console.error(
    `${name.padEnd(24)} gzip ${(results[name].gzip / 1024).toFixed(1)} KiB  lint seed ${speed.seedLint.minMs.toFixed(3)} ms${ratio('seedLint')}  2,000 lines ${speed.largeLint.minMs.toFixed(2)} ms${ratio('largeLint')}  stream ${speed.streamLint.minMs.toFixed(2)} ms${ratio('streamLint')}  fix corpus ${speed.corpusFix.minMs.toFixed(2)} ms${ratio('corpusFix')}`,
  );
}
const loadAtEnd = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const machine = { cpus: (await import('node:os')).cpus().length, loadAtStart, loadAtEnd };
const opt = (name) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
console.log(
  JSON.stringify(
    { node: process.version, date: new Date().toISOString(), machine, browser: opt('--browser'), nodeBuild: opt('--node'), native, variants: results },
    null,
    2,
  ),
);
