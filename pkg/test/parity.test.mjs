// The package's API against the native CLI, as a smoke test: the command line itself is one
// implementation (src/cli/, tests in cli.test.mjs), and byte-for-byte equality on the whole
// corpus and the conformance cases was recorded when the two CLIs became one. Here: every
// rule fixture and example through lint()/fix()/report() equals the native binary's JSON,
// fixed text and exit status. The native binary comes from $CLAIMCHECK_NATIVE
// (scripts/test-wasm.sh builds it in the same run).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import * as cc from '../node.js';
import { nativeBinary, read, runNative, yamlFiles } from './helpers.mjs';

const skip = nativeBinary() ? false : 'no native binary: set CLAIMCHECK_NATIVE';

before(() => cc.init());

/** A lint() result without the fixes' text edits, which the CLI's JSON leaves out. */
function withoutEdits(diagnostics) {
  return diagnostics.map((d) => {
    if (!d.fix) return d;
    const { edits, ...fix } = d.fix;
    assert.ok(Array.isArray(edits), `${d.code}: a fix without edits`);
    return { ...d, fix };
  });
}

test('lint(), fix() and report() equal the native CLI on the fixtures and examples', { skip }, () => {
  const files = [...yamlFiles('tests/fixtures'), ...yamlFiles('examples')];
  for (const rel of files) {
    const text = read(rel);
    const native = runNative(['check', '--format', 'json', rel]);
    assert.notEqual(native.status, 2, `native failed on ${rel}: ${native.stderr}`);
    const parsed = JSON.parse(native.stdout);
    const api = cc.lint(text, { positionEncoding: 'utf8' });
    assert.deepEqual(withoutEdits(api.diagnostics), parsed.files[0].diagnostics, `lint() of ${rel}`);
    assert.deepEqual(api.summary, parsed.summary, `summary of ${rel}`);
    const report = cc.report([{ path: rel, text }], { format: 'json' });
    assert.equal(report.output, native.stdout, `report() of ${rel}`);
    assert.equal(report.errors ? 1 : 0, native.status, `exit status of ${rel}`);
    const nativeFix = runNative(['fix', '--stdout', '--unsafe-fixes', rel]);
    const fixed = cc.fix(text, { unsafeFixes: true });
    assert.equal(fixed.output, nativeFix.stdout, `fixed text of ${rel}`);
    const applied = nativeFix.stderr.split('\n').filter((l) => l.includes(': fixed ')).length;
    assert.equal(fixed.applied.length, applied, `fixes applied to ${rel}`);
  }
  assert.ok(files.length > 50, `${files.length} files`);
});
