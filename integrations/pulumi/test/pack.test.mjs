// The policy pack on real Pulumi programs, run under Pulumi's own mocks (no cloud, no CLI):
// the seed as the Python program it came from and a JavaScript equivalent, and their corrected
// versions. Their resources' inputs, exactly as the SDKs send them, go to the pack through the
// Analyzer gRPC protocol (harness.cjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { startPack, urnOf, SECRET_SIG_KEY, SECRET_SIG, UNKNOWN } = require('./harness.cjs');

const here = path.dirname(fileURLToPath(import.meta.url));
const PACK = path.resolve(here, '..');
const PYTHON = process.env.CLAIMCHECK_PULUMI_PYTHON ?? path.join(PACK, '.venv/bin/python');

function capturePython(program) {
  assert.ok(existsSync(PYTHON), `no Python with pulumi at ${PYTHON}: run scripts/test-pulumi.sh`);
  const out = execFileSync(PYTHON, [path.join(here, 'capture.py'), path.join(here, 'programs', program)], {
    encoding: 'utf8',
  });
  return Object.defineProperty(JSON.parse(out), 'raw', { value: out });
}

function captureJs(program) {
  const out = execFileSync(process.execPath, [path.join(here, 'capture.cjs'), path.join(here, 'programs', program)], {
    encoding: 'utf8',
    cwd: PACK,
  });
  return JSON.parse(out);
}

// @pulumi/policy sends `<policy description>\n<violation>`; the violation starts with the code
const finding = (d) => d.message.split('\n').slice(1).join('\n');
const codes = (ds, level) =>
  [...new Set(ds.filter((d) => d.level === level).map((d) => finding(d).split(' ')[0]))].sort();
const find = (ds, code) => ds.find((d) => finding(d).startsWith(code));

const HINTS_ON = {
  'claimcheck-hints': { enforcementLevel: 'advisory' },
  'claimcheck-stack-hints': { enforcementLevel: 'advisory' },
};

let pack;
const programs = {};

before(async () => {
  programs.seedPython = capturePython('seed-python');
  programs.fixedPython = capturePython('fixed-python');
  programs.seedJs = captureJs('seed-js');
  programs.fixedJs = captureJs('fixed-js');
  pack = await startPack();
});

after(() => pack?.stop());

/** Resource policies on each resource, then the stack policies on all of them. */
async function run(resources) {
  const out = [];
  for (const r of resources) out.push(...(await pack.analyze(r)));
  out.push(...(await pack.analyzeStack(resources)));
  return out;
}

test('what the SDKs send: floats, no metadata, snake_case from Python', () => {
  const sts = programs.seedPython.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
  assert.equal(sts.inputs.metadata, undefined);
  assert.match(programs.seedPython.raw, /"replicas": 3\.0[,\s]/); // JSON.parse makes it 3, as Node does
  assert.match(programs.seedPython.raw, /"containerPort": 80\.0[,\s]/);
  assert.deepEqual(Object.keys(sts.inputs.spec.volumeClaimTemplates[0]).sort(), ['access_modes', 'resources']);
  const stsJs = programs.seedJs.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
  assert.deepEqual(Object.keys(stsJs.inputs.spec.volumeClaimTemplates[0]).sort(), ['accessModes', 'resources']);
});

test('the pack describes its policies', async () => {
  const info = await pack.info();
  const names = info.policiesList.map((p) => p.name).sort();
  assert.deepEqual(names, [
    'claimcheck-errors',
    'claimcheck-fix',
    'claimcheck-hints',
    'claimcheck-stack-errors',
    'claimcheck-stack-hints',
    'claimcheck-stack-warnings',
    'claimcheck-warnings',
  ]);
});

