#!/usr/bin/env node
// Lints and fixes the bundled example through the npm package (WebAssembly) in Node:
// prints the findings as the CLI does, then the corrected manifest.
//   node scripts/demo-wasm.mjs [FILE]   (after scripts/build-wasm.sh)
import { readFileSync } from 'node:fs';

import { fix, init, report, version } from '../pkg/node.js';

const path = process.argv[2] ?? 'examples/seed.yaml';
const text = readFileSync(
  process.argv[2] ?? new URL('../examples/seed.yaml', import.meta.url),
  'utf8',
);

const t0 = performance.now();
await init();
const t1 = performance.now();
const findings = report([{ path, text }], { format: 'text', color: Boolean(process.stdout.isTTY) });
const t2 = performance.now();
const fixed = fix(text);
const t3 = performance.now();

console.log(`# claimcheck ${version()} (WebAssembly, Node ${process.version})`);
console.log(`# findings in ${path}\n`);
console.log(findings.output);
console.log(`# corrected manifest (${fixed.applied.length} safe fixes applied; ${fixed.remaining.length} findings left)\n`);
for (const a of fixed.applied) console.log(`#   ${a.code}: ${a.title}`);
console.log();
process.stdout.write(fixed.output);
console.log(
  `\n# load ${(t1 - t0).toFixed(1)} ms, lint ${(t2 - t1).toFixed(1)} ms, fix ${(t3 - t2).toFixed(1)} ms`,
);
