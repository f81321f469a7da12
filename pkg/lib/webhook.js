// The admission webhook host: `claimcheck webhook --tls-cert F --tls-key F [OPTIONS]`.
//
// This process is the primary of a node:cluster: it checks the flags, the settings file and
// the certificate, starts one worker process per available CPU (lib/webhook/worker.js: each
// loads the engine once and serves HTTPS on the shared port), replaces workers that die, adds
// up their counters for /metrics, and on SIGTERM or SIGINT tells them to finish the requests in
// flight and stop. See docs/webhook.md.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

import { log } from './webhook/log.js';
import { emptySnapshot, mergeSnapshots } from './webhook/metrics.js';
import { parseArgs, USAGE, UsageError } from './webhook/options.js';
import { readTls, SettingsError } from './webhook/server.js';

/** More restarts than this within RESTART_WINDOW_MS: the host gives up (exit 1). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** How long /metrics waits for the workers' counters. */
const COLLECT_TIMEOUT_MS = 1000;

/** @param {string[]} argv the arguments after `webhook`. Resolves with the exit status. */
export async function webhookMain(argv) {
  let settings;
  try {
    settings = parseArgs(argv);
    if (settings.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    readTls(settings);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingsError) {
      process.stderr.write(`claimcheck webhook: ${e.message}\n(see claimcheck webhook --help)\n`);
      return 2;
    }
    throw e;
  }
  return runPrimary(settings);
}

function runPrimary(settings) {
  return new Promise((resolveExit) => {
    cluster.setupPrimary({
      exec: fileURLToPath(new URL('./webhook/worker.js', import.meta.url)),
      args: [],
      silent: false,
    });

    /** id → { worker, ready, recycling, last: the last snapshot it sent } */
    const workers = new Map();
    let retired = emptySnapshot();
    let announced = false;
    let stopping = false;
    let exitCode = 0;
    let forceTimer = null;
    const restarts = [];
    const collections = new Map();
    let collectionId = 0;

    function fork() {
      const worker = cluster.fork({ CLAIMCHECK_WEBHOOK_SETTINGS: JSON.stringify(settings) });
      const state = { worker, ready: false, recycling: false, last: null };
      workers.set(worker.id, state);
      worker.on('message', (m) => onMessage(state, m));
      worker.on('exit', (code, signal) => onExit(state, code, signal));
      // IPC errors (a worker that died mid-send) are reported by 'exit'
      worker.on('error', () => {});
    }

    function stop(code, reason) {
      if (!stopping) {
        stopping = true;
        exitCode = code;
        log('info', 'shutting down', { reason, workers: workers.size });
        const grace = settings.shutdownDelayMs + settings.shutdownTimeoutMs + 5000;
        forceTimer = setTimeout(() => {
          log('warn', 'workers did not stop in time: killing them', { workers: workers.size });
          for (const { worker } of workers.values()) worker.process.kill('SIGKILL');
        }, grace);
        forceTimer.unref();
      }
      for (const { worker } of workers.values()) {
        if (worker.isConnected()) worker.send({ type: 'shutdown', reason });
        else worker.process.kill('SIGTERM');
      }
      if (workers.size === 0) finish();
    }

    function finish() {
      clearTimeout(forceTimer);
      process.off('SIGTERM', onSigterm);
      process.off('SIGINT', onSigint);
      log('info', 'stopped', { exitCode });
      resolveExit(exitCode);
    }

    function collect(requester, id) {
      collectionId += 1;
      const key = collectionId;
      const live = [...workers.values()].filter((s) => s.ready && s.worker.isConnected());
      const c = { requester, id, waiting: new Set(live.map((s) => s.worker.id)), got: new Map() };
      collections.set(key, c);
      const done = () => {
        if (!collections.has(key)) return;
        collections.delete(key);
        clearTimeout(c.timer);
        const snapshot = mergeSnapshots([retired, ...[...workers.values()].map((s) => s.last)]);
        if (requester.isConnected()) {
          requester.send({ type: 'metrics', id, snapshot, workers: live.length });
        }
      };
      c.done = done;
      c.timer = setTimeout(done, COLLECT_TIMEOUT_MS);
      for (const s of live) s.worker.send({ type: 'snapshot?', id: key });
      if (c.waiting.size === 0) done();
    }

    function onMessage(state, m) {
      switch (m?.type) {
        case 'listening':
          state.ready = true;
          if (!announced && [...workers.values()].every((s) => s.ready)) {
            announced = true;
            log('info', 'listening', {
              host: settings.host,
              port: m.port,
              workers: workers.size,
              version: m.version,
              validatePath: settings.validatePath,
              mutatePath: settings.mutatePath,
              review: settings.review,
            });
          }
          break;
        case 'fatal':
          log('error', m.message);
          // Before the host is up: a settings or certificate problem (exit 2). Later, a
          // replacement worker that cannot start counts towards the restart limit.
          if (!announced && !stopping) stop(2, 'a worker could not start');
          break;
        case 'recycle':
          state.recycling = true;
          break;
        case 'metrics?':
          collect(state.worker, m.id);
          break;
        case 'snapshot': {
          if (m.snapshot) state.last = m.snapshot;
          const c = collections.get(m.id);
          if (c) {
            c.waiting.delete(state.worker.id);
            if (c.waiting.size === 0) c.done();
          }
          break;
        }
        default:
      }
    }

    function onExit(state, code, signal) {
      workers.delete(state.worker.id);
      // Its counters stay in the totals (as of its last report); its in-flight gauge does not.
      if (state.last) retired = mergeSnapshots([retired, { ...state.last, inFlight: 0 }]);
      for (const c of collections.values()) {
        c.waiting.delete(state.worker.id);
        if (c.waiting.size === 0) c.done();
      }
      if (stopping) {
        if (workers.size === 0) finish();
        return;
      }
      if (!announced && !state.recycling) {
        log('error', 'a worker exited while starting', { code, signal });
        stop(1, 'a worker could not start');
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0] < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        log('error', 'workers keep exiting: giving up', { restarts: restarts.length });
        stop(1, 'crash loop');
        return;
      }
      log(state.recycling ? 'info' : 'warn', 'worker exited: starting another', {
        pid: state.worker.process.pid,
        code,
        signal,
      });
      fork();
    }

    const onSigterm = () => stop(0, 'SIGTERM');
    const onSigint = () => stop(0, 'SIGINT');
    process.on('SIGTERM', onSigterm);
    process.on('SIGINT', onSigint);

    for (let i = 0; i < settings.workers; i++) fork();
  });
}
