// Hostile AdmissionReviews near the webhook's 3 MiB body limit: how long each takes to answer
// in the Node host (a benchmark, not a test: it prints figures; issue 9's goal is under 250 ms).
//
//   node pkg/bench/webhook-hostile.mjs [--bytes 3000000] [--runs 3] [--no-webhook] [--json FILE]
//        [--no-mixed | --mixed-only] [--sender-nice N] [--write DIR]
//
// For each hostile body (wide labels, long names, many cross-referencing volumes and mounts,
// wide labels on an object that mutate fixes, unknown fields, one key repeated, deep nesting):
//   1. in-process, through the npm API: review() in validate and mutate mode (best of --runs),
//      split into the part the host could avoid — JSON.parse of the body and the stringify of
//      the object (what review() does inside the module, in Rust) — and lint() of the object's
//      JSON text alone (the engine's parse and rules);
//   2. through `claimcheck webhook` over loopback HTTPS, one request at a time on a
//      keep-alive connection, with a review budget of 30 s (the longest allowed) so that the real time shows
//      (best of --runs, from the first byte sent to the last byte of the answer);
//   3. the mixed phase (see mixed() below); --sender-nice N runs its hostile sender thread at
//      niceness N, to see how much of the normal reviews' latency is the sender's own CPU.
// --write DIR writes the bodies as DIR/NAME.json and stops (for the native figures of the same
// bodies: `cargo bench --bench review -- DIR`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // the seed, whose safe fixes apply, with wide labels: mutate runs two rounds and the patch check
  'fixable-wide': () =>
    fit((n) => {
      const o = structuredClone(SEED);
      o.metadata.labels = {};
      for (let i = 0; i < n; i++) o.metadata.labels[`k${i}`] = 'v';
      return review('fixable-wide', STS, JSON.stringify(o));
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
const MIXED_ONLY = process.argv.includes('--mixed-only');
const WRITE = arg('--write', undefined);
for (const [name, make] of Object.entries(HOSTILE)) {
  const body = make();
  bodies[name] = body;
  if (WRITE) {
    mkdirSync(WRITE, { recursive: true });
    writeFileSync(join(WRITE, `${name}.json`), body);
    continue;
  }
  if (MIXED_ONLY) continue;
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

/**
 * Normal reviews next to hostile bodies, as the hostile phase of pkg/test/webhook.test.mjs
 * sends them (2 workers, a 1 s review budget; 100 seed reviews/s alone, then with two
 * connections sending the hostile bodies back to back, /healthz polled every 50 ms), measured
 * by the client and by the host itself (its log), with the CPU each host thread used and at
 * which priority (nice).
 */
async function mixed() {
  const dir = mkdtempSync(join(tmpdir(), 'claimcheck-webhook-mix-'));
  const { cert, key, ca } = makeCertificate(dir);
  const logFile = join(dir, 'host.log');
  const logFd = openSync(logFile, 'w');
  // WEBHOOK_LOAD_NODE_ARGS: extra node flags for the host (e.g. --trace-gc; WEBHOOK_LOAD_KEEP_LOG=FILE keeps its log)
  const nodeArgs = (process.env.WEBHOOK_LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const host = spawn(
    process.execPath,
    [...nodeArgs, CLI, 'webhook', '--tls-cert', cert, '--tls-key', key, '--host', '127.0.0.1', '--port', '0', '--workers', '2', '--review-timeout', '1s'],
    { stdio: ['ignore', logFd, 'inherit'] },
  );
  closeSync(logFd);
  const exit = once(host, 'exit');
  const lines = () => readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const threads = () => {
    const out = {};
    for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pid) !== host.pid && Number(f[1]) !== host.pid) continue;
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
          const g = t.slice(t.lastIndexOf(')') + 2).split(' ');
          const name = tid === pid ? 'main' : t.slice(t.indexOf('(') + 1, t.lastIndexOf(')'));
          const k = `${Number(pid) === host.pid ? 'primary' : 'worker'} ${name} (nice ${g[16]})`;
          out[k] = (out[k] ?? 0) + (Number(g[11]) + Number(g[12])) * 10;
        }
      } catch {
        // gone
      }
    }
    return out;
  };
  try {
    let port;
    for (const deadline = Date.now() + 20_000; !port && Date.now() < deadline; ) {
      port = lines().find((l) => l.msg === 'listening')?.port;
      if (!port) await new Promise((r) => setTimeout(r, 50));
    }
    const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca });
    const post = (path, body) =>
      new Promise((resolve) => {
        const t = performance.now();
        const req = https.request({ host: '127.0.0.1', port, method: path === '/healthz' ? 'GET' : 'POST', path, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t }));
        });
        req.on('error', (e) => resolve({ status: e.code, ms: performance.now() - t }));
        req.end(body);
      });
    const seed = (uid) => review(uid, STS, JSON.stringify(SEED));
    const steady = async (prefix, ms) => {
      const start = performance.now();
      const pending = [];
      for (let i = 0; i < ms / 10; i++) {
        const wait = start + i * 10 - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        pending.push(post('/validate', seed(`${prefix}-${i}`)));
      }
      return (await Promise.all(pending)).map((r) => r.ms);
    };
    const quantiles = (v) => {
      const s = [...v].sort((a, b) => a - b);
      const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
      return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.at(-1) };
    };
    const serverMs = (prefix) => lines().filter((l) => l.msg === 'request' && l.uid?.startsWith(`${prefix}-`)).map((l) => l.ms);
    await steady('warm', 500);
    const alone = await steady('alone', 2000);
    const before = threads();
    const { Worker } = await import('node:worker_threads');
    const bodies = ['wide-labels', 'long-names', 'many-volumes', 'deep-nesting'].map((n) => HOSTILE_BODIES[n]);
    const until = Date.now() + 4000;
    const sender = new Worker(new URL('./hostile-sender.cjs', import.meta.url), { workerData: { port, ca, bodies, until, nice: Number(arg('--sender-nice', 0)) } });
    const outcomes = once(sender, 'message');
    let probing = true;
    const probes = [];
    const probe = (async () => {
      const plain = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
      while (probing) {
        const t = performance.now();
        await new Promise((resolve) => {
          https.get({ host: '127.0.0.1', port, path: '/healthz', agent: plain }, (res) => {
            res.resume();
            res.on('end', resolve);
          }).on('error', resolve);
        });
        probes.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
      plain.destroy();
    })();
    const normal = await steady('normal', 4000);
    probing = false;
    await probe;
    const [hostile] = await outcomes;
    const after = threads();
    agent.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const cpu = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v > 0));
    const out = {
      alone: { client: quantiles(alone), host: quantiles(serverMs('alone')) },
      normal: { client: quantiles(normal), host: quantiles(serverMs('normal')) },
      healthz: quantiles(probes),
      hostile: hostile.map((o) => `${o.body}${o.path[1]}:${o.status}/${o.ms}ms`),
      cpuMsDuringHostile: cpu,
    };
    const q = (x) => `p50 ${x.p50.toFixed(2)} p99 ${x.p99.toFixed(2)} max ${x.max.toFixed(1)} ms (${x.n})`;
    console.log(`mixed: seed reviews alone — client ${q(out.alone.client)}; host ${q(out.alone.host)}`);
    console.log(`mixed: next to hostile    — client ${q(out.normal.client)}; host ${q(out.normal.host)}`);
    console.log(`mixed: /healthz ${q(out.healthz)}; hostile answers ${out.hostile.join(' ')}`);
    console.log(`mixed: host CPU during the hostile part (ms): ${Object.entries(cpu).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return out;
  } finally {
    host.kill('SIGTERM');
    await exit;
    if (process.env.WEBHOOK_LOAD_KEEP_LOG) writeFileSync(process.env.WEBHOOK_LOAD_KEEP_LOG, readFileSync(logFile));
    rmSync(dir, { recursive: true, force: true });
  }
}

const HOSTILE_BODIES = bodies;
let mix = null;
if (WRITE) {
  process.exit(0);
} else if (process.argv.includes('--mixed-only')) {
  mix = await mixed();
} else {
  if (WEBHOOK) await throughWebhook();
  if (!process.argv.includes('--no-mixed')) mix = await mixed();
}
const result = { node: process.version, date: new Date().toISOString(), bytes: BYTES, runs: RUNS, loadavg: { start: startLoad, end: load() }, rows, mixed: mix };
console.log(`load average ${startLoad} → ${result.loadavg.end}`);
if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);
