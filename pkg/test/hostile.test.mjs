// Hostile input never makes the module throw: every problem is a diagnostic, and a Rust
// panic (which would surface as `RuntimeError: unreachable`) must not happen.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as cc from '../node.js';
import { read } from './helpers.mjs';

await cc.init();

function survive(name, source) {
  for (const [what, call] of [
    ['lint', () => cc.lint(source)],
    ['lint utf8', () => cc.lint(source, { positionEncoding: 'utf8', kubernetesVersion: '1.28' })],
    ['lint old', () => cc.lint(source, { oldSource: source })],
    ['fix', () => cc.fix(source, { unsafeFixes: true })],
    ['normalize', () => cc.normalize(source)],
    ['report text', () => cc.report([{ path: 'x.yaml', text: source }], { format: 'text' })],
    ['report sarif', () => cc.report([{ path: 'x.yaml', text: source }], { format: 'sarif' })],
  ]) {
    let result;
    try {
      result = call();
    } catch (e) {
      assert.fail(`${what} threw on ${name}: ${e?.stack ?? e}`);
    }
    assert.ok(result && typeof result === 'object', `${what} on ${name}`);
  }
}

function laughs(levels, width) {
  let s = 'a0: &a0 ["lol"]\n';
  for (let i = 1; i <= levels; i++) {
    const refs = Array.from({ length: width }, () => `*a${i - 1}`).join(', ');
    s += `a${i}: &a${i} [${refs}]\n`;
  }
  return s;
}

/** A small deterministic generator, so failures can be replayed. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

test('structural attacks', () => {
  const cases = {
    empty: '',
    'only separators': '---\n---\n...\n---\n',
    scalar: 'hello\n',
    'scalar documents': '--- 1\n--- true\n--- "x"\n--- null\n',
    list: '- a\n- b\n',
    'kind List of junk': 'apiVersion: v1\nkind: List\nitems: [1, "x", null, [], {kind: StatefulSet}]\n',
    'billion laughs': laughs(9, 9),
    'billion laughs in a StatefulSet':
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nx: &x [1,2,3,4,5,6,7,8]\n' +
      Array.from({ length: 12 }, (_, i) => `y${i}: &y${i} [${i ? `*y${i - 1}, *y${i - 1}` : '*x, *x'}]`).join('\n') +
      '\nspec: *y11\n',
    'deep flow nesting': '['.repeat(100000) + ']'.repeat(100000),
    'deep block nesting': Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    'deep maps in spec': `apiVersion: apps/v1\nkind: StatefulSet\nspec: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`,
    'unclosed quote': 'apiVersion: "v1\nkind: PersistentVolumeClaim\n',
    'tabs and NUL': 'apiVersion:\tv1\n\0kind: x\0\n',
    'lone surrogates': 'metadata: {name: "\ud800\udfff\ud800"}\n',
    'duplicate keys': 'kind: A\nkind: B\nkind: C\n',
    'merge key loops': 'a: &a {<<: *a}\n',
    'undefined alias': 'spec: *nothing\n',
    'weird tags': '!!binary AAAA\n--- !<tag:x> {a: 1}\n--- !!set {a, b}\n',
    'huge numbers': 'spec: {replicas: 99999999999999999999999999999, x: 1e999, y: -.inf, z: .nan}\n',
    'many documents': 'a: 1\n---\n'.repeat(20000),
    'long line': `metadata: {name: ${'x'.repeat(2_000_000)}}\n`,
    'BOM and CRLF': '\ufeffapiVersion: v1\r\nkind: PersistentVolumeClaim\r\n',
    json: '{"apiVersion": "apps/v1", "kind": "StatefulSet", "spec": {"replicas": "3", "volumeClaimTemplates": [null, 1, {}]}}',
  };
  for (const [name, source] of Object.entries(cases)) survive(name, source);
});

test('binary garbage', () => {
  const next = rng(7);
  for (let i = 0; i < 40; i++) {
    const len = Math.floor(next() * 4000);
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(next() * 0x10000));
    survive(`garbage #${i}`, s);
  }
});

test('a 20 MB input', () => {
  const seed = read('examples/seed.yaml');
  let big = '';
  while (big.length < 20 * 1024 * 1024) big += `${seed}\n---\n`;
  const r = cc.lint(big);
  assert.ok(r.diagnostics.length > 0, 'an oversized input is reported, not thrown');
  survive('20 MB', big);
});

test('mutations of real manifests', () => {
  const sources = [read('examples/seed.yaml'), read('tests/fixtures/CC301/invalid.yaml')];
  const next = rng(42);
  const alphabet = ' :-[]{}&*!|>\'"#,?\n\t0123456789abcdefg~%@`';
  for (let i = 0; i < 400; i++) {
    let s = sources[i % sources.length];
    const edits = 1 + Math.floor(next() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * s.length);
      const kind = next();
      if (kind < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(next() * 20));
      else if (kind < 0.8) {
        const ch = alphabet[Math.floor(next() * alphabet.length)];
        s = s.slice(0, at) + ch + s.slice(at);
      } else {
        const from = Math.floor(next() * s.length);
        s = s.slice(0, at) + s.slice(from, from + 40) + s.slice(at);
      }
    }
    survive(`mutation #${i}`, s);
  }
});
