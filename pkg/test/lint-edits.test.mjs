// lint()'s fixes carry their text edits (`fix.edits`): an editor applies a quick fix from the
// diagnostic alone, without calling the module again. They must be exactly fixOne()'s edits,
// with ranges and offsets that agree, in both position encodings.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import * as cc from '../node.js';
import { ROOT, read } from './helpers.mjs';

/** Every fixture and corpus manifest: the inputs with fixes of every rule. */
function inputs() {
  const out = [];
  const fixtures = join(ROOT, 'tests/fixtures');
  for (const code of readdirSync(fixtures).sort()) {
    for (const f of readdirSync(join(fixtures, code)).sort()) {
      if (/\.(ya?ml|json)$/.test(f)) out.push(`tests/fixtures/${code}/${f}`);
    }
  }
  for (const f of readdirSync(join(ROOT, 'tests/corpus')).sort()) {
    if (/\.ya?ml$/.test(f)) out.push(`tests/corpus/${f}`);
  }
  return out;
}

/** Applies `{ offset: { start, end }, newText }` edits (sorted) to a string. */
function applyEdits(source, edits) {
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += source.slice(pos, e.offset.start) + e.newText;
    pos = e.offset.end;
  }
  return out + source.slice(pos);
}

/** 1-based line and UTF-16 column of a string offset. */
function positionOf(source, offset) {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

test('every fix of lint() carries the edits of fixOne(), with ranges matching the offsets', async () => {
  await cc.init();
  let fixes = 0;
  for (const path of inputs()) {
    // A non-ASCII first line shifts every UTF-16 offset away from the byte offset.
    const source = `# größe 😀\n${read(path)}`;
    const { diagnostics } = cc.lint(source, { unsafeFixes: true });
    diagnostics.forEach((d, i) => {
      if (!d.fix) return;
      assert.ok(Array.isArray(d.fix.edits), `${path}: ${d.code} has fix.edits`);
      assert.deepEqual(Object.keys(d.fix), ['applicability', 'title', 'patch', 'edits']);
      const one = cc.fixOne(source, { unsafeFixes: true }, i);
      assert.deepEqual(
        d.fix.edits.map((e) => ({ from: e.offset.start, to: e.offset.end, insert: e.newText })),
        one.edits,
        `${path}: ${d.code}'s edits are fixOne's`,
      );
      assert.equal(applyEdits(source, d.fix.edits), one.output);
      for (const e of d.fix.edits) {
        assert.deepEqual(e.range.start, positionOf(source, e.offset.start), `${path}: ${d.code} start`);
        assert.deepEqual(e.range.end, positionOf(source, e.offset.end), `${path}: ${d.code} end`);
      }
      if (d.fix.edits.length) fixes++;
    });
  }
  assert.ok(fixes > 50, `${fixes} fixes with edits checked`);
});

test('fix edits in UTF-8 bytes on request', async () => {
  await cc.init();
  const prefix = '# größe 😀\n';
  const source = prefix + read('examples/seed.yaml');
  const shift = Buffer.byteLength(prefix) - prefix.length;
  const utf16 = cc.lint(source).diagnostics.find((d) => d.code === 'CC201').fix.edits;
  const utf8 = cc.lint(source, { positionEncoding: 'utf8' }).diagnostics.find((d) => d.code === 'CC201').fix.edits;
  assert.ok(utf16.length > 0);
  assert.deepEqual(
    utf8.map((e) => [e.offset.start - shift, e.offset.end - shift, e.newText]),
    utf16.map((e) => [e.offset.start, e.offset.end, e.newText]),
  );
  const bytes = Buffer.from(source);
  const applied = [];
  let pos = 0;
  for (const e of utf8) {
    applied.push(bytes.subarray(pos, e.offset.start), Buffer.from(e.newText));
    pos = e.offset.end;
  }
  applied.push(bytes.subarray(pos));
  assert.equal(Buffer.concat(applied).toString(), cc.fixOne(source, {}, cc.lint(source).diagnostics.findIndex((d) => d.code === 'CC201')).output);
});
