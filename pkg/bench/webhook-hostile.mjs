// Hostile AdmissionReviews near the webhook's 3 MiB body limit: how long each takes to answer
// in the Node host (a benchmark, not a test: it prints figures; issue 9's goal is under 250 ms).
//
//   node pkg/bench/webhook-hostile.mjs [--bytes 3000000] [--runs 3] [--no-webhook] [--json FILE]
//
// For each hostile body (wide labels, long names, many cross-referencing volumes and mounts,
// unknown fields, one key repeated, deep nesting):
//   1. in-process, through the npm API: review() in validate and mutate mode (best of --runs),
//      split into the part the host could avoid — JSON.parse of the body and the stringify of
//      the object (what review() does inside the module, in Rust) — and lint() of the object's
//      JSON text alone (the engine's parse and rules);
//   2. through `claimcheck webhook` over loopback HTTPS, one request at a time on a
//      keep-alive connection, with a review budget of 30 s (the longest allowed) so that the real time shows
//      (best of --runs, from the first byte sent to the last byte of the answer).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as cc from '../node.js';
import { makeCertificate } from '../test/helpers.mjs';

const PKG = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(PKG, 'bin', 'claimcheck.js');
const SEED = JSON.parse(readFileSync(join(PKG, 'test', 'fixtures', 'seed-statefulset.json'), 'utf8'));
const STS = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const PVC = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const BYTES = Math.min(Number(arg('--bytes', 3_000_000)), 3 * 1024 * 1024 - 4096);
const RUNS = Math.max(1, Math.min(Number(arg('--runs', 3)), 10));
const WEBHOOK = !process.argv.includes('--no-webhook');
const JSON_OUT = arg('--json', undefined);

const review = (uid, kind, objectText) =>
  `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"${uid}","kind":${JSON.stringify(kind)},"resource":{"group":"${kind.group}","version":"v1","resource":"${kind.kind.toLowerCase()}s"},"namespace":"default","operation":"CREATE","userInfo":{"username":"bench"},"object":${objectText},"dryRun":false}}`;

/** The largest n whose body stays within BYTES (bodies grow with n). */
function fit(make) {
  let lo = 1;
  let hi = 1;
  while (make(hi).length <= BYTES) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (make(mid).length <= BYTES) lo = mid;
    else hi = mid;
  }
  return make(lo);
}

const pvc = (metadata, spec) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec });

