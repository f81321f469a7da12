// The WebAssembly build must give exactly the native CLI's results: on every rule fixture,
// the examples, the real-world corpus and the conformance cases (Kubernetes 1.32), for
// `check` in all formats and for `fix`. The native binary comes from $CLAIMCHECK_NATIVE
// (scripts/test-wasm.sh builds it in the same run).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as cc from '../node.js';
import { conformanceCases, nativeBinary, read, runNative, yamlFiles } from './helpers.mjs';

const skip = nativeBinary() ? false : 'no native binary: set CLAIMCHECK_NATIVE';

before(() => cc.init());

/** `claimcheck check` through wasm: output and exit status. */
function wasmCheck(files, options) {
  const r = cc.report(files, options);
  return { stdout: r.output, status: r.errors ? 1 : 0 };
}

function compareCheck(rel, text, extraArgs = [], options = {}, cwd) {
  for (const format of ['json', ...(options.allFormats ? ['text', 'sarif'] : [])]) {
    const native = runNative(['check', '--format', format, ...extraArgs, rel], { cwd });
    assert.notEqual(native.status, 2, `native failed on ${rel}: ${native.stderr}`);
    const wasm = wasmCheck([{ path: rel, text }], {
      format,
      kubernetesVersion: options.kubernetesVersion,
      old: options.old,
    });
    assert.equal(wasm.stdout, native.stdout, `${format} report of ${rel}`);
    assert.equal(wasm.status, native.status, `exit status of ${rel}`);
    if (format === 'json') {
      // The API's lint() is the same contract, per file.
      const api = cc.lint(text, {
        positionEncoding: 'utf8',
        kubernetesVersion: options.kubernetesVersion,
        oldSource: options.old?.[0]?.text,
      });
      const parsed = JSON.parse(native.stdout);
      // lint()'s fixes also carry their text edits (for editors); the rest is the contract.
      const diagnostics = api.diagnostics.map((d) => {
        if (!d.fix) return d;
        const { edits: _edits, ...fix } = d.fix;
        return { ...d, fix };
      });
      assert.deepEqual(diagnostics, parsed.files[0].diagnostics, `lint() of ${rel}`);
      assert.deepEqual(api.summary, parsed.summary, `summary of ${rel}`);
    }
  }
}

function compareFix(rel, text, unsafe, kubernetesVersion, cwd) {
  const args = ['fix', '--stdout', ...(unsafe ? ['--unsafe-fixes'] : [])];
  if (kubernetesVersion) args.push('--kubernetes-version', kubernetesVersion);
  const native = runNative([...args, rel], { cwd });
  assert.notEqual(native.status, 2, `native fix failed on ${rel}: ${native.stderr}`);
  const r = cc.fix(text, { unsafeFixes: unsafe, kubernetesVersion });
  assert.equal(r.output, native.stdout, `fixed text of ${rel}${unsafe ? ' (unsafe)' : ''}`);
  const applied = native.stderr.split('\n').filter((l) => l.includes(': fixed ')).length;
  assert.equal(r.applied.length, applied, `number of fixes applied to ${rel}`);
  const hasErrors = r.remaining.some((d) => d.severity === 'error');
  assert.equal(hasErrors ? 1 : 0, native.status, `fix exit status of ${rel}`);
}

describe('same results as the native CLI', { skip }, () => {
  const local = [...yamlFiles('tests/fixtures'), ...yamlFiles('examples')];
  test(`rule fixtures and examples (${local.length} files, all formats, fixes)`, () => {
    for (const rel of local) {
      const text = read(rel);
      compareCheck(rel, text, [], { allFormats: true });
      compareFix(rel, text, false);
      compareFix(rel, text, true);
    }
  });

  const corpus = yamlFiles('tests/corpus');
  test(`real-world corpus (${corpus.length} files, json, fixes)`, () => {
    for (const rel of corpus) {
      const text = read(rel);
      compareCheck(rel, text);
      compareFix(rel, text, false);
      compareFix(rel, text, true);
    }
  });

  describe('conformance cases (Kubernetes 1.32)', () => {
    let dir;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'claimcheck-conformance-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const cases = conformanceCases();
    test(`${cases.length} cases, with their old versions`, () => {
      let rejected = 0;
      for (const c of cases) {
        const rel = `${c.id}.yaml`;
        writeFileSync(join(dir, rel), c.yaml);
        const extra = ['--kubernetes-version', '1.32'];
        let old;
        if (typeof c.oldYaml === 'string') {
          writeFileSync(join(dir, `${c.id}.old.yaml`), c.oldYaml);
          extra.push('--old', `${c.id}.old.yaml`);
          old = [{ path: `${c.id}.old.yaml`, text: c.oldYaml }];
        }
        compareCheck(rel, c.yaml, extra, { kubernetesVersion: '1.32', old }, dir);
        compareFix(rel, c.yaml, false, '1.32', dir);
        if (cc.report([{ path: rel, text: c.yaml }], { kubernetesVersion: '1.32', old }).errors) {
          rejected += 1;
        }
      }
      assert.ok(rejected > 0);
    });
  });
});
