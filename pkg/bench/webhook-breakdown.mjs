// Where a webhook request's time goes (not a test: it prints figures). One request at a time,
// in one process, so each part is measured without queueing:
//   - the engine's parts, in the speed build: review() validate and mutate of the seed
//     AdmissionReview, a review of an object the webhook passes at once (the AdmissionReview's
//     JSON parse and answer), lint() of the object alone, and the JavaScript JSON round trip
//     of the answer that the host does (parse in the wrapper, stringify to send);
//   - the transport on loopback: an HTTPS keep-alive round trip of the same body to a server
//     that answers at once, the same over plain HTTP (the difference is TLS), and a fresh TLS
//     connection per request (the handshake, and the connection's hand-off to a worker).
//
//   node pkg/bench/webhook-breakdown.mjs [--rounds 2000] [--json FILE]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';


import * as engine from '../dist/node/claimcheck.js';
import { Metrics } from '../lib/webhook/metrics.js';
import { summarize } from '../lib/webhook/summary.js';
import * as cc from '../node.js';

const PKG = fileURLToPath(new URL('../', import.meta.url));
const SEED = readFileSync(join(PKG, 'test', 'fixtures', 'seed-statefulset.json'), 'utf8');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Math.min(20_000, Math.max(10, Number(arg('--rounds', '2000'))));

const review = (object, kind = '{"group":"apps","version":"v1","kind":"StatefulSet"}') =>
  `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","kind":${kind},"resource":{"group":"apps","version":"v1","resource":"statefulsets"},"namespace":"default","operation":"CREATE","userInfo":{"username":"load"},"object":${object},"dryRun":false}}`;
const BODY = review(SEED);
const bodyBytes = Buffer.from(BODY);
const utf8 = new TextDecoder();
const PASSED = review('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}', '{"group":"","version":"v1","kind":"ConfigMap"}');

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { medianMs: q(0.5), p99Ms: q(0.99) };
}

function time(f, rounds = ROUNDS) {
  for (let i = 0; i < Math.min(500, rounds); i++) f();
  const out = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return stats(out);
}

async function timeAsync(f, rounds) {
  for (let i = 0; i < Math.min(200, rounds); i++) await f();
  const out = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return stats(out);
}

await cc.init();
const parts = [];
const part = (what, s) => {
  parts.push({ what, ...s });
  console.log(`${what.padEnd(74)} median ${s.medianMs.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms`);
};

const validate = { mode: 'validate' };
const mutate = { mode: 'mutate' };
part('review() validate, seed StatefulSet (engine + wrapper JSON.parse)', time(() => cc.review(BODY, validate)));
part('review() mutate, seed StatefulSet (+ fixes, JSON Patch, base64)', time(() => cc.review(BODY, mutate)));
part('review() of a ConfigMap: AdmissionReview JSON parse + answer only', time(() => cc.review(PASSED, validate)));
part('lint() of the StatefulSet JSON alone (parse + rules + diagnostics)', time(() => cc.lint(SEED)));
const answer = cc.review(BODY, mutate);
const answerText = JSON.stringify(answer);
part('host: JSON.stringify of the answer (after the wrapper parsed it)', time(() => JSON.stringify(answer)));
part('wrapper: JSON.parse of the answer', time(() => JSON.parse(answerText)));

// ---- the host's own parts (lib/webhook) ----
const rawAnswer = engine.review(BODY, mutate);
part('review thread: UTF-8 decode of the body + engine review() + summary (mutate)', time(() => {
  const a = engine.review(utf8.decode(bodyBytes), mutate);
  return summarize(JSON.parse(a));
}));
part('review thread: summary of the answer (JSON.parse + rule codes)', time(() => summarize(JSON.parse(rawAnswer))));
{
  const devNull = openSync('/dev/null', 'w');
  const line = (fields) => `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'request', ...fields })}\n`;
  part('HTTP thread: one request log line (JSON, written to /dev/null)', time(() => {
    writeSync(devNull, line({ method: 'POST', path: '/mutate', status: 200, uid: 'u-1', allowed: true, codes: ['CC201', 'CC301'], patched: true, ms: 0.93 }));
  }));
  closeSync(devNull);
  const metrics = new Metrics((delta) => JSON.stringify({ type: 'count', delta, inFlight: 1 }));
  part('HTTP thread: the metrics of one request (counters + the delta for the primary)', time(() => {
    metrics.request('/mutate', '200', 0.0009);
    metrics.decision('/mutate', 'patched');
    metrics.fixed(['CC201']);
    metrics.flush();
  }));
}
{
  // a thread that answers at once: the cost of the hop to a review thread and back
  const echo = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ id, body }) => parentPort.postMessage({ type: 'done', id, answer: ${JSON.stringify(rawAnswer)}, summary: { uid: 'u-1', allowed: true, patched: true, denied: [], warned: [], fixed: ['CC201'] } }));`,
    { eval: true },
  );
  let next = null;
  echo.on('message', (m) => next?.(m));
  let id = 0;
  const hop = () =>
    new Promise((resolve) => {
      next = resolve;
      const b = Buffer.allocUnsafeSlow(bodyBytes.length);
      bodyBytes.copy(b);
      id += 1;
      echo.postMessage({ id, body: b, mode: 'mutate' }, [b.buffer]);
    });
  part('HTTP thread ↔ review thread: a body there, the answer back (thread answers at once)', await timeAsync(hop, Math.min(ROUNDS, 2000)));
  await echo.terminate();
}

// ---- transport ----
const dir = mkdtempSync(join(tmpdir(), 'claimcheck-breakdown-'));
const made = spawnSync(
  'openssl',
  [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-days', '1', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'),
  ],
  { encoding: 'utf8' },
);
if (made.status !== 0) {
  console.error(`openssl failed: ${made.stderr}`);
  process.exit(2);
}
const cert = readFileSync(join(dir, 'c'));
const key = readFileSync(join(dir, 'k'));
rmSync(dir, { recursive: true, force: true });

const small = answerText;
const handler = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks).toString('utf8');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(small) });
    res.end(small);
  });
};

async function serve(server) {
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return server.address().port;
}

function roundTrip(mod, port, agent) {
  return new Promise((ok, fail) => {
    const req = mod.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/validate',
        agent,
        ca: cert,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) },
      },
      (res) => {
        res.resume();
        res.on('end', ok);
      },
    );
    req.on('error', fail);
    req.end(BODY);
  });
}

const tlsServer = https.createServer({ cert, key }, handler);
const plainServer = http.createServer(handler);
const tlsPort = await serve(tlsServer);
const plainPort = await serve(plainServer);
const rounds = Math.min(ROUNDS, 2000);
const keepTls = new https.Agent({ keepAlive: true, maxSockets: 1, ca: cert });
const keepPlain = new http.Agent({ keepAlive: true, maxSockets: 1 });
part('HTTPS keep-alive round trip, answered at once (TLS + HTTP + 2 KB body)', await timeAsync(() => roundTrip(https, tlsPort, keepTls), rounds));
part('HTTP keep-alive round trip, answered at once (no TLS)', await timeAsync(() => roundTrip(http, plainPort, keepPlain), rounds));
const fresh = new https.Agent({ keepAlive: false, ca: cert });
part('HTTPS with a new connection per request (TLS handshake)', await timeAsync(() => roundTrip(https, tlsPort, fresh), Math.min(rounds, 300)));
keepTls.destroy();
keepPlain.destroy();
tlsServer.close();
plainServer.close();

const result = { node: process.version, rounds: ROUNDS, bodyBytes: Buffer.byteLength(BODY), parts };
const out = arg('--json', null);
if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