const HOSTILE = {
  'wide-labels': () =>
    fit((n) => {
      const labels = {};
      for (let i = 0; i < n; i++) labels[`k${i}`] = 'v';
      return review('wide-labels', PVC, pvc({ name: 'data', labels }, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
    }),
  'bad-labels': () =>
    fit((n) => {
      const labels = {};
      for (let i = 0; i < n; i++) labels[`-k${i}`] = 'v';
      return review('bad-labels', PVC, pvc({ name: 'data', labels }, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
    }),
  'long-names': () =>
    fit((n) => {
      const o = structuredClone(SEED);
      o.spec.serviceName = 's'.repeat(n);
      o.spec.template.spec.containers[0].volumeMounts[0].name = 'm'.repeat(n);
      o.spec.template.spec.volumes = [{ name: 'v'.repeat(n), emptyDir: {} }];
      return review('long-names', STS, JSON.stringify(o));
    }),
  'many-volumes': () =>
    fit((n) => {
      const o = structuredClone(SEED);
      o.spec.template.spec.containers[0].volumeMounts = Array.from({ length: n }, (_, i) => ({ name: `mount-${i}`, mountPath: `/m/${i}` }));
      o.spec.template.spec.volumes = Array.from({ length: n }, (_, i) => ({ name: `volume-${i}x`, emptyDir: {} }));
      return review('many-volumes', STS, JSON.stringify(o));
    }),
  'unknown-fields': () =>
    fit((n) => {
      const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
      for (let i = 0; i < n; i++) spec[`unknown${i}`] = i;
      return review('unknown-fields', PVC, pvc({ name: 'data' }, spec));
    }),
  'repeated-key': () =>
    fit((n) => review('repeated-key', PVC, `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","labels":{${'"k":"v",'.repeat(n)}"k":"v"}},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}`)),
  'deep-nesting': () =>
    fit((n) => review('deep-nesting', PVC, `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},"spec":{"x":${'['.repeat(n)}${']'.repeat(n)}}}`)),
};

const best = (f) => {
  let min = Infinity;
  let out;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    try {
      out = f();
    } catch (e) {
      out = e;
    }
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, out };
};

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

await cc.init();
const startLoad = load();
const rows = [];
const bodies = {};
for (const [name, make] of Object.entries(HOSTILE)) {
  const body = make();
  bodies[name] = body;
  const parse = best(() => JSON.parse(body));
  const object = parse.out.request.object;
  // (deep nesting: past JavaScript's own stack, so no split)
  const stringify = best(() => JSON.stringify(object, null, 2));
  const objectText = typeof stringify.out === 'string' ? stringify.out : null;
  const lint = objectText ? best(() => cc.lint(objectText)) : { ms: NaN };
  const validate = best(() => cc.review(body, { mode: 'validate' }));
  const mutate = best(() => cc.review(body, { mode: 'mutate' }));
  const outcome = (r) => (r instanceof Error ? `error: ${r.message.slice(0, 60)}` : r.response.allowed ? (r.response.patch ? 'patched' : 'allowed') : 'denied');
  rows.push({
    name,
    bytes: body.length,
    node: {
      validateMs: validate.ms,
      mutateMs: mutate.ms,
      lintObjectMs: lint.ms,
      jsonParseMs: parse.ms,
      jsonStringifyMs: stringify.ms,
      validate: outcome(validate.out),
      mutate: outcome(mutate.out),
    },
  });
  console.log(
    `${name.padEnd(15)} ${String(body.length).padStart(8)} B  review() validate ${fmt(validate.ms)} (${outcome(validate.out)}), mutate ${fmt(mutate.ms)} (${outcome(mutate.out)}); lint() of the object alone ${fmt(lint.ms)}; JS JSON.parse ${fmt(parse.ms)}, stringify ${fmt(stringify.ms)}`,
  );
}

async function throughWebhook() {
  const dir = mkdtempSync(join(tmpdir(), 'claimcheck-webhook-hostile-'));
  const { cert, key, ca } = makeCertificate(dir);
  const logFile = join(dir, 'host.log');
  const logFd = openSync(logFile, 'w');
  const host = spawn(
    process.execPath,
    [CLI, 'webhook', '--tls-cert', cert, '--tls-key', key, '--host', '127.0.0.1', '--port', '0', '--workers', '1', '--review-timeout', '30s'],
    { stdio: ['ignore', logFd, 'inherit'] },
  );
  closeSync(logFd);
  const exit = once(host, 'exit');
  try {
    let port;
    const deadline = Date.now() + 20_000;
    while (!port && Date.now() < deadline) {
      const line = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === 'listening');
      port = line?.port;
      if (!port) await new Promise((r) => setTimeout(r, 50));
    }
    if (!port) throw new Error('the host did not start');
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
    const post = (path, body) =>
      new Promise((resolve, reject) => {
        const t = performance.now();
        const req = https.request({ host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t }));
        });
        req.on('error', reject);
        req.end(body);
      });
    for (const row of rows) {
      const body = bodies[row.name];
      row.webhook = {};
      for (const path of ['/validate', '/mutate']) {
        let min = Infinity;
        let status;
        for (let i = 0; i < RUNS; i++) {
          const r = await post(path, body);
          min = Math.min(min, r.ms);
          status = r.status;
        }
        row.webhook[`${path.slice(1)}Ms`] = min;
        row.webhook[`${path.slice(1)}Status`] = status;
      }
      console.log(`${row.name.padEnd(15)} webhook /validate ${fmt(row.webhook.validateMs)} (HTTP ${row.webhook.validateStatus}), /mutate ${fmt(row.webhook.mutateMs)} (HTTP ${row.webhook.mutateStatus})`);
    }
    agent.destroy();
  } finally {
    host.kill('SIGTERM');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (WEBHOOK) await throughWebhook();
const result = { node: process.version, date: new Date().toISOString(), bytes: BYTES, runs: RUNS, loadavg: { start: startLoad, end: load() }, rows };
console.log(`load average ${startLoad} → ${result.loadavg.end}`);
if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);
