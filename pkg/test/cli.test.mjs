// The two hosts of the one command line (src/cli/): the Node CLI (bin/claimcheck.js, through
// `runCli` in the WebAssembly module) against the native binary — same output, same exit
// status — and what only a host does: bounded reads, atomic writes, `--help` without the
// module.
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as cc from '../node.js';
import { HELP, VERSION } from '../lib/usage.js';
import { CLI, conformanceCases, nativeBinary, read, ROOT, run, runNative, runNode } from './helpers.mjs';

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

  test('fix --old applies only the fixes an update allows, and preExisting is in the JSON', () => {
    // tests/ratchet: the live StatefulSet has a broken claim template (CC201, its fix rewrites
    // the immutable claim templates); the update also sets restartPolicy: OnFailure (CC107)
    const live = read('tests/ratchet/live.yaml');
    const update = read('tests/ratchet/image-bump.yaml').replace(
      '      containers:\n',
      '      restartPolicy: OnFailure\n      containers:\n',
    );
    writeFileSync(join(dir, 'live.yaml'), live);
    writeFileSync(join(dir, 'update.yaml'), update);
    const w = same(['fix', '--old', 'live.yaml', '--stdout', 'update.yaml'], { cwd: dir, stderr: true });
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /fixed CC107/);
    assert.doesNotMatch(w.stdout, /OnFailure/);
    const templates = (t) => t.slice(t.indexOf('  volumeClaimTemplates:'));
    assert.equal(templates(w.stdout), templates(update));
    same(['fix', '--old', 'live.yaml', '--unsafe-fixes', '--diff', 'update.yaml'], { cwd: dir, stderr: true });
    const checked = same(['check', '--format', 'json', '--old', 'live.yaml', 'update.yaml'], { cwd: dir });
    const found = JSON.parse(checked.stdout).files[0].diagnostics;
    assert.ok(found.some((d) => d.code === 'CC201' && d.preExisting === true), checked.stdout);
    assert.ok(found.some((d) => d.code === 'CC107' && d.preExisting === undefined), checked.stdout);
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
    same(['rules', '--format', 'markdown']);
  });

  test('--help and --version: the same text, and lib/usage.js is what the module prints', async () => {
    same(['--help'], { stderr: true });
    same(['check', '-h'], { stderr: true });
    same([], { stderr: true });
    same(['-V'], { stderr: true });
    await cc.init();
    const capture = (argv) => {
      let out = '';
      const status = cc.runCli(argv, { stdout: (t) => (out += t), stderr: () => {}, isTty: () => false });
      return { out, status };
    };
    assert.deepEqual(capture(['--help']), { out: HELP, status: 0 });
    assert.deepEqual(capture(['--version']), { out: VERSION, status: 0 });
    assert.equal(VERSION, `claimcheck ${cc.version()}\n`);
    assert.match(HELP, new RegExp(`supported: ${cc.about().kubernetesVersions[0]} to `));
  });

  test('rule selection: --select, --extend-select, --ignore with codes, names, prefixes', () => {
    const all = [seed, ...fixtures];
    for (const args of [
      ['--select', 'CC3'],
      ['--select', 'volume-mount-not-found,CC201'],
      ['--select=cc2', '--extend-select', 'volume-mount-not-found'],
      ['--select', 'CC4', '--select', 'template-is-bare-spec'],
      ['--select', 'CC30', '--extend-select', 'CC20,CC407'],
      ['--ignore', 'CC3'],
      ['--ignore', 'volume-mount-not-found', '--disable', 'CC2'],
      ['--select', 'ALL', '--ignore', 'cc30', '--extend-select', 'CC301'],
      ['--disable', ' CC301 , ,CC201'],
      ['--select', 'CC3', '--ignore', 'CC3', '--extend-select', 'CC301'],
    ]) {
      same(['check', '--format', 'json', ...args, ...all]);
    }
    same(['check', '--select', 'CC2', ...all]);
    same(['fix', '--stdout', '--unsafe-fixes', '--ignore', 'CC301', ...all], { stderr: true });
    same(['fix', '--diff', '--select', 'template-is-bare-spec', ...all], { stderr: true });
    // the selection takes effect (not merely ignored by both)
    const only4 = JSON.parse(
      runNode(['check', '--format', 'json', '--select', 'CC4', seed]).stdout,
    );
    const codes = only4.files.flatMap((f) => f.diagnostics.map((d) => d.code));
    assert.ok(codes.length > 0 && codes.every((c) => c.startsWith('CC4')), codes.join(' '));
  });

  test('--severity with codes, names and prefixes; the later flag wins', () => {
    const all = [seed, ...fixtures];
    for (const args of [
      ['--severity', 'CC3=hint'],
      ['--severity', 'volume-mount-not-found=warning', '--severity', 'CC4=error'],
      ['--severity', 'CC301=hint', '--severity', 'CC301=error'],
      ['--severity', ' CC2 = info ', '--select', 'CC2'],
      ['--severity=CC301=warn', '--ignore', 'CC201'],
    ]) {
      same(['check', '--format', 'json', ...args, ...all]);
      same(['check', ...args, ...all]);
    }
  });

  test('usage and I/O failures exit with 2 and the same message', () => {
    for (const args of [
      ['check', 'no-such-file.yaml'],
      ['check', '--format', 'xml', seed],
      ['check', '--format', 'markdown', seed],
      ['rules', '--format', 'sarif'],
      ['check', '--kubernetes-version', '1.20', seed],
      ['check', '--kubernetes-version', 'latest', seed],
      ['check', '--kubernetes-version', '1.20', '--bogus', seed],
      ['check', '--disable', 'CC999', seed],
      ['check', '--ignore', 'CC9', seed],
      ['check', '--select', 'volume-mount-not-fond', seed],
      ['check', '--extend-select', 'CC301,cc3O2', seed],
      ['check', '--select', ',', seed],
      ['check', '--select'],
      ['check', '--severity', 'CC301', seed],
      ['check', '--severity', 'CC301=loud', seed],
      ['check', '--severity', 'volume-mount-not-fond=error', seed],
      ['check', '--severity', 'ALL= fatal ', seed],
      ['check', '--position-encoding', 'latin1', seed],
      ['check', '--config', 'no-such-claimcheck.toml', seed],
      ['check', '--config', 'examples', seed],
      ['fix', '--config', 'no-such-claimcheck.toml', seed],
      ['check', '--config'],
      ['check', '--bogus', seed],
      ['check', '--format'],
      ['lint', seed],
      ['lint', '--ignore', 'CC999', seed],
    ]) {
      const w = same(args, { stderr: true });
      assert.equal(w.status, 2, args.join(' '));
    }
    // an unknown rule: the native message, with the nearest rule
    const typo = runNode(['check', '--select', 'volume-mount-not-fond', seed]);
    assert.match(typo.stderr, /^claimcheck: --select: unknown rule `volume-mount-not-fond`/);
    assert.match(typo.stderr, /did you mean `volume-mount-not-found`\?/);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    same(['check', 'latin1.yaml'], { stderr: true, cwd: dir });
    assert.equal(runNode([]).status, 2);
    assert.equal(runNode(['--help']).status, 0);
  });

  test('--version', () => {
    same(['--version']);
  });
});