test('the seed (Python): CC201 and CC301 mandatory, CC003 for the snake_case field; hints off by default', async () => {
  await pack.configure({});
  const ds = await run(programs.seedPython);
  assert.deepEqual(codes(ds, 'mandatory'), ['CC003', 'CC201', 'CC301']);
  assert.deepEqual(codes(ds, 'advisory'), []);
  const cc003 = find(ds, 'CC003');
  assert.match(cc003.message, /at \/spec\/volumeClaimTemplates\/0\/access_modes: .*did you mean `accessModes`/);
  assert.match(cc003.message, /fix \(safe\)/);
  const cc301 = find(ds, 'CC301');
  assert.equal(cc301.urn, urnOf('kubernetes:apps/v1:StatefulSet', 'example-statefulset'));
  assert.match(finding(cc301), /^CC301 volume-mount-not-found at \/spec\/template\/spec\/containers\/0\/volumeMounts\/0\/name: /);
  // Pulumi names the StatefulSet itself: no CC006
  assert.ok(!find(ds, 'CC006'), JSON.stringify(ds, null, 1));
});

test('the seed (Python) with hints on: CC401 and CC407 advisory, on the right resources', async () => {
  await pack.configure(HINTS_ON);
  const ds = await run(programs.seedPython);
  assert.deepEqual(codes(ds, 'mandatory'), ['CC003', 'CC201', 'CC301']);
  assert.deepEqual(codes(ds, 'advisory'), ['CC401', 'CC407']);
  assert.equal(
    find(ds, 'CC407').urn,
    urnOf('kubernetes:core/v1:PersistentVolumeClaim', 'example-pvc'),
  );
  assert.equal(
    find(ds, 'CC401').urn,
    urnOf('kubernetes:apps/v1:StatefulSet', 'example-statefulset'),
  );
});

test('the seed (JavaScript): CC201 and CC301 mandatory, CC401 and CC407 advisory', async () => {
  await pack.configure(HINTS_ON);
  const ds = await run(programs.seedJs);
  assert.deepEqual(codes(ds, 'mandatory'), ['CC201', 'CC301']);
  assert.deepEqual(codes(ds, 'advisory'), ['CC401', 'CC407']);
});

test('the corrected programs yield nothing, hints included', async () => {
  await pack.configure(HINTS_ON);
  for (const p of [programs.fixedPython, programs.fixedJs]) {
    const ds = await run(p);
    assert.deepEqual(ds, []);
  }
});

test('configuration: ignore, severity and the Kubernetes version', async () => {
  await pack.configure({
    'claimcheck-errors': { ignore: ['CC3'], kubernetesVersion: '1.32' },
    'claimcheck-warnings': { severity: { CC201: 'warning' } },
  });
  const ds = await run(programs.seedJs);
  assert.deepEqual(codes(ds, 'mandatory'), ['CC201']);
  assert.match(finding(ds.find((d) => d.level === 'mandatory')), /Kubernetes 1\.32/);
  assert.deepEqual(codes(ds, 'advisory'), ['CC201']);
});

test('remediation (off by default) fixes the seed StatefulSet in one step; the result lints clean', async () => {
  const sts = programs.seedPython.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
  await pack.configure({});
  assert.equal(await pack.remediate(sts), null);
  await pack.configure({ 'claimcheck-fix': { enforcementLevel: 'remediate' } });
  const fixed = await pack.remediate(sts);
  assert.deepEqual(fixed.policies, ['claimcheck-fix']);
  assert.equal(fixed.properties.metadata, undefined, 'the name stays for Pulumi to choose');
  assert.deepEqual(fixed.properties.spec.volumeClaimTemplates, [
    {
      metadata: { name: 'data' },
      spec: { resources: { requests: { storage: '1Gi' } }, accessModes: ['ReadWriteOnce'] },
    },
  ]);
  assert.equal(fixed.properties.spec.replicas, 3);
  await pack.configure(HINTS_ON);
  const ds = await pack.analyze({ ...sts, inputs: fixed.properties });
  assert.deepEqual(ds, []);
  // the JavaScript seed too
  await pack.configure({ 'claimcheck-fix': { enforcementLevel: 'remediate' } });
  const stsJs = programs.seedJs.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
  const fixedJs = await pack.remediate(stsJs);
  await pack.configure({});
  assert.deepEqual(await pack.analyze({ ...stsJs, inputs: fixedJs.properties }), []);
});

