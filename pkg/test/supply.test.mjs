// Supply chain: the npm package has no runtime dependencies and runs nothing at install time.
// Installing claimcheck must not pull in other packages' code or execute any script.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const dir = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', dir)));

test('the package declares no runtime dependencies', () => {
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
    const deps = manifest[field];
    assert.ok(
      deps === undefined || (typeof deps === 'object' && Object.keys(deps).length === 0) || (Array.isArray(deps) && deps.length === 0),
      `${field}: ${JSON.stringify(deps)}`,
    );
  }
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', dir)));
  const root = lock.packages?.[''] ?? {};
  assert.equal(root.dependencies, undefined, 'package-lock.json lists runtime dependencies');
  // everything else in the lock file is a development dependency
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path !== '') assert.ok(entry.dev === true || entry.devOptional === true, `${path} is not dev-only`);
  }
});

test('the package runs no script when it is installed', () => {
  const hooks = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
  for (const hook of hooks) {
    assert.equal(manifest.scripts?.[hook], undefined, `scripts.${hook}`);
  }
  // npm also runs `node-gyp rebuild` when the package holds a binding.gyp
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }),
  );
  const files = packed[0].files.map((f) => f.path);
  assert.ok(files.includes('package.json'), files.join(', '));
  assert.ok(!files.some((f) => f.endsWith('binding.gyp')), files.join(', '));
  assert.ok(!files.some((f) => f.startsWith('node_modules/')), files.join(', '));
});
