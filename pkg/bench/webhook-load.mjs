// Load test of the admission webhook host on loopback (not a test: it prints figures).
//
//   node pkg/bench/webhook-load.mjs [--rate 1000] [--duration 10] [--warmup 2]
//        [--mode validate|mutate|mixed] [--connections 32] [--workers N] [--json FILE]
//
// Starts `claimcheck webhook` on 127.0.0.1 (any free port) with a throw-away self-signed
// certificate (openssl), then sends AdmissionReviews of the seed StatefulSet open-loop: request
// i is due at start + i/rate, whatever happened to the earlier ones, over a keep-alive agent of
// --connections sockets. Latency is counted from the moment a request was due (so a stalled
// host or client cannot hide its queue), to the last byte of the answer. A warm-up at the same
// rate comes first and is not counted. Bounded: at most 5,000 requests/s for 60 s; requests
// still unanswered 10 s after the end count as timeouts; the host is stopped with SIGTERM.
// The host's request log goes to a temporary file (the log lines are written as in production).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeCertificate } from '../test/helpers.mjs';

const PKG = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(PKG, 'bin', 'claimcheck.js');
const SEED = readFileSync(join(PKG, 'test', 'fixtures', 'seed-statefulset.json'), 'utf8');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const bounded = (name, fallback, min, max) => {
  const v = Number(arg(name, fallback));
  if (!Number.isFinite(v) || v < min || v > max) {
    console.error(`${name} must be a number from ${min} to ${max}`);
    process.exit(2);
  }
  return v;
};

const RATE = bounded('--rate', 1000, 1, 5000);
const DURATION = bounded('--duration', 10, 1, 60);
const WARMUP = bounded('--warmup', 2, 0, 30);
const CONNECTIONS = bounded('--connections', 32, 1, 512);
const MODE = arg('--mode', 'validate');
const WORKERS = arg('--workers', undefined);
const JSON_OUT = arg('--json', undefined);
// lean: a minimal HTTP/1.1 client on raw TLS sockets (the default); node: Node's https.Agent
const CLIENT = arg('--client', 'lean');
if (!['lean', 'node'].includes(CLIENT)) {
  console.error('--client must be lean or node');
  process.exit(2);
}
if (!['validate', 'mutate', 'mixed'].includes(MODE)) {
  console.error('--mode must be validate, mutate or mixed');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'claimcheck-webhook-load-'));
let certFile;
let keyFile;
let ca;
try {
  ({ cert: certFile, key: keyFile, ca } = makeCertificate(dir));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
const logFile = join(dir, 'host.log');

// The host, its log in a file.
const logFd = openSync(logFile, 'w');
const hostArgs = [CLI, 'webhook', '--tls-cert', certFile, '--tls-key', keyFile, '--host', '127.0.0.1', '--port', '0'];
if (WORKERS) hostArgs.push('--workers', WORKERS);
// WEBHOOK_LOAD_NODE_ARGS: extra node flags for the host (e.g. --cpu-prof --cpu-prof-dir=DIR)
const nodeArgs = (process.env.WEBHOOK_LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const host = spawn(process.execPath, [...nodeArgs, ...hostArgs], { stdio: ['ignore', logFd, 'inherit'] });
closeSync(logFd);
const hostExit = once(host, 'exit');

function cleanup() {
  if (host.exitCode === null) host.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

async function waitForListening() {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (host.exitCode !== null) throw new Error(`the host exited with ${host.exitCode}`);
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'listening');
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the host did not start within 20 s');
}

/** The host's processes (it and its workers) from /proc (Linux only): CPU seconds, RSS. */
function hostProcesses(rootPid) {
  try {
    const tick = 100; // USER_HZ
    const page = 4096;
    const out = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const pid = Number(entry);
        if (pid !== rootPid && Number(fields[1]) !== rootPid) continue;
        out.push({
          pid,
          cpu: (Number(fields[11]) + Number(fields[12])) / tick,
          rssMiB: (Number(fields[21]) * page) / 1024 / 1024,
        });
      } catch {
        // gone meanwhile
      }
    }
    return out.sort((a, b) => (a.pid === rootPid ? -1 : b.pid === rootPid ? 1 : a.pid - b.pid));
  } catch {
    return null;
  }
}
/**
 * The host's own view: the `ms` of its request log lines (from the request's headers to the
 * end of its answer, in the worker), for the uids of one phase. Unlike the latencies measured
 * here, it leaves out the load generator's own delays (it shares the CPUs with the host).
 */