test('values unknown during preview are skipped, not reported', async () => {
  await pack.configure(HINTS_ON);
  const sts = structuredClone(programs.fixedJs.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet'));
  // serviceName from another resource's output, a claim template name and a mount computed
  sts.inputs.spec.serviceName = UNKNOWN;
  sts.inputs.spec.volumeClaimTemplates[0].metadata.name = UNKNOWN;
  sts.inputs.spec.template.spec.containers[0].volumeMounts[0].name = UNKNOWN;
  const ds = await run([sts]);
  assert.deepEqual(ds, []);
  // a real mistake next to an unknown value is still reported
  const seed = structuredClone(programs.seedJs.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet'));
  seed.inputs.spec.serviceName = UNKNOWN;
  const ds2 = await pack.analyze(seed);
  assert.deepEqual(codes(ds2, 'mandatory'), ['CC201', 'CC301']);
  // remediation waits for the values
  await pack.configure({ 'claimcheck-fix': { enforcementLevel: 'remediate' } });
  assert.equal(await pack.remediate(seed), null);
});

test('secrets are never printed and stay secret through remediation', async () => {
  // the corrected Python program's spec is a secret (it holds a secret env value); break it
  const sts = structuredClone(programs.fixedPython.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet'));
  assert.equal(sts.inputs.spec[SECRET_SIG_KEY], SECRET_SIG);
  const spec = sts.inputs.spec.value;
  const secretValue = spec.template.spec.containers[0].env[0].value;
  const tpl = spec.volumeClaimTemplates[0];
  spec.volumeClaimTemplates[0] = tpl.spec; // the seed's mistake
  const toFix = structuredClone(sts);
  // the secret also names a mount that matches nothing: CC301 would quote it
  spec.template.spec.containers[0].volumeMounts.push({ name: secretValue, mountPath: '/secret' });
  spec.template.spec.containers[0].args = [`--password=${secretValue}`];
  await pack.configure(HINTS_ON);
  const ds = await run([sts]);
  assert.ok(codes(ds, 'mandatory').includes('CC201'), JSON.stringify(ds));
  const quoted = ds.filter((d) => /volumeMount `\*\*\*`/.test(d.message));
  assert.equal(quoted.length, 1, JSON.stringify(ds, null, 1));
  for (const d of ds) assert.ok(!d.message.includes(secretValue), d.message);
  await pack.configure({ 'claimcheck-fix': { enforcementLevel: 'remediate' } });
  const fixed = await pack.remediate(toFix);
  assert.equal(fixed.properties.spec[SECRET_SIG_KEY], SECRET_SIG, 'spec is still a secret');
  assert.deepEqual(fixed.properties.spec.value.volumeClaimTemplates[0].metadata, { name: 'data' });
  assert.ok(!pack.stderr().includes(secretValue));
});

test('List resources: each item is an object; Patch resources: only the value checks', async () => {
  await pack.configure({});
  const seed = programs.seedJs.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet');
  const list = {
    type: 'kubernetes:apps/v1:StatefulSetList',
    name: 'sets',
    inputs: { apiVersion: 'apps/v1', kind: 'StatefulSetList', items: [{ ...seed.inputs, metadata: { name: 'web' } }] },
  };
  const ds = await pack.analyze(list);
  assert.deepEqual(codes(ds, 'mandatory'), ['CC201', 'CC301']);
  assert.match(finding(find(ds, 'CC201')), / at \/items\/0\/spec\/volumeClaimTemplates\/0: /);
  // a server-side-apply patch: what it leaves out (selector, template, volumes) may be live
  const patch = {
    type: 'kubernetes:apps/v1:StatefulSetPatch',
    name: 'scale',
    inputs: {
      metadata: { name: 'web' },
      spec: {
        replicas: '3',
        template: { spec: { containers: [{ name: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/x' }] }] } },
      },
    },
  };
  const dp = await pack.analyze(patch);
  assert.deepEqual(codes(dp, 'mandatory'), ['CC004']);
  assert.match(finding(find(dp, 'CC004')), / at \/spec\/replicas: /);
});
