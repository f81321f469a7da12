// A worker process of `claimcheck webhook` (started by the primary with node:cluster): loads
// the engine once, serves HTTPS on the shared port, and talks to the primary over IPC:
//   to the primary:   listening {port, version} | fatal {message} | recycle | metrics? {id}
//                     | snapshot {id, snapshot}
//   from the primary: shutdown | snapshot? {id} | metrics {id, snapshot, workers}
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
  process.exit(0);
}

process.on('message', (m) => {
  switch (m?.type) {
    case 'shutdown':
      stop(m.reason ?? 'shutdown');
      break;
    case 'snapshot?':
      send({ type: 'snapshot', id: m.id, snapshot: host ? host.snapshot() : null });
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
    onInternalError(error) {
      // A trap may leave the module's memory in any state: finish what is in flight, exit,
      // and let the primary start a fresh worker.
      log('error', 'internal error in the engine: replacing this worker', {
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