function serverSide(prefix) {
  const ms = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes(`"uid":"${prefix}-`)) continue;
    try {
      const l = JSON.parse(line);
      if (l.msg === 'request' && typeof l.ms === 'number') ms.push(l.ms);
    } catch {
      // a line being written
    }
  }
  ms.sort((a, b) => a - b);
  return { count: ms.length, p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: ms.at(-1) };
}
/** CPU seconds of each thread of the host's processes, by process and thread name (Linux). */
function hostThreads(rootPid) {
  const out = {};
  for (const p of hostProcesses(rootPid) ?? []) {
    try {
      for (const tid of readdirSync(`/proc/${p.pid}/task`)) {
        const text = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const key = `${p.pid === rootPid ? 'primary' : `worker ${p.pid}`}: ${tid === String(p.pid) ? 'main' : name}`;
        out[key] = (out[key] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
const cpuSeconds = (pid) => hostProcesses(pid)?.reduce((a, p) => a + p.cpu, 0) ?? null;

function body(uid) {
  return `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"${uid}","kind":{"group":"apps","version":"v1","kind":"StatefulSet"},"resource":{"group":"apps","version":"v1","resource":"statefulsets"},"namespace":"default","operation":"CREATE","userInfo":{"username":"load"},"object":${SEED},"dryRun":false}}`;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Node's own HTTPS client: an https.Agent keeping CONNECTIONS sockets alive. */
function nodeClient(port) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca });
  return {
    post(path, data, answer, failed) {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => answer(res.statusCode, Buffer.concat(chunks).toString('latin1')));
        },
      );
      req.on('error', failed);
      req.end(data);
    },
    close: () => agent.destroy(),
  };
}

/**
 * A lean HTTP/1.1 client on CONNECTIONS keep-alive TLS connections, one request at a time on
 * each (as the API server's client does; no pipelining), requests queued while all are busy.
 * It writes each request as one buffer and reads only the status line, Content-Length and the
 * body: a fraction of Node's HTTP client's CPU, so that the load generator, which shares the
 * machine's CPUs with the host, disturbs it less.
 */
