// The plugin with the real cdk8s CLI: `cdk8s synth` on a small cdk8s-plus-33 app, broken and
// corrected (test/app; `npm install` there first, see scripts/test-pulumi-cdk8s.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app');
const CDK8S = path.join(APP, 'node_modules/.bin/cdk8s');

function synth(env, ...args) {
  rmSync(path.join(APP, 'dist'), { recursive: true, force: true });
  rmSync(path.join(APP, 'report.json'), { force: true });
  const r = spawnSync(CDK8S, ['synth', '--no-check-upgrade', '--validation-reports-output-file', 'report.json', ...args], {
    cwd: APP,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  let report = null;
  try {
    report = JSON.parse(readFileSync(path.join(APP, 'report.json'), 'utf8'));
  } catch {
    // no report written
  }
  return { status: r.status, out: r.stdout + r.stderr, report };
}

test('the broken app: synth fails and prints the findings per manifest and resource', () => {
  const { status, out, report } = synth({ CLAIMCHECK_APP: 'broken' });
  assert.notEqual(status, 0, out);
  assert.match(out, /Validation failed/);
  assert.match(out, /CC301 volume-mount-not-found/);
  const violations = report.reports[0].violations;
  const rules = violations.map((v) => v.ruleName.split(' ')[0]);
  assert.ok(rules.includes('CC301'), rules.join());
  assert.ok(rules.includes('CC202'), rules.join()); // cdk8s drops the bare spec's fields: `- {}`
  assert.ok(rules.includes('CC407'), rules.join()); // the standalone PVC nothing uses
  const cc301 = violations.find((v) => v.ruleName.startsWith('CC301'));
  assert.equal(cc301.violatingConstructs[0].resourceName, 'web');
  assert.equal(cc301.violatingConstructs[0].constructPath, 'web/sts/Resource');
  assert.match(cc301.violatingConstructs[0].manifestPath, /web\.k8s\.yaml$/);
  assert.match(cc301.violatingConstructs[0].locations[0], /^\/spec\/template\/spec\/containers\/0\/volumeMounts\/0\/name \(line \d+, column \d+\)$/);
  assert.equal(report.reports[0].summary.status, 'failure');
});

test('the corrected app synthesises cleanly', () => {
  const { status, out, report } = synth({});
  assert.doesNotMatch(out, /http error|new version/); // nothing fetched at run time
  assert.equal(status, 0, out);
  assert.match(out, /Validations ended succesfully/);
  assert.deepEqual(report.reports[0].violations, []);
  assert.equal(report.reports[0].summary.status, 'success');
});

test('--no-validate skips the plugin', () => {
  const { status } = synth({ CLAIMCHECK_APP: 'broken' }, '--no-validate');
  assert.equal(status, 0);
});
