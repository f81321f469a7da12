// The Node CLI (bin/claimcheck.js) against the native CLI: same output, same exit status.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { conformanceCases, nativeBinary, read, ROOT, runNative, runNode } from './helpers.mjs';

const skip = nativeBinary() ? false : 'no native binary: set CLAIMCHECK_NATIVE';
const seed = 'examples/seed.yaml';
const fixtures = ['tests/fixtures/CC301/invalid.yaml', 'tests/fixtures/CC201/invalid_flow.yaml'];

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'claimcheck-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function same(args, { input, stderr = false, cwd } = {}) {
  const n = runNative(args, { input, cwd });
  const w = runNode(args, { input, cwd });
  const what = `claimcheck ${args.join(' ')}`;
  assert.equal(w.stdout, n.stdout, `stdout of ${what}`);
  assert.equal(w.status, n.status, `exit status of ${what}: ${w.stderr}`);
  if (stderr) assert.equal(w.stderr, n.stderr, `stderr of ${what}`);
  return w;
}

describe('node CLI = native CLI', { skip }, () => {
  test('check in every format', () => {
    for (const format of ['text', 'json', 'sarif']) {
      same(['check', '--format', format, seed]);
      same(['check', `--format=${format}`, ...fixtures]);
    }
    same(['check', '--format', 'json', '--position-encoding', 'utf16', seed]);
    same(['check', '--no-color', seed]);
  });

  test('check options: version, disabled rules, severities', () => {
    same(['check', '--kubernetes-version', '1.32', '--format', 'json', seed]);
    same(['check', '--kubernetes-version=1.34', seed]);
    same(['check', '--disable', 'CC301,CC201', seed]);
    same(['check', '--severity', 'CC301=warn', '--format', 'json', ...fixtures]);
    same(['check', '--severity', 'CC301=hint', '--disable', 'CC301', seed]);
  });

  test('check reads standard input', () => {
    const text = read(seed);
    same(['check', '-'], { input: text });
    same(['check', '--format', 'json'], { input: text });
  });

  test('check --old compares with the live version', () => {
    const c = conformanceCases().find((x) => typeof x.oldYaml === 'string');
    assert.ok(c, 'a conformance case with an old version');
    writeFileSync(join(dir, 'new.yaml'), c.yaml);
    writeFileSync(join(dir, 'old.yaml'), c.oldYaml);
    same(['check', '--format', 'json', '--old', 'old.yaml', 'new.yaml'], { cwd: dir });
  });

  test('fix: --stdout, --diff, --unsafe-fixes, in place, stdin', () => {
    same(['fix', '--stdout', seed], { stderr: true });
    same(['fix', '--diff', seed], { stderr: true });
    same(['fix', '--unsafe-fixes', '--stdout', seed, ...fixtures], { stderr: true });
    same(['fix', '-'], { input: read(seed), stderr: true });
    same(['normalize', '--stdout', seed], { stderr: true });
    same(['normalize', '--with-defaults', '--diff', seed, ...fixtures], { stderr: true });
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    copyFileSync(join(ROOT, seed), a);
    copyFileSync(join(ROOT, seed), b);
    const n = runNative(['fix', 'a.yaml'], { cwd: dir });
    const w = runNode(['fix', 'b.yaml'], { cwd: dir });
    assert.equal(w.status, n.status);
    assert.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'));
    assert.notEqual(readFileSync(b, 'utf8'), read(seed));
  });

  test('rules', () => {
    same(['rules']);
    same(['rules', '--format', 'json']);
  });

  test('usage and I/O failures exit with 2 and the same message', () => {
    for (const args of [
      ['check', 'no-such-file.yaml'],
      ['check', '--format', 'xml', seed],
      ['check', '--kubernetes-version', '1.20', seed],
      ['check', '--kubernetes-version', 'latest', seed],
      ['check', '--disable', 'CC999', seed],
      ['check', '--severity', 'CC301', seed],
      ['check', '--severity', 'CC301=loud', seed],
      ['check', '--position-encoding', 'latin1', seed],
      ['check', '--bogus', seed],
      ['check', '--format'],
      ['lint', seed],
    ]) {
      const w = same(args, { stderr: true });
      assert.equal(w.status, 2, args.join(' '));
    }
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    same(['check', 'latin1.yaml'], { stderr: true, cwd: dir });
    assert.equal(runNode([]).status, 2);
    assert.equal(runNode(['--help']).status, 0);
  });

  test('--version', () => {
    same(['--version']);
  });
});

describe('node CLI only', () => {
  test('expands glob patterns itself', { skip }, () => {
    const files = ['tests/fixtures/CC001/invalid.yaml', 'tests/fixtures/CC001/valid.yaml'];
    const n = runNative(['check', '--format', 'json', ...files]);
    const w = runNode(['check', '--format', 'json', 'tests/fixtures/CC00[1]/*.yaml']);
    assert.equal(w.stdout, n.stdout);
    const deep = runNode(['check', '--format', 'json', 'tests/fixtures/**/valid.yaml']);
    const paths = JSON.parse(deep.stdout).files.map((f) => f.path);
    assert.ok(paths.length >= 10 && paths.every((p) => p.endsWith('/valid.yaml')));
    assert.equal(runNode(['check', 'tests/nothing/*.yaml']).status, 2);
  });

  test('normalize writes the safe fixes, refuses unsafe ones', () => {
    const f = join(dir, 'n.yaml');
    copyFileSync(join(ROOT, seed), f);
    const r = runNode(['normalize', 'n.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /n\.yaml: fixed CC201 \(safe\)/);
    const out = runNode(['fix', '--stdout', seed]).stdout;
    assert.equal(readFileSync(f, 'utf8'), out);
    assert.equal(runNode(['normalize', '--unsafe-fixes', seed]).status, 2);
    const withDefaults = runNode(['normalize', '--with-defaults', '--stdout', seed]).stdout;
    assert.match(withDefaults, /podManagementPolicy: OrderedReady/);
    assert.match(withDefaults, /volumeMode: Filesystem/);
  });
});
