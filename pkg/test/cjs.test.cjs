// CommonJS: require('claimcheck') works in Node 20 and shares the ESM entry's module.
'use strict';
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { test } = require('node:test');

const cc = require('claimcheck');
const seed = readFileSync(join(__dirname, '..', '..', 'examples', 'seed.yaml'), 'utf8');

test('require() gives the API; it needs init() first', async () => {
  assert.equal(typeof cc.lint, 'function');
  assert.equal(require.resolve('claimcheck'), join(__dirname, '..', 'node.cjs'));
  assert.throws(() => cc.lint(seed), /await init\(\)/);
  await cc.init();
  const r = cc.lint(seed);
  assert.ok(r.diagnostics.length > 0);
  assert.equal(cc.fix(seed).changed, true);
  assert.ok(cc.rules().length > 0);
  assert.match(cc.version(), /^\d+\.\d+\.\d+/);
  const esm = await import('claimcheck');
  assert.deepEqual(esm.lint(seed), r, 'ESM and CommonJS share one loaded module');
});