/** Writes `files` ({ relative path: text }) under a new directory in `dir`; returns it. */
function tree(name, files) {
  const root = join(dir, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('configuration (node CLI = native CLI)', { skip }, () => {
  const manifest = () => read(seed);
  // proj/claimcheck.toml governs a.yaml and other/c.yaml; proj/team/claimcheck.toml governs
  // team/apps/b.yaml (nearest wins); plain/d.yaml has no configuration.
  const layout = () => ({
    'proj/claimcheck.toml': [
      '# the project',
      'kubernetes-version = "1.32"',
      '[rules]',
      'select = ["CC3", "template-is-bare-spec", "CC4"]',
      'ignore = ["CC401"]',
      '[rules.severity]',
      'volume-mount-not-found = "warning"',
      '',
    ].join('\n'),
    'proj/team/claimcheck.toml':
      'unsafe-fixes = true\n[rules]\nextend-select = ["CC2"]\ndisable = ["CC407"]\n',
    'proj/a.yaml': manifest(),
    'proj/other/c.yaml': manifest(),
    'proj/team/apps/b.yaml': manifest(),
    // a mount name with a typo: only the unsafe fix corrects it
    'proj/team/apps/u.yaml': read(fixtures[0]),
    'plain/d.yaml': manifest(),
  });

  test('check: the nearest file of each input; inputs grouped by file', () => {
    const root = tree('discover', layout());
    const cwd = join(root, 'proj');
    const inputs = ['a.yaml', 'team/apps/b.yaml', 'other/c.yaml', '../plain/d.yaml'];
    for (const format of ['text', 'json', 'sarif']) {
      same(['check', '--format', format, ...inputs], { cwd, stderr: true });
    }
    same(['check', 'team/../a.yaml', './team//apps/b.yaml', join(root, 'plain/d.yaml')], { cwd });
    same(['check', '--format', 'json', 'apps/b.yaml', '../a.yaml'], { cwd: join(cwd, 'team') });
    // standard input: the current directory's file
    same(['check', '--format', 'json', '-'], { input: manifest(), cwd: join(cwd, 'team', 'apps') });
    same(['check', '--format', 'json'], { input: manifest(), cwd: join(root, 'plain') });
    // flags over the file
    const over = ['--extend-select', 'CC401', '--severity', 'CC3=error'];
    same(['check', '--format', 'json', ...over, ...inputs], { cwd });
    same(['check', '--select', 'CC2', '--kubernetes-version', '1.35', ...inputs], { cwd });
    // the files take effect
    const w = runNode(['check', '--format', 'json', 'a.yaml'], { cwd });
    const plain = runNode(['check', '--format', 'json', '--no-config', 'a.yaml'], { cwd });
    assert.notEqual(w.stdout, plain.stdout);
    const codes = JSON.parse(w.stdout).files[0].diagnostics.map((d) => `${d.code}:${d.severity}`);
    assert.ok(codes.includes('CC301:warning') && !codes.some((c) => c.startsWith('CC401')), codes);
  });

  test('fix and normalize: the configuration of each file', () => {
    const root = tree('fixing', layout());
    const cwd = join(root, 'proj');
    const inputs = ['a.yaml', 'team/apps/b.yaml', 'team/apps/u.yaml', '../plain/d.yaml'];
    same(['fix', '--stdout', ...inputs], { cwd, stderr: true });
    same(['fix', '--diff', '--no-unsafe-fixes', ...inputs], { cwd, stderr: true });
    same(['fix', '--stdout', '--no-config', ...inputs], { cwd, stderr: true });
    same(['fix', '-'], { input: manifest(), cwd: join(cwd, 'team'), stderr: true });
    // the team's file asks for unsafe fixes: normalize still applies only safe ones
    same(['normalize', '--stdout', ...inputs], { cwd, stderr: true });
    // in place
    writeFileSync(join(cwd, 'team/apps/n.yaml'), read(fixtures[0]));
    writeFileSync(join(cwd, 'team/apps/w.yaml'), read(fixtures[0]));
    const n = runNative(['fix', 'team/apps/n.yaml'], { cwd });
    const w = runNode(['fix', 'team/apps/w.yaml'], { cwd });
    assert.equal(w.status, n.status, w.stderr);
    const fixed = readFileSync(join(cwd, 'team/apps/w.yaml'), 'utf8');
    assert.equal(fixed, readFileSync(join(cwd, 'team/apps/n.yaml'), 'utf8'));
    // unsafe fixes applied (from the file) compared with the safe ones alone
    const safe = runNode(['fix', '--stdout', '--no-unsafe-fixes', 'team/apps/u.yaml'], { cwd });
    assert.notEqual(fixed, safe.stdout);
  });

  test('--config FILE instead of the nearest file; --no-config', () => {
    const root = tree('explicit', layout());
    const cwd = join(root, 'proj');
    const inputs = ['a.yaml', 'team/apps/b.yaml', '../plain/d.yaml'];
    same(['check', '--format', 'json', '--config', 'team/claimcheck.toml', ...inputs], { cwd });
    same(['check', `--config=${join(root, 'proj/claimcheck.toml')}`, ...inputs], { cwd: root });
    same(['fix', '--stdout', '--config', 'claimcheck.toml', ...inputs], { cwd, stderr: true });
    same(['check', '--format', 'json', '--no-config', ...inputs], { cwd });
    same(['check', '--config', 'claimcheck.toml', '--no-config', ...inputs], { cwd });
    same(['check', '--no-config', '--config', 'team/claimcheck.toml', ...inputs], { cwd });
  });

  test('an invalid claimcheck.toml: the same message, exit status 2', () => {
    const configs = [
      '[rules]\ndisabled = ["CC401"]\n',
      'colour = true\n',
      '[rules]\ndisable = [\n  "CC401",\n  "CC499",\n]\n',
      '[rules]\nselect = ["volume-mount-not-fond"]\n',
      '[rules.severity]\nCC999 = "error"\n',
      '[rules.severity]\nCC401 = "fatal"\n',
      'kubernetes-version = 1.30\n',
      'kubernetes-version = "1.99"\n',
      'unsafe-fixes = "yes"\n',
      '[rules\n',
      'a = 1\na = 2\n',
    ];
    configs.forEach((config, i) => {
      const root = tree(`bad${i}`, { 'claimcheck.toml': config, 's.yaml': manifest() });
      for (const cwd of [root, dir]) {
        const f = cwd === root ? 's.yaml' : `bad${i}/s.yaml`;
        const w = same(['check', f], { cwd, stderr: true });
        assert.equal(w.status, 2, config);
        assert.match(w.stderr, /^claimcheck: \S*claimcheck\.toml/, config);
        same(['fix', f], { cwd, stderr: true });
        assert.equal(readFileSync(join(root, 's.yaml'), 'utf8'), manifest(), 'left untouched');
      }
      const explicit = join(dir, `bad${i}.toml`);
      writeFileSync(explicit, config);
      same(['check', '--config', `bad${i}.toml`, join(ROOT, seed)], { cwd: dir, stderr: true });
      same(['check', '--config', explicit, seed], { stderr: true });
    });
    writeFileSync(join(dir, 'latin1.toml'), Buffer.from([0x23, 0xe9, 0x0a]));
    same(['check', '--config', join(dir, 'latin1.toml'), seed], { stderr: true });
    // a bad file for a later input: the earlier ones are fixed and written, as natively
    const root = tree('mixed', {
      'ok/s.yaml': manifest(),
      'bad/claimcheck.toml': '[rules\n',
      'bad/s.yaml': manifest(),
    });
    same(['check', 'ok/s.yaml', 'bad/s.yaml'], { cwd: root, stderr: true });
    same(['fix', '--stdout', 'ok/s.yaml', 'bad/s.yaml'], { cwd: root, stderr: true });
  });
});

describe('the hosts: globs, bounded reads, atomic writes', () => {
  test('glob patterns are expanded by the one command line, on both hosts', { skip }, () => {
    const files = ['tests/fixtures/CC001/invalid.yaml', 'tests/fixtures/CC001/valid.yaml'];
    const n = runNative(['check', '--format', 'json', ...files]);
    const w = same(['check', '--format', 'json', 'tests/fixtures/CC00[1]/*.yaml']);
    assert.equal(w.stdout, n.stdout);
    const deep = same(['check', '--format', 'json', 'tests/fixtures/**/valid.yaml']);
    const paths = JSON.parse(deep.stdout).files.map((f) => f.path);
    assert.ok(paths.length >= 10 && paths.every((p) => p.endsWith('/valid.yaml')));
    assert.equal(same(['check', 'tests/nothing/*.yaml'], { stderr: true }).status, 2);
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

  test('an endless input is refused after the limit, in bounded memory', () => {
    // the child reports its peak memory when it exits
    const report = "process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";
    for (const args of ['check /dev/zero', 'fix - < /dev/zero']) {
      const node = `"${process.execPath}" --import "data:text/javascript,${report}" "${CLI}"`;
      const r = run('sh', ['-c', `exec ${node} ${args}`]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /larger than the input limit of 16777216 bytes/);
      const kib = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]);
      assert.ok(kib > 0 && kib < 400 * 1024, `peak memory ${kib} KiB`);
    }
  });

  test('fix in place: through symbolic links, permissions kept, no temporary file left', () => {
    const d = mkdtempSync(join(dir, 'atomic-'));
    writeFileSync(join(d, 'real.yaml'), read(seed));
    chmodSync(join(d, 'real.yaml'), 0o640);
    symlinkSync('real.yaml', join(d, 'link.yaml'));
    const r = runNode(['fix', 'link.yaml'], { cwd: d });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /1 fix applied/);
    assert.ok(lstatSync(join(d, 'link.yaml')).isSymbolicLink());
    assert.equal(readFileSync(join(d, 'real.yaml'), 'utf8'), runNode(['fix', '--stdout', seed]).stdout);
    assert.equal(statSync(join(d, 'real.yaml')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(d).sort(), ['link.yaml', 'real.yaml']);
  });

  test('read-only files and directories: the native message, exit 2, nothing written', { skip }, () => {
    const d = mkdtempSync(join(dir, 'readonly-'));
    writeFileSync(join(d, 'ro.yaml'), read(seed));
    chmodSync(join(d, 'ro.yaml'), 0o444);
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 's.yaml'), read(seed));
    chmodSync(join(d, 'sub'), 0o555);
    try {
      for (const f of ['ro.yaml', 'sub/s.yaml']) {
        const w = same(['fix', f], { cwd: d, stderr: true });
        assert.equal(w.status, 2);
        assert.match(w.stderr, /read-only/);
        assert.match(w.stderr, /nothing was written \(1 fix not applied\)/);
        assert.doesNotMatch(w.stderr, /fix applied/);
        assert.equal(readFileSync(join(d, f), 'utf8'), read(seed));
      }
    } finally {
      chmodSync(join(d, 'sub'), 0o755);
    }
  });
});
