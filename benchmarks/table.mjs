// Writes the figures tables from benchmarks/results/*.json (benchmarks/run.sh measures them):
//   node benchmarks/table.mjs            prints the tables
//   node benchmarks/table.mjs --write    also replaces them in benchmarks/README.md and in
//                                        README.md, between <!-- figures:... --> markers
//   node benchmarks/table.mjs --collect-criterion DIR   prints criterion's medians as JSON
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS = join(ROOT, 'benchmarks/results');

if (process.argv[2] === '--collect-criterion') {
  // target/criterion/<group>/<function>/new/estimates.json → { "group/function": { medianNs, meanNs } }
  const dir = process.argv[3];
  const out = {};
  for (const group of readdirSync(dir)) {
    if (!existsSync(join(dir, group)) || group === 'report') continue;
    for (const fn of readdirSync(join(dir, group))) {
      const f = join(dir, group, fn, 'new', 'estimates.json');
      if (!existsSync(f)) continue;
      const e = JSON.parse(readFileSync(f, 'utf8'));
      out[`${group}/${fn}`] = { medianNs: e.median.point_estimate, meanNs: e.mean.point_estimate };
    }
  }
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}

const load = (name) => {
  const f = join(RESULTS, `${name}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
};
const icount = load('icount');
// The same workloads before the perf lane's changes (its commit named inside), when recorded.
const icountBefore = load('icount-baseline');
const criterion = load('criterion');
const node = load('node');
const editor = load('editor');
const webhook = load('webhook-mixed');
const breakdown = load('webhook-breakdown');
const variants = load('wasm-variants');
const machineState = load('machine');

const us = (ns) => `${(ns / 1000).toFixed(1)} µs`;
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const M = (n) => `${(n / 1e6).toFixed(2)} M`;
const x = (r) => `${r.toFixed(2)}×`;
const NA = 'not measured';

const RATIO_KEYS = ['seedLint', 'largeLint', 'streamLint', 'corpusLint', 'corpusFix'];

// Per-call ratios to native: from the module variants run (minima, the shipped builds named
// in it) when it has them, else from pkg/bench/bench.mjs (sums of medians).
function nodeRatios(flavour) {
  const name = flavour === 'node' ? variants?.nodeBuild : variants?.browser;
  const v = name && variants.variants[name];
  if (v && variants.native) {
    const rows = RATIO_KEYS.map((k) => v[k].minMs / variants.native[k].minMs);
    return { min: Math.min(...rows), max: Math.max(...rows), rows, source: 'variants', gzip: v.gzip };
  }
  if (!node?.native) return null;
  const rows = [];
  for (const set of ['seed', 'corpus']) {
    for (const op of ['lint', 'fix']) {
      rows.push(node.builds[flavour][set][op].sumOfMediansMs / node.native[set][op].sumOfMediansMs);
    }
  }
  return { min: Math.min(...rows), max: Math.max(...rows), rows, source: 'node' };
}

function gzipKiB(path) {
  const f = join(ROOT, path);
  if (!existsSync(f)) return null;
  return gzipSync(readFileSync(f), { level: 9 }).length / 1024;
}

const rows = [];
const met = (ok) => (ok === null ? '' : ok ? 'yes' : '**no**');

{
  const sts = criterion?.['statefulset/lint']?.medianNs;
  const stream = criterion?.['statefulset/stream-100']?.medianNs;
  const seed = criterion?.['seed/lint']?.medianNs;
  const parts = [];
  if (sts) parts.push(`${us(sts)} alone`);
  if (stream) parts.push(`${us(stream / 100)}/object in a 100-object stream`);
  if (seed) parts.push(`seed ${us(seed)}`);
  if (icount?.sts_lint) parts.push(`${M(icount.sts_lint.instructions)} instructions`);
  rows.push([
    'native lint, one clean StatefulSet (636 B), in-process, all rules',
    '`cargo bench --bench engine` (`statefulset/*`, `seed/lint`); `benchmarks/icount.sh sts_lint`',
    '≈64 µs seed; ≈70 µs/object in a stream',
    parts.join('; ') || NA,
    '≤ 30 µs (stretch 20)',
    met(sts ? sts <= 30_000 : null),
  ]);
}
{
  const c = criterion?.['corpus-stream/lint']?.medianNs;
  const parts = [];
  if (c) parts.push(ms(c / 1e6));
  if (icount?.corpus_lint) parts.push(`${M(icount.corpus_lint.instructions)} instructions`);
  rows.push([
    'native lint, 105-file corpus stream (6,490 lines)',
    '`cargo bench --bench engine` (`corpus-stream/lint`); `benchmarks/icount.sh corpus_lint`',
    '9.1 ms',
    parts.join('; ') || NA,
    '≤ 4 ms',
    met(c ? c <= 4e6 : null),
  ]);
}
{
  const r = nodeRatios('node');
  rows.push([
    'Node speed build / native, per call',
    r?.source === 'variants' ? '`benchmarks/wasm-variants.sh` (minima; seed, 2,000 lines, corpus stream, corpus lint and fix passes)' : '`node pkg/bench/bench.mjs --native …`',
    '1.54–1.77×',
    r ? `${x(r.min)}–${x(r.max)}` : NA,
    '≤ 1.3×',
    met(r ? r.max <= 1.3 : null),
  ]);
}
{
  const r = nodeRatios('web');
  const kib = r?.gzip ? r.gzip / 1024 : gzipKiB('pkg/dist/web/claimcheck_bg.wasm');
  rows.push([
    `browser build${variants?.browser ? ` (\`${variants.browser}\`)` : ''} / native, per call, within the 400 KB gzip budget`,
    r?.source === 'variants' ? '`benchmarks/wasm-variants.sh` (in Node; minima as above); `node pkg/tools/size.mjs`' : '`node pkg/bench/bench.mjs --native …`; `node pkg/tools/size.mjs`',
    '4.8–5.7× (351 KiB gzip)',
    r ? `${x(r.min)}–${x(r.max)} (${kib ? `${kib.toFixed(0)} KiB gzip` : 'size n/a'})` : NA,
    '≤ 2.5×, ≤ 400 KB gzip',
    met(r ? r.max <= 2.5 && kib !== null && kib * 1024 <= 400_000 : null),
  ]);
}
{
  const l = editor?.largeFile;
  rows.push([
    'editor, edit → diagnostics on 2,000 lines',
    '`scripts/test-www.sh` (timings.json)',
    '38 ms, on the main thread',
    l ? `${l.editToDiagnosticsMs.min !== undefined ? `min ${ms(l.editToDiagnosticsMs.min)}, ` : ''}${ms(l.editToDiagnosticsMs.median)} median, p90 ${ms(l.editToDiagnosticsMs.p90)} (${l.lines} lines, ${l.findings} findings; lint in the worker ${ms(l.workMs?.median ?? NaN)}), in a Web Worker` : NA,
    '≤ 16 ms, in a Web Worker',
    met(l ? l.editToDiagnosticsMs.median <= 16 : null),
  ]);
}
{
  const f = editor?.firstDiagnosticsMs;
  rows.push([
    'editor, first diagnostics after page load',
    '`scripts/test-www.sh` (timings.json)',
    '0.42 s',
    f ? `${(f / 1000).toFixed(3)} s (median of ${editor.firstDiagnosticsRuns ?? 1} loads${editor.firstDiagnosticsRunsMs ? `; min ${(Math.min(...editor.firstDiagnosticsRunsMs) / 1000).toFixed(3)} s` : ''})` : NA,
    '≤ 0.25 s',
    met(f ? f <= 250 : null),
  ]);
}
{
  rows.push([
    'webhook host, mixed validate/mutate at 1,000 req/s, loopback TLS',
    '`node pkg/bench/webhook-load.mjs --rate 1000 --duration 10 --mode mixed`',
    'p99 5.9 ms',
    webhook
      ? `p50 ${ms(webhook.latencyMs.p50)}, p99 ${ms(webhook.latencyMs.p99)}${webhook.hostMs ? ` (in the host: p50 ${ms(webhook.hostMs.p50)}, p99 ${ms(webhook.hostMs.p99)})` : ''}; ${webhook.answered}/${webhook.requests} answered; host RSS ${webhook.hostRssMiB.join(' + ')} MiB${webhook.cpu?.hostMsPerRequest ? `, ${ms(webhook.cpu.hostMsPerRequest)} of host CPU per request` : ''}${webhook.loadavg ? `; load average ${webhook.loadavg.before[0].toFixed(1)} on 2 CPUs` : ''}`
      : NA,
    'p99 ≤ 3 ms, host RSS reported',
    met(webhook ? webhook.latencyMs.p99 <= 3 : null),
  ]);
}

const md = (header, body) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const machine = node ? `Node ${node.node}` : '';
const main = md(['figure', 'command', 'issue 14 baseline', 'measured', 'goal', 'met'], rows);

const detail = [];
if (icount) {
  const before = (k) => icountBefore?.[k]?.instructions;
  const header = ['workload (benches/icount.rs)', 'instructions'];
  if (icountBefore) header.push(`before (${icountBefore._commit ?? 'baseline'})`, 'after / before');
  detail.push(
    md(
      header,
      Object.entries(icount).map(([k, v]) => {
        const row = [`\`${k}\`: ${v.what}`, v.instructions.toLocaleString('en')];
        if (icountBefore) {
          const b = before(k);
          row.push(b ? b.toLocaleString('en') : 'not measured', b ? `${(v.instructions / b).toFixed(2)}×` : '');
        }
        return row;
      }),
    ),
  );
}
if (node) {
  const body = [];
  for (const set of ['seed', 'corpus']) {
    for (const op of ['lint', 'fix']) {
      const n = node.native?.[set]?.[op]?.sumOfMediansMs;
      const cells = ['node', 'web'].map((f) => {
        const w = node.builds[f][set][op].sumOfMediansMs;
        return `${ms(w)}${n ? ` (${x(w / n)})` : ''}`;
      });
      body.push([`\`${op}\` ${set === 'seed' ? 'seed example' : 'pass over the corpus files'}`, n ? ms(n) : 'n/a', ...cells]);
    }
  }
  const cold = (f) => node.builds[f].cold;
  body.push([
    'compile + instantiate (incl. warm-up)',
    '',
    ...['node', 'web'].map((f) => `${ms(cold(f).compileMs)} + ${ms(cold(f).instantiateMs)}`),
  ]);
  body.push(['first `lint()` after `init()`', '', ...['node', 'web'].map((f) => ms(cold(f).firstLintMs))]);
  body.push([
    'module size gzip -9',
    '',
    ...['node', 'web'].map((f) => {
      const k = gzipKiB(`pkg/dist/${f}/claimcheck_bg.wasm`);
      return k ? `${k.toFixed(0)} KiB` : 'n/a';
    }),
  ]);
  detail.push(md(['call', 'native', 'speed build (Node)', 'size build (browsers)'], body));
}
if (variants) {
  // Minima per call (the figure least disturbed by other load), and the ratio to the native
  // build's minimum on the same input in the same run.
  const nat = variants.native;
  const cell = (v, k) => `${ms(v[k].minMs)}${nat?.[k] ? ` (${x(v[k].minMs / nat[k].minMs)})` : ''}`;
  const head = ['module variant (benchmarks/wasm-variants.sh)', 'raw', 'gzip -9', 'lint seed', `lint ${nat?.lines?.large ?? 2000} lines`, `lint corpus stream (${nat?.lines?.stream ?? ''} lines)`, 'fix corpus pass', 'CPU, stream lint'];
  const body = [];
  if (nat) {
    body.push(['native (release, x86-64)', '', '', ...['seedLint', 'largeLint', 'streamLint', 'corpusFix'].map((k) => ms(nat[k].minMs)), '']);
  }
  for (const [k, v] of Object.entries(variants.variants)) {
    body.push([
      `\`${k}\`${k === variants.browser ? ' (browser build)' : ''}${k === variants.nodeBuild ? ' (Node build)' : ''}`,
      `${(v.raw / 1024).toFixed(0)} KiB`,
      `${(v.gzip / 1024).toFixed(1)} KiB${v.gzip > 400_000 ? ' (over budget)' : ''}`,
      ...['seedLint', 'largeLint', 'streamLint', 'corpusFix'].map((key) => cell(v, key)),
      ms(v.streamLint.cpuMs),
    ]);
  }
  const m = variants.machine;
  detail.push(
    `Module variants measured ${variants.date?.slice(0, 16).replace('T', ' ')} UTC in Node ${variants.node}${m ? `, load average ${m.loadAtStart} at the start and ${m.loadAtEnd} at the end on ${m.cpus} CPUs` : ''}:\n\n${md(head, body)}`,
  );
}
if (breakdown) {
  detail.push(
    md(
      ['webhook request part (pkg/bench/webhook-breakdown.mjs)', 'median', 'p99'],
      breakdown.parts.map((p) => [p.what, ms(p.medianMs), ms(p.p99Ms)]),
    ),
  );
}

const block = [
  `Measured by \`benchmarks/run.sh\` (parts re-run separately write their own results) on ${new Date().toISOString().slice(0, 10)}${machine ? ` (${machine})` : ''}; the 2-core machine was shared with other builds${machineState ? ` (load average ${machineState.loadAverage} on ${machineState.cpus} CPUs at the last run.sh part, ${machineState.date ?? ''})` : ''}${variants?.machine ? `; the Node and browser rows come from \`benchmarks/wasm-variants.sh\` at ${variants.date?.slice(11, 16)} UTC, load ${variants.machine.loadAtStart.split(' ')[0]} → ${variants.machine.loadAtEnd.split(' ')[0]}` : ''}. Wall times on a shared machine are upper bounds (minima are the least disturbed) — the instruction counts are exact.`,
  '',
  main,
].join('\n');
const details = detail.join('\n\n');

console.log(`${block}\n\n${details}`);

function replaceBetween(file, name, content) {
  const path = join(ROOT, file);
  const text = readFileSync(path, 'utf8');
  const start = `<!-- figures:${name}:start -->`;
  const end = `<!-- figures:${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`table: no ${start} … ${end} in ${file}: left alone`);
    return;
  }
  writeFileSync(path, `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`);
  console.error(`table: ${file} (${name}) updated`);
}

if (process.argv.includes('--write')) {
  replaceBetween('benchmarks/README.md', 'goals', block);
  replaceBetween('benchmarks/README.md', 'details', details);
  replaceBetween('README.md', 'goals', block);
}
