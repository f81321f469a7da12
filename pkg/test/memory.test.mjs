// The modules' memory stays bounded across calls: what one call allocates, its allocator gives
// back for the next (a call's peak is bounded by its input, which the engine caps at 16 MiB),
// so repeating a large call does not grow the WebAssembly memory, and an input at the limit
// fits. Both modules (dist/web and dist/node) are loaded directly through their bindings to read
// their linear memory's size.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { PKG, read } from './helpers.mjs';

const MiB = 1024 * 1024;

async function load(flavour) {
  const glue = await import(new URL(`dist/${flavour}/claimcheck.js`, `file://${PKG}`).href);
  const exports = await glue.default({ module_or_path: readFileSync(`${PKG}dist/${flavour}/claimcheck_bg.wasm`) });
  return { glue, memory: () => exports.memory.buffer.byteLength };
}

const seed = read('examples/seed.yaml');
function stream(bytes) {
  const doc = `${seed}\n---\n`;
  return doc.repeat(Math.ceil(bytes / doc.length));
}

for (const flavour of ['web', 'node']) {
  test(`${flavour} module: repeated large calls reuse memory, an input at the limit fits`, async () => {
    const { glue, memory } = await load(flavour);
    const big = stream(2 * MiB);
    const sizes = [];
    for (let i = 0; i < 4; i++) {
      const r = JSON.parse(glue.lint(big, undefined));
      assert.ok(r.diagnostics.length > 0);
      sizes.push(memory());
    }
    // Growth stops after the first calls: later calls fit in what earlier ones freed.
    assert.equal(sizes[3], sizes[1], `memory after each 2 MiB lint: ${sizes.map((s) => s / MiB).join(', ')} MiB`);
    JSON.parse(glue.fix(stream(MiB), undefined));
    // Near the 16 MiB input limit: one long comment line (cheap to parse) and a long scalar.
    const nearLimit = `# ${'x'.repeat(16 * MiB - 64)}\n`;
    JSON.parse(glue.lint(nearLimit, undefined));
    JSON.parse(glue.lint(`a: ${'y'.repeat(16 * MiB - 64)}\n`, undefined));
    const after = memory();
    assert.ok(after <= 512 * MiB, `memory after 16 MiB inputs: ${after / MiB} MiB`);
    // And those buffers are reused too.
    JSON.parse(glue.lint(nearLimit, undefined));
    assert.equal(memory(), after);
  });
}