function leanClient(port) {
  const idle = [];
  const queue = [];
  const all = new Set();
  let closed = false;
  const open = () => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca });
    socket.setNoDelay(true);
    all.add(socket);
    let buffered = Buffer.alloc(0);
    let job = null;
    let need = -1; // bytes of the whole answer once its head is in
    let status = 0;
    let bodyAt = 0;
    const ready = () => {
      job = null;
      const next = queue.shift();
      if (next) start(next);
      else idle.push(conn);
    };
    const start = (j) => {
      job = j;
      socket.write(j.request);
    };
    const conn = { start };
    socket.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      if (need < 0) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.toString('latin1', 0, end);
        status = Number(head.slice(9, 12));
        const m = /\r\ncontent-length: *(\d+)/i.exec(head);
        bodyAt = end + 4;
        need = bodyAt + (m ? Number(m[1]) : 0);
      }
      if (buffered.length < need) return;
      const text = buffered.toString('latin1', bodyAt, need);
      buffered = buffered.subarray(need);
      need = -1;
      const j = job;
      ready();
      j.answer(status, text);
    });
    const lost = (e) => {
      all.delete(socket);
      const i = idle.indexOf(conn);
      if (i >= 0) idle.splice(i, 1);
      if (job) job.failed(e ?? new Error('connection closed'));
      job = null;
      if (!closed) open();
    };
    socket.on('error', lost);
    socket.on('close', () => lost(null));
    socket.once('secureConnect', ready);
  };
  for (let i = 0; i < CONNECTIONS; i++) open();
  return {
    post(path, data, answer, failed) {
      const request = Buffer.from(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`,
      );
      const j = { request, answer, failed };
      const conn = idle.pop();
      if (conn) conn.start(j);
      else queue.push(j);
    },
    close() {
      closed = true;
      for (const s of all) s.destroy();
    },
  };
}

/** Open-loop phase: RATE requests/s for `seconds`; resolves with the figures. */
async function phase(client, label, seconds) {
  const total = Math.round(RATE * seconds);
  const fromDue = new Float64Array(total);
  const fromSend = new Float64Array(total);
  let answered = 0; // responses, whatever their status
  let httpErrors = 0; // answered with a status other than 200
  let netErrors = 0; // no answer: connection errors
  let wrongUid = 0;
  let sent = 0;
  const firstErrors = [];
  const start = performance.now();
  let finishLast = start;

  await new Promise((resolveAll) => {
    const settled = () => {
      if (answered + netErrors === total) resolveAll();
    };
    const fire = (i) => {
      const due = start + (i * 1000) / RATE;
      const path = MODE === 'mutate' || (MODE === 'mixed' && i % 2 === 1) ? '/mutate' : '/validate';
      const uid = `${label}-${i}`;
      const data = body(uid);
      const sentAt = performance.now();
      const answer = (status, text) => {
        const now = performance.now();
        fromDue[answered] = now - due;
        fromSend[answered] = now - sentAt;
        finishLast = now;
        if (status !== 200) {
          httpErrors += 1;
          if (firstErrors.length < 3) firstErrors.push(`HTTP ${status}`);
        } else if (!text.includes(`"uid":"${uid}"`)) {
          wrongUid += 1;
        }
        answered += 1;
        settled();
      };
      const failed = (e) => {
        netErrors += 1;
        if (firstErrors.length < 3) firstErrors.push(e.code ?? e.message);
        settled();
      };
      client.post(`${path}?timeout=10s`, data, answer, failed);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
      while (sent < due) {
        fire(sent);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
    // the bound: whatever is unanswered 10 s after the last request was due is a timeout
    setTimeout(resolveAll, seconds * 1000 + 10_000).unref();
  });

  const lat = Array.from(fromDue.subarray(0, answered)).sort((a, b) => a - b);
  const svc = Array.from(fromSend.subarray(0, answered)).sort((a, b) => a - b);
  const elapsed = (finishLast - start) / 1000;
  return {
    requests: total,
    answered,
    httpErrors,
    netErrors,
    timeouts: total - answered - netErrors,
    wrongUid,
    firstErrors,
    seconds: elapsed,
    throughput: answered / elapsed,
    latencyMs: {
      p50: percentile(lat, 50),
      p90: percentile(lat, 90),
      p99: percentile(lat, 99),
      p999: percentile(lat, 99.9),
      max: lat.at(-1),
    },
    serviceMs: { p50: percentile(svc, 50), p99: percentile(svc, 99) },
  };
}

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

try {
  const listening = await waitForListening();
  const client = CLIENT === 'node' ? nodeClient(listening.port) : leanClient(listening.port);
  if (WARMUP > 0) await phase(client, 'warmup', WARMUP);
  const loadBefore = loadavg();
  const cpuHostBefore = cpuSeconds(host.pid);
  const threadsBefore = hostThreads(host.pid);
  const cpuSelfBefore = process.cpuUsage();
  const r = await phase(client, 'run', DURATION);
  const cpuHost = cpuHostBefore === null ? null : cpuSeconds(host.pid) - cpuHostBefore;
  const self = process.cpuUsage(cpuSelfBefore);
  const rss = hostProcesses(host.pid)?.map((p) => Math.round(p.rssMiB)) ?? [];
  const loadAfter = loadavg();
  const threads = Object.fromEntries(
    Object.entries(hostThreads(host.pid))
      .map(([k, v]) => [k, Math.round(((v - (threadsBefore[k] ?? 0)) * 1e6) / r.answered) / 1000])
      .filter(([, v]) => v > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const cpuClient = (self.user + self.system) / 1e6;
  client.close();

  const result = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    workers: listening.workers,
    mode: MODE,
    rate: RATE,
    duration: DURATION,
    connections: CONNECTIONS,
    client: CLIENT,
    ...r,
    hostMs: serverSide('run'),
    loadavg: { before: loadBefore, after: loadAfter },
    cpu: {
      hostMsPerRequest: cpuHost === null ? null : (cpuHost * 1000) / r.answered,
      // ms of CPU per request, by process and thread
      threadsMsPerRequest: threads,
      hostSeconds: cpuHost,
      hostCores: cpuHost === null ? null : cpuHost / r.seconds,
      clientSeconds: cpuClient,
      clientCores: cpuClient / r.seconds,
    },
    hostRssMiB: rss,
  };
  console.log(
    [
      `claimcheck webhook load test — ${MODE}, ${RATE} req/s open-loop for ${DURATION} s over ${CONNECTIONS} keep-alive connections (${CLIENT} client)`,
      `  host: ${listening.workers} worker(s); machine: ${result.cpus} CPU(s) (${result.cpuModel}), Node ${process.version}`,
      `  requests: ${r.requests} sent, ${r.answered} answered (${r.httpErrors} not 200), ${r.netErrors} connection errors, ${r.timeouts} timeouts, ${r.wrongUid} wrong uids`,
      `  throughput: ${fmt(r.throughput)} answers/s`,
      `  latency from due time (ms): p50 ${fmt(r.latencyMs.p50)}  p90 ${fmt(r.latencyMs.p90)}  p99 ${fmt(r.latencyMs.p99)}  p99.9 ${fmt(r.latencyMs.p999)}  max ${fmt(r.latencyMs.max)}`,
      `  latency from send (ms):     p50 ${fmt(r.serviceMs.p50)}  p99 ${fmt(r.serviceMs.p99)}`,
      `  in the host (its log, ms):  p50 ${fmt(result.hostMs.p50)}  p90 ${fmt(result.hostMs.p90)}  p99 ${fmt(result.hostMs.p99)}  max ${fmt(result.hostMs.max)} (${result.hostMs.count} lines)`,
      `  CPU: host ${fmt(result.cpu.hostCores)} cores (${fmt(result.cpu.hostMsPerRequest)} ms per request), load generator ${fmt(result.cpu.clientCores)} cores`,
      `  host CPU per request by thread (ms): ${Object.entries(threads).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `  load average: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after (${result.cpus} CPUs)`,
      `  host memory (RSS, MiB, supervisor first): ${rss.join(', ') || 'n/a'}`,
    ].join('\n'),
  );
  if (r.firstErrors.length) console.log(`  first errors: ${r.firstErrors.join(', ')}`);
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);
  host.kill('SIGTERM');
  // WEBHOOK_LOAD_KEEP_LOG=FILE: keep the host's log (e.g. with --trace-gc in WEBHOOK_LOAD_NODE_ARGS)
  if (process.env.WEBHOOK_LOAD_KEEP_LOG) writeFileSync(process.env.WEBHOOK_LOAD_KEEP_LOG, readFileSync(logFile));
  const [code] = await hostExit;
  if (code !== 0) console.log(`  the host exited with ${code} after SIGTERM`);
  cleanup();
} catch (e) {
  console.error(`webhook-load: ${e.message}`);
  cleanup();
  process.exit(1);
}
