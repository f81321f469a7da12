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
import { cpus, tmpdir } from 'node:os';
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
const host = spawn(process.execPath, hostArgs, { stdio: ['ignore', logFd, 'inherit'] });
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
      .filter(Boolean)
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
const cpuSeconds = (pid) => hostProcesses(pid)?.reduce((a, p) => a + p.cpu, 0) ?? null;

function body(uid) {
  return `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"${uid}","kind":{"group":"apps","version":"v1","kind":"StatefulSet"},"resource":{"group":"apps","version":"v1","resource":"statefulsets"},"namespace":"default","operation":"CREATE","userInfo":{"username":"load"},"object":${SEED},"dryRun":false}}`;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Open-loop phase: RATE requests/s for `seconds`; resolves with the figures. */
async function phase(port, agent, label, seconds) {
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
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `${path}?timeout=10s`,
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const now = performance.now();
            fromDue[answered] = now - due;
            fromSend[answered] = now - sentAt;
            finishLast = now;
            if (res.statusCode !== 200) {
              httpErrors += 1;
              if (firstErrors.length < 3) firstErrors.push(`HTTP ${res.statusCode}`);
            } else if (!Buffer.concat(chunks).includes(`"uid":"${uid}"`)) {
              wrongUid += 1;
            }
            answered += 1;
            settled();
          });
        },
      );
      req.on('error', (e) => {
        netErrors += 1;
        if (firstErrors.length < 3) firstErrors.push(e.code ?? e.message);
        settled();
      });
      req.end(data);
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
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca });
  if (WARMUP > 0) await phase(listening.port, agent, 'warmup', WARMUP);
  const cpuHostBefore = cpuSeconds(host.pid);
  const cpuSelfBefore = process.cpuUsage();
  const r = await phase(listening.port, agent, 'run', DURATION);
  const cpuHost = cpuHostBefore === null ? null : cpuSeconds(host.pid) - cpuHostBefore;
  const self = process.cpuUsage(cpuSelfBefore);
  const rss = hostProcesses(host.pid)?.map((p) => Math.round(p.rssMiB)) ?? [];
  const cpuClient = (self.user + self.system) / 1e6;
  agent.destroy();

  const result = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    workers: listening.workers,
    mode: MODE,
    rate: RATE,
    duration: DURATION,
    connections: CONNECTIONS,
    ...r,
    cpu: {
      hostSeconds: cpuHost,
      hostCores: cpuHost === null ? null : cpuHost / r.seconds,
      clientSeconds: cpuClient,
      clientCores: cpuClient / r.seconds,
    },
    hostRssMiB: rss,
  };
  console.log(
    [
      `claimcheck webhook load test — ${MODE}, ${RATE} req/s open-loop for ${DURATION} s over ${CONNECTIONS} keep-alive connections`,
      `  host: ${listening.workers} worker(s); machine: ${result.cpus} CPU(s) (${result.cpuModel}), Node ${process.version}`,
      `  requests: ${r.requests} sent, ${r.answered} answered (${r.httpErrors} not 200), ${r.netErrors} connection errors, ${r.timeouts} timeouts, ${r.wrongUid} wrong uids`,
      `  throughput: ${fmt(r.throughput)} answers/s`,
      `  latency from due time (ms): p50 ${fmt(r.latencyMs.p50)}  p90 ${fmt(r.latencyMs.p90)}  p99 ${fmt(r.latencyMs.p99)}  p99.9 ${fmt(r.latencyMs.p999)}  max ${fmt(r.latencyMs.max)}`,
      `  latency from send (ms):     p50 ${fmt(r.serviceMs.p50)}  p99 ${fmt(r.serviceMs.p99)}`,
      `  CPU: host ${fmt(result.cpu.hostCores)} cores, load generator ${fmt(result.cpu.clientCores)} cores`,
      `  host memory (RSS, MiB, supervisor first): ${rss.join(', ') || 'n/a'}`,
    ].join('\n'),
  );
  if (r.firstErrors.length) console.log(`  first errors: ${r.firstErrors.join(', ')}`);
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);
  host.kill('SIGTERM');
  const [code] = await hostExit;
  if (code !== 0) console.log(`  the host exited with ${code} after SIGTERM`);
  cleanup();
} catch (e) {
  console.error(`webhook-load: ${e.message}`);
  cleanup();
  process.exit(1);
}
