// fixOne(): one diagnostic's fix, as the editor's quick fix applies it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as cc from '../node.js';
import { read } from './helpers.mjs';

const seed = read('examples/seed.yaml');

/** Applies `{ from, to, insert }` edits (UTF-16 offsets, sorted) to a string. */
function applyEdits(source, edits) {
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += source.slice(pos, e.from) + e.insert;
    pos = e.to;
  }
  return out + source.slice(pos);
}

test('fixOne applies exactly the fix of the chosen diagnostic', async () => {
  await cc.init();
  const { diagnostics } = cc.lint(seed);
  const i = diagnostics.findIndex((d) => d.code === 'CC201');
  assert.ok(i >= 0);
  const r = cc.fixOne(seed, undefined, i);
  assert.equal(r.changed, true);
  // The seed has one safe fix: the same text as fix().
  assert.equal(r.output, cc.fix(seed).output);
  assert.equal(applyEdits(seed, r.edits), r.output);
  for (let k = 1; k < r.edits.length; k++) assert.ok(r.edits[k - 1].to <= r.edits[k].from);
  const after = cc.lint(r.output).diagnostics.map((d) => d.code);
  assert.ok(!after.includes('CC201') && !after.includes('CC301'));
});

test('fixOne edits are UTF-16 offsets by default, UTF-8 bytes on request', async () => {
  await cc.init();
  const source = `# größe 😀\n${seed}`;
  const i = cc.lint(source).diagnostics.findIndex((d) => d.code === 'CC201');
  const utf16 = cc.fixOne(source, {}, i);
  assert.equal(applyEdits(source, utf16.edits), utf16.output);
  const utf8 = cc.fixOne(source, { positionEncoding: 'utf8' }, i);
  const shift = Buffer.byteLength('# größe 😀\n') - '# größe 😀\n'.length;
  assert.deepEqual(
    utf8.edits.map((e) => e.from - shift),
    utf16.edits.map((e) => e.from),
  );
  assert.equal(utf8.output, utf16.output);
});

test('fixOne offers unsafe fixes too, and leaves the text alone without a fix', async () => {
  await cc.init();
  const pg = read('tests/corpus/kubeflow__postgres-statefulset.yaml');
  const { diagnostics } = cc.lint(pg);
  const unsafe = diagnostics.findIndex((d) => d.fix?.applicability === 'unsafe');
  assert.ok(unsafe >= 0);
  const r = cc.fixOne(pg, undefined, unsafe);
  assert.equal(r.changed, true);
  assert.match(r.output, /serviceName:/);
  const none = diagnostics.findIndex((d) => d.fix === null);
  assert.deepEqual(cc.fixOne(pg, undefined, none), { output: pg, changed: false, edits: [] });
  assert.deepEqual(cc.fixOne(pg, undefined, diagnostics.length + 5), { output: pg, changed: false, edits: [] });
  assert.throws(() => cc.fixOne(pg, undefined, -1), TypeError);
  assert.throws(() => cc.fixOne(pg, undefined, 1.5), TypeError);
  assert.throws(() => cc.fixOne(pg, { bogus: true }, 0), TypeError);
});

test('fixOne counts the diagnostics as lint() does with the same options (oldSource, rules)', async () => {
  await cc.init();
  // the old source holds only the claim: the StatefulSet is new, so CC201 keeps its fix
  const pvcOnly = seed.split(/^---$/m)[0];
  const options = { oldSource: pvcOnly, rules: { CC407: 'off' } };
  const { diagnostics } = cc.lint(seed, options);
  const i = diagnostics.findIndex((d) => d.code === 'CC201');
  assert.equal(cc.fixOne(seed, options, i).output, cc.fix(seed).output);
  // as an update of itself, the claim template is immutable: no fix is offered (ratcheting)
  const update = cc.lint(seed, { oldSource: seed }).diagnostics.find((d) => d.code === 'CC201');
  assert.equal(update.fix, null);
  assert.equal(update.severity, 'warning');
  assert.match(update.message, /already in the live object/);
});
