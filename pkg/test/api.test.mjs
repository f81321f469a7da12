// The JavaScript API: loading, results, options, errors.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as cc from '../node.js';
import { read } from './helpers.mjs';

const seed = read('examples/seed.yaml');

test('calls before init() throw a clear error', () => {
  assert.throws(() => cc.lint(seed), /call `await init\(\)` once first/);
});

test('init() loads once, concurrent calls share the load', async () => {
  await Promise.all([cc.init(), cc.init()]);
  await cc.init();
  assert.equal(cc.version(), JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).version);
});

test('rules() lists the catalogue', async () => {
  await cc.init();
  const rules = cc.rules();
  assert.ok(rules.length >= 11);
  assert.equal(new Set(rules.map((r) => r.code)).size, rules.length);
  for (const r of rules) {
    assert.match(r.code, /^CC\d{3}$/);
    assert.ok(['error', 'warning', 'hint'].includes(r.severity));
    assert.ok(['none', 'safe', 'unsafe', 'sometimes'].includes(r.fix));
    assert.match(r.docs, /## What it does/);
  }
});

test('lint() finds the problems of the seed example and describes its documents', async () => {
  await cc.init();
  const r = cc.lint(seed);
  assert.ok(r.diagnostics.length > 0);
  assert.equal(r.summary.errors, r.diagnostics.filter((d) => d.severity === 'error').length);
  assert.deepEqual(
    r.documents.map((d) => d.kind),
    ['PersistentVolumeClaim', 'StatefulSet'],
  );
  assert.equal(r.documents[1].name, 'example-statefulset-7d4f2c9e');
  for (const d of r.diagnostics) {
    assert.match(d.code, /^CC\d{3}$/);
    assert.equal(typeof d.pointer, 'string');
    assert.ok(d.range.start.line >= 1 && d.range.start.column >= 1);
    assert.ok(d.url.includes(d.code.toLowerCase()));
  }
});

test('positions count UTF-16 units by default and UTF-8 bytes on request', async () => {
  await cc.init();
  // A non-ASCII key before the faulty value on the same line.
  const src = '{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "é😀"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "storageClassName": 5}}\n';
  const u16 = cc.lint(src);
  const u8 = cc.lint(src, { positionEncoding: 'utf8' });
  assert.ok(u16.diagnostics.length > 0, 'expected a finding');
  const a = u16.diagnostics.at(-1).range.start.column;
  const b = u8.diagnostics.at(-1).range.start.column;
  assert.equal(b - a, 3, "é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units");
});

test('options: rules can be turned off or re-levelled, versions chosen', async () => {
  await cc.init();
  const all = cc.lint(seed);
  const code = all.diagnostics[0].code;
  const off = cc.lint(seed, { rules: { [code]: 'off' } });
  assert.ok(!off.diagnostics.some((d) => d.code === code));
  const hint = cc.lint(seed, { rules: { [code]: 'hint' } });
  assert.ok(hint.diagnostics.filter((d) => d.code === code).every((d) => d.severity === 'hint'));
  const name = all.diagnostics[0].name;
  const byName = cc.lint(seed, { rules: { [name]: 'off' } });
  assert.deepEqual(byName.diagnostics, off.diagnostics);
  assert.doesNotThrow(() => cc.lint(seed, { kubernetesVersion: '1.32' }));
  assert.doesNotThrow(() => cc.lint(seed, { kubernetesVersion: 'v1.30.2', positionEncoding: 'utf8' }));
  assert.doesNotThrow(() => cc.lint(seed, { kubernetesVersion: undefined, rules: {} }));
});

test('errors carry a stable code', async () => {
  await cc.init();
  const code = (f) => {
    try {
      f();
    } catch (e) {
      return e.code;
    }
    return 'nothing thrown';
  };
  assert.equal(code(() => cc.lint(seed, { kubeVersion: '1.32' })), 'ERR_CLAIMCHECK_OPTIONS');
  assert.equal(code(() => cc.lint(seed, { rules: { CC999: 'off' } })), 'ERR_CLAIMCHECK_OPTIONS');
  assert.equal(code(() => cc.lint(42)), 'ERR_CLAIMCHECK_ARGUMENT');
  assert.equal(code(() => cc.review('{}')), 'ERR_CLAIMCHECK_REVIEW');
  assert.equal(code(() => cc.fixOne(seed, {}, -1)), 'ERR_CLAIMCHECK_ARGUMENT');
  assert.equal(code(() => cc.runCli('check', {})), 'ERR_CLAIMCHECK_ARGUMENT');
});

test('about() and rules() carry the lists an editor shows', async () => {
  await cc.init();
  const a = cc.about();
  assert.equal(a.version, cc.version());
  assert.equal(a.defaultKubernetesVersion, a.kubernetesVersions.at(-1));
  assert.deepEqual(a.severities, ['error', 'warning', 'hint']);
  for (const v of a.kubernetesVersions) assert.ok(cc.lint(seed, { kubernetesVersion: v }));
  const prefixes = a.families.map((f) => f.prefix);
  for (const r of cc.rules()) assert.ok(prefixes.includes(r.family.prefix) && r.code.startsWith(r.family.prefix));
});

test('invalid options throw a TypeError that names the option', async () => {
  await cc.init();
  const cases = [
    [{ positionEncoding: 'latin1' }, /positionEncoding must be "utf16" or "utf8"/],
    [{ kubernetesVersion: 1.32 }, /kubernetesVersion must be a string/],
    [{ kubernetesVersion: '1.99' }, /outside the supported range/],
    [{ kubernetesVersion: 'latest' }, /invalid Kubernetes version/],
    [{ rules: { CC999: 'off' } }, /unknown rule `CC999`/],
    [{ rules: { CC001: 'loud' } }, /rules\.CC001 must be "off", "error", "warning" or "hint"/],
    [{ rules: ['CC001'] }, /rules must be an object/],
    [{ unsafeFixes: 'yes' }, /unsafeFixes must be true or false/],
    [{ kubeVersion: '1.32' }, /unknown option `kubeVersion`/],
    ['utf8', /options must be an object/],
    [{ oldSource: 42 }, /oldSource must be/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => cc.lint(seed, options), (e) => e instanceof TypeError && message.test(e.message), JSON.stringify(options));
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => cc.lint(seed, cyclic), TypeError);
  assert.throws(() => cc.lint(42), /source must be a string/);
  assert.throws(() => cc.fix(seed, { oldSource: seed }), /does not take options.oldSource/);
  assert.throws(() => cc.review('{}', { oldSource: seed }), /review\(\) does not take options.oldSource/);
  assert.throws(() => cc.normalize(seed, { unsafeFixes: true }), /only safe fixes/);
  assert.throws(() => cc.report('x.yaml'), /files must be an array/);
  assert.throws(() => cc.report([{ path: 'x' }]), /files\[0\] must be/);
  assert.throws(() => cc.report([], { format: 'xml' }), /format must be/);
});

test('fix() corrects the seed example and returns the same change as JSON Patch', async () => {
  await cc.init();
  const before = cc.lint(seed);
  const r = cc.fix(seed);
  assert.equal(r.changed, true);
  assert.ok(r.applied.length > 0);
  assert.ok(r.applied.every((a) => a.applicability === 'safe'));
  assert.ok(r.patch.length > 0 && r.patch.every((p) => Array.isArray(p.operations)));
  assert.deepEqual(
    r.patch.flatMap((p) => p.operations),
    r.applied.flatMap((a) => a.patch),
  );
  assert.ok(r.remaining.length < before.diagnostics.length);
  assert.deepEqual(r.remaining, cc.lint(r.output).diagnostics);
  // Fixing again changes nothing: the fixes converged.
  assert.equal(cc.fix(r.output).changed, false);
  const withUnsafe = cc.fix(seed, { unsafeFixes: true });
  assert.ok(withUnsafe.applied.length >= r.applied.length);
});

test('normalize() applies the safe fixes (for now)', async () => {
  await cc.init();
  const n = cc.normalize(seed);
  assert.equal(n.output, cc.fix(seed).output);
  assert.equal(n.changed, n.output !== seed);
  assert.equal(cc.normalize(n.output).changed, false);
});

test('lint() with oldSource checks the update', async () => {
  await cc.init();
  assert.doesNotThrow(() => cc.lint(seed, { oldSource: seed }));
});

test('report() renders like the native CLI', async () => {
  await cc.init();
  const json = cc.report([{ path: 'examples/seed.yaml', text: seed }], { format: 'json' });
  const parsed = JSON.parse(json.output);
  // the same diagnostics; lint() adds each fix's text edits, which the CLI's JSON leaves out
  const linted = cc.lint(seed, { positionEncoding: 'utf8' }).diagnostics;
  assert.ok(linted.some((d) => d.fix?.edits.length > 0));
  const withoutEdits = linted.map((d) => (d.fix ? { ...d, fix: { ...d.fix, edits: undefined } } : d));
  assert.deepEqual(JSON.parse(JSON.stringify(withoutEdits)), parsed.files[0].diagnostics);
  assert.equal(json.errors, parsed.summary.errors > 0);
  const text = cc.report([{ path: 'examples/seed.yaml', text: seed }]);
  assert.match(text.output, /^examples\/seed\.yaml:\d+:\d+: CC\d{3} \[/m);
  const sarif = JSON.parse(cc.report([{ path: 'a.yaml', text: seed }], { format: 'sarif' }).output);
  assert.equal(sarif.version, '2.1.0');
  assert.match(cc.diff('a.yaml', 'a: 1\n', 'a: 2\n'), /^-a: 1$/m);
});

test('the browser build gives the same results as the Node build', async () => {
  await cc.init();
  const web = await import('../index.js');
  await web.init(readFileSync(new URL('../dist/web/claimcheck_bg.wasm', import.meta.url)));
  assert.deepEqual(web.lint(seed), cc.lint(seed));
  assert.deepEqual(web.fix(seed, { unsafeFixes: true }), cc.fix(seed, { unsafeFixes: true }));
  assert.deepEqual(web.rules(), cc.rules());
});

test('the entries export the same functions (index.js, node.js, node.cjs, index.d.ts)', async () => {
  // ES modules name their exports statically, so each entry lists them; this holds the lists together
  const web = await import('../index.js');
  const cjs = createRequire(import.meta.url)('../node.cjs');
  const names = (m) => Object.keys(m).filter((k) => k !== 'default').sort();
  assert.deepEqual(names(web), names(cc));
  assert.deepEqual(names(cjs), names(cc));
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?function (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(declared)].sort(), names(cc));
});

test('the package resolves to the Node ESM entry by name', async () => {
  const self = await import('claimcheck');
  await self.init();
  assert.equal(self.lint, cc.lint);
});

test('review() of a body as bytes (reviewBytes, the webhook host\'s call) answers as review() of its decoded text', async () => {
  await cc.init();
  const engine = await import('../dist/node/claimcheck.js');
  const seedSts = JSON.parse(read('pkg/test/fixtures/seed-statefulset.json'));
  const body = (uid, object) =>
    `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":${uid},"kind":{"group":"apps","version":"v1","kind":"StatefulSet"},"operation":"CREATE","object":${object}}}`;
  const utf8 = new TextEncoder();
  const decoder = new TextDecoder();
  const answer = (f) => {
    try {
      return f();
    } catch (e) {
      return `${e.constructor.name}: ${e.message}`;
    }
  };
  // (a uid that the answer echoes: each invalid sequence shows there as U+FFFD)
  const raw = [
    [0xef, 0xbb, 0xbf],
    [0xff],
    [0xc3],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xc3, 0xa9],
  ];
  let state = 7;
  const next = (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  let cases = 0;
  for (const mode of ['validate', 'mutate']) {
    for (let i = 0; i < 60; i++) {
      const uid = [];
      for (let j = 0; j < 1 + next(4); j++) uid.push(...raw[next(raw.length)], 0x61 + next(26));
      const [head, tail] = body('"§"', JSON.stringify(seedSts)).split('§');
      const bom = i % 3 === 0 ? [0xef, 0xbb, 0xbf] : [];
      const bytes = Uint8Array.from([...bom, ...utf8.encode(head), ...uid, ...utf8.encode(tail)]);
      const viaBytes = answer(() => engine.reviewBytes(bytes, { mode }));
      const viaText = answer(() => engine.review(decoder.decode(bytes), { mode }));
      assert.equal(viaBytes, viaText, `bytes ${[...uid].map((b) => b.toString(16)).join(' ')}`);
      assert.match(viaBytes, /"uid":"/);
      cases++;
    }
  }
  assert.equal(cases, 120);
  // the API's review() of a large body (which goes in as bytes) and of a small one
  const big = body('"big-\ud800-é"', JSON.stringify({ ...seedSts, metadata: { ...seedSts.metadata, annotations: { a: 'x'.repeat(40000) } } }));
  for (const mode of ['validate', 'mutate']) {
    assert.deepEqual(cc.review(big, { mode }), JSON.parse(engine.review(big, { mode })));
  }
  assert.throws(() => cc.review(`\ufeff${big}`), { code: 'ERR_CLAIMCHECK_REVIEW' }, 'a body that begins with U+FEFF is not JSON');
});
