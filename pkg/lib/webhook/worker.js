// A worker process of `claimcheck webhook` (started by the primary with node:cluster): loads
// the engine once, serves HTTPS on the shared port, and talks to the primary over IPC:
//   to the primary:   listening {port, version} | fatal {message} | recycle | metrics? {id}
//                     | count {delta, inFlight}
//   from the primary: shutdown | metrics {id, snapshot, workers}
import { log } from './log.js';
import { SettingsError, startServer } from './server.js';

const settings = JSON.parse(process.env.CLAIMCHECK_WEBHOOK_SETTINGS ?? '{}');
const send = (m) => {
  if (process.connected) process.send(m);
};

const pending = new Map();
let sequence = 0;
let host = null;
let exiting = false;

function collect(local) {
  return new Promise((resolve) => {
    if (!process.connected) {
      resolve({ snapshot: local(), workers: 1 });
      return;
    }
    sequence += 1;
    const id = sequence;
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve({ snapshot: local(), workers: 1 });
    }, 2000);
    pending.set(id, (m) => {
      clearTimeout(timer);
      resolve({ snapshot: m.snapshot, workers: m.workers });
    });
    send({ type: 'metrics?', id });
  });
}

async function stop(reason) {
  if (exiting) return;
  exiting = true;
  if (!host) process.exit(0);
  const { forced } = await host.shutdown(reason);
  if (forced) log('warn', 'in-flight requests cut off at the shutdown timeout', { reason });
  // the last counts are on their way to the primary: let the channel take them first
  if (process.connected) {
    await new Promise((r) => {
      setTimeout(r, 1000).unref();
      try {
        process.send({ type: 'bye' }, () => r());
      } catch {
        r();
      }
    });
  }
  process.exit(0);
}

process.on('message', (m) => {
  switch (m?.type) {
    case 'shutdown':
      stop(m.reason ?? 'shutdown');
      break;
    case 'metrics': {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      resolve?.(m);
      break;
    }
    default:
  }
});
// Ctrl-C reaches the whole process group; SIGTERM may be sent to a worker directly.
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// The primary is gone: nothing would replace this worker or collect its metrics.
process.on('disconnect', () => stop('primary exited'));

try {
  host = await startServer(settings, {
    collect,
    count(delta, inFlight) {
      send({ type: 'count', delta, inFlight });
    },
    onInternalError(error) {
      // A review thread cannot be started again: finish what is in flight, exit, and let the
      // primary start a fresh worker.
      log('error', 'internal error: replacing this worker', {
        error: String(error?.message ?? error),
      });
      send({ type: 'recycle' });
      stop('internal error');
    },
  });
  log('info', 'worker started', { pid: process.pid, port: host.port });
  send({ type: 'listening', port: host.port, version: host.version });
} catch (e) {
  const message = e instanceof SettingsError ? e.message : `cannot start: ${e?.message ?? e}`;
  exiting = true;
  if (process.connected) process.send({ type: 'fatal', message }, () => process.exit(2));
  else process.exit(2);
}
