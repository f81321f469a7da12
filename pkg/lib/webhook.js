// The admission webhook host: `claimcheck webhook --tls-cert F --tls-key F [OPTIONS]`.
//
// This process is the primary of a node:cluster: it checks the flags, the settings file and
// the certificate, starts one worker process per available CPU (lib/webhook/worker.js: each
// loads the engine and serves HTTPS on the shared port), replaces workers that die, keeps the
// counters for /metrics (the workers send their new counts as they go, so a worker that dies,
// even by SIGKILL, takes nothing with it), and on SIGTERM or SIGINT tells them to finish the
// requests in flight and stop. See docs/webhook.md.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

import { log } from './webhook/log.js';
import { addSnapshot, emptySnapshot } from './webhook/metrics.js';
import { parseArgs, USAGE, UsageError } from './webhook/options.js';
import { readTls, SettingsError } from './webhook/server.js';

/**
 * V8 flags of the worker processes. `--single-threaded-gc`: each thread collects its own
 * garbage, on itself, at its own priority. By default V8's helper threads (shared by every
 * thread of the process, at normal priority) mark and sweep for all of them: a large-lane
 * review of a hostile body (reviewed at a low priority, its WebAssembly memory growing by
 * hundreds of MB) then had its major collections done at normal priority, taking CPU from the
 * HTTP thread and the small lane (measured: ≈ 0.2 s of normal-priority CPU per second of
 * hostile traffic); for the small heaps of the HTTP thread and the small lane (a few MB), the
 * helpers gain nothing on 2 cores.
 */
const WORKER_V8_FLAGS = ['--single-threaded-gc'];

/** More restarts than this within RESTART_WINDOW_MS: the host gives up (exit 1). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

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
      execArgv: [...process.execArgv, ...WORKER_V8_FLAGS],
      silent: false,
    });

    /** id → { worker, ready, recycling, inFlight: as of its last count } */
    const workers = new Map();
    /** The counters of every worker, past and present. */
    const totals = emptySnapshot();
    let announced = false;
    let stopping = false;
    let exitCode = 0;
    let forceTimer = null;
    const restarts = [];

    function fork() {
      const worker = cluster.fork({ CLAIMCHECK_WEBHOOK_SETTINGS: JSON.stringify(settings) });
      const state = { worker, ready: false, recycling: false, inFlight: 0 };
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

    function answerMetrics(requester, id) {
      const live = [...workers.values()].filter((s) => s.ready && s.worker.isConnected());
      const inFlight = live.reduce((n, s) => n + s.inFlight, 0);
      if (requester.isConnected()) {
        requester.send({ type: 'metrics', id, snapshot: { ...totals, inFlight }, workers: live.length });
      }
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
        case 'count':
          addSnapshot(totals, { ...m.delta, inFlight: 0 });
          state.inFlight = m.inFlight ?? 0;
          break;
        case 'metrics?':
          answerMetrics(state.worker, m.id);
          break;
        default:
      }
    }

    function onExit(state, code, signal) {
      // its counts are already in the totals; its in-flight gauge goes with it
      workers.delete(state.worker.id);
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
