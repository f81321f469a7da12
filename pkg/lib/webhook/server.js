// One HTTPS server answering AdmissionReviews with review(): what each worker process runs.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext } from 'node:tls';

import { init, review, version } from '../../node.js';
import { log } from './log.js';
import { Metrics, render } from './metrics.js';

/** The API server's own limit on a request body; larger bodies get 413. */
export const MAX_BODY = 3 * 1024 * 1024;
/**
 * Past the limit, the rest of a body is still read (and dropped) up to this much, so that the
 * client, still sending, reads the 413 instead of a reset connection. Beyond it: 413 at once
 * and the connection is closed.
 */
const DRAIN_LIMIT = 1024 * 1024;

const TIMEOUTS = {
  // a TLS handshake, the request headers, the whole request
  handshake: 10_000,
  headers: 10_000,
  request: 30_000,
  // longer than Go's default idle-connection timeout (90 s): the client, never the server,
  // closes an idle keep-alive connection, so no request is sent into a closing socket
  keepAlive: 95_000,
  // a connection that stays silent this long (e.g. one that never sends a request) is closed
  idleSocket: 100_000,
};

/** On a socket: how many of its requests are being answered. */
const BUSY = Symbol('claimcheck.busy');
/** On a socket: closing, as it was idle at shutdown. */
const ENDING = Symbol('claimcheck.ending');

const SELF_TEST = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'self-test',
    kind: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
    resource: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
    operation: 'CREATE',
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  },
});

export class SettingsError extends Error {}

/** Reads the certificate and key and checks that they make a TLS context. */
export function readTls(settings) {
  let cert;
  let key;
  try {
    cert = readFileSync(settings.tlsCert);
  } catch (e) {
    throw new SettingsError(`--tls-cert: cannot read ${settings.tlsCert}: ${e.code ?? e.message}`);
  }
  try {
    key = readFileSync(settings.tlsKey);
  } catch (e) {
    throw new SettingsError(`--tls-key: cannot read ${settings.tlsKey}: ${e.code ?? e.message}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw new SettingsError(`--tls-cert/--tls-key: not a usable certificate and key: ${e.message}`);
  }
  return { cert, key };
}

// Rule codes named by an answer: the denial message lists "CODE /pointer: message; ...",
// validation warnings start with "CODE /pointer:", mutation warnings with "claimcheck fixed CODE:".
const DENIED_CODE = /(?:problems?: |; )(CC\d{3}) \//g;
const WARNED_CODE = /^(CC\d{3}) \//;
const FIXED_CODE = /^claimcheck fixed (CC\d{3}):/;

function codesOf(response) {
  const denied = new Set();
  const warned = new Set();
  const fixed = new Set();
  const message = response?.status?.message;
  if (response?.allowed === false && typeof message === 'string') {
    for (const m of message.matchAll(DENIED_CODE)) denied.add(m[1]);
  }
  for (const w of Array.isArray(response?.warnings) ? response.warnings : []) {
    if (typeof w !== 'string') continue;
    const f = FIXED_CODE.exec(w);
    if (f) fixed.add(f[1]);
    const c = WARNED_CODE.exec(w);
    if (c) warned.add(c[1]);
  }
  return { denied: [...denied], warned: [...warned], fixed: [...fixed] };
}

function isInternal(e) {
  return (
    !(e instanceof Error) ||
    e instanceof TypeError ||
    e instanceof WebAssembly.RuntimeError ||
    e.cause instanceof WebAssembly.RuntimeError
  );
}

/**
 * Loads the engine, checks the review settings against it and starts listening.
 * hooks.collect(): Promise<{snapshot, workers}> — the counters of every worker (the primary
 *   adds them up); hooks.onInternalError(error): the engine trapped, the process should be
 *   replaced.
 */
export async function startServer(settings, hooks) {
  let tls = readTls(settings);
  await init();
  const options = {
    validate: { ...settings.review, mode: 'validate' },
    mutate: { ...settings.review, mode: 'mutate' },
  };
  for (const o of Object.values(options)) {
    try {
      review(SELF_TEST, o);
    } catch (e) {
      throw new SettingsError(`settings: ${e.message.replace(/^claimcheck: /, '')}`);
    }
  }
  const routes = new Map([
    ['/healthz', 'healthz'],
    ['/readyz', 'readyz'],
    ['/metrics', 'metrics'],
    [settings.validatePath, 'validate'],
    [settings.mutatePath, 'mutate'],
  ]);

  const metrics = new Metrics();
  let inFlight = 0;
  let ready = false;
  let draining = false;
  let shuttingDown = null;

  function send(res, status, body, type, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    const data = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
    const h = {
      'Content-Type': type ?? 'application/json',
      'Content-Length': Buffer.byteLength(data),
      ...headers,
    };
    if (draining) h.Connection = 'close';
    res.writeHead(status, h);
    res.end(data);
  }

  const problem = (res, status, message, headers) => send(res, status, { error: message }, undefined, headers);

  function tooLarge(res) {
    problem(res, 413, `the request body is larger than ${MAX_BODY} bytes`, { Connection: 'close' });
  }

  function admit(req, res, mode, label, entry) {
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      req.resume();
      problem(res, 415, `unsupported content-encoding ${encoding}`, { Connection: 'close' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY + DRAIN_LIMIT) {
      tooLarge(res);
      return;
    }
    let size = 0;
    let chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (chunks === null) {
        if (size > MAX_BODY + DRAIN_LIMIT) tooLarge(res);
        return;
      }
      if (size > MAX_BODY) {
        chunks = null;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {});
    req.on('end', () => {
      if (res.headersSent) return;
      if (chunks === null) {
        tooLarge(res);
        return;
      }
      const body = Buffer.concat(chunks, size).toString('utf8');
      chunks = null;
      let answer;
      try {
        answer = review(body, options[mode]);
      } catch (e) {
        if (isInternal(e)) {
          entry.error = String(e?.message ?? e);
          problem(res, 500, 'internal error in claimcheck');
          hooks.onInternalError(e);
        } else {
          entry.error = String(e.message).slice(0, 300);
          problem(res, 400, e.message);
        }
        return;
      }
      const r = answer?.response ?? {};
      const { denied, warned, fixed } = codesOf(r);
      entry.uid = r.uid;
      entry.allowed = r.allowed;
      entry.codes = [...new Set([...denied, ...fixed, ...warned])];
      if (mode === 'mutate') entry.patched = typeof r.patch === 'string';
      const outcome = r.allowed === false ? 'denied' : r.patch ? 'patched' : 'allowed';
      metrics.decision(label, outcome);
      metrics.denied(denied);
      metrics.fixed(fixed);
      send(res, 200, JSON.stringify(answer));
    });
  }

  async function handler(req, res) {
    const started = process.hrtime.bigint();
    inFlight += 1;
    const socket = req.socket;
    socket[BUSY] = (socket[BUSY] ?? 0) + 1;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = routes.get(path);
    const label = route ? path : 'other';
    const entry = {};
    res.on('close', () => {
      inFlight -= 1;
      socket[BUSY] -= 1;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : 'aborted';
      metrics.request(label, String(status), seconds);
      const quiet =
        !settings.logProbes &&
        status === 200 &&
        (route === 'healthz' || route === 'readyz' || route === 'metrics');
      if (!quiet) {
        log(status === 'aborted' || status >= 500 ? 'warn' : 'info', 'request', {
          method: req.method,
          path: path.slice(0, 200),
          status,
          uid: entry.uid,
          allowed: entry.allowed,
          codes: entry.codes,
          patched: entry.patched,
          error: entry.error,
          ms: Math.round(seconds * 1e5) / 100,
        });
      }
      if (draining) closeIdle();
    });

    switch (route) {
      case 'validate':
      case 'mutate':
        if (req.method !== 'POST') {
          problem(res, 405, `${path} takes POST`, { Allow: 'POST' });
          return;
        }
        admit(req, res, route, label, entry);
        return;
      case 'healthz':
      case 'readyz':
      case 'metrics':
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          problem(res, 405, `${path} takes GET`, { Allow: 'GET, HEAD' });
          return;
        }
        if (route === 'healthz') {
          send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
        } else if (route === 'readyz') {
          if (ready && !draining) send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
          else send(res, 503, draining ? 'shutting down\n' : 'starting\n', 'text/plain; charset=utf-8');
        } else {
          try {
            const { snapshot, workers } = await hooks.collect(() => metrics.snapshot(inFlight));
            send(res, 200, render(snapshot, { workers, version: version() }), 'text/plain; version=0.0.4; charset=utf-8');
          } catch (e) {
            entry.error = String(e?.message ?? e);
            problem(res, 500, 'metrics are not available');
          }
        }
        return;
      default:
        problem(res, 404, `no such path: ${path.slice(0, 200)}`);
    }
  }

  const server = https.createServer(
    {
      ...tls,
      minVersion: 'TLSv1.2',
      handshakeTimeout: TIMEOUTS.handshake,
      headersTimeout: TIMEOUTS.headers,
      requestTimeout: TIMEOUTS.request,
      keepAliveTimeout: TIMEOUTS.keepAlive,
      // how often the header and request timeouts are checked (Node's default: 30 s)
      connectionsCheckingInterval: 1000,
      noDelay: true,
    },
    handler,
  );
  server.setTimeout(TIMEOUTS.idleSocket);

  // Node's closeIdleConnections() leaves alone a connection that has not sent a request yet:
  // the host keeps its own list, so that shutdown does not wait for silent clients.
  const sockets = new Set();
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // accepted while the listener was closing: one short chance to send a request
    if (draining) socket.setTimeout(2000, () => socket.destroy());
  });
  function closeIdle() {
    server.closeIdleConnections();
    for (const socket of sockets) {
      if (socket[BUSY] || socket[ENDING]) continue;
      // end(), not destroy(): an answer just written may still be in the TLS buffers
      socket[ENDING] = true;
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  }
  server.on('tlsClientError', () => {});

  // cert-manager renews the certificate in the Secret; the kubelet updates the mounted files.
  const certTimer = setInterval(() => {
    let next;
    try {
      next = readTls(settings);
    } catch {
      return; // mid-update or gone: keep the current one, look again later
    }
    if (next.cert.equals(tls.cert) && next.key.equals(tls.key)) return;
    server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
    tls = next;
    metrics.s.certReloads += 1;
    log('info', 'certificate reloaded', { cert: settings.tlsCert });
  }, settings.tlsReloadMs);
  certTimer.unref();

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: settings.port, host: settings.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  ready = true;

  /** Stops accepting, lets in-flight requests finish (up to the timeout), resolves when done. */
  function shutdown(reason) {
    shuttingDown ??= (async () => {
      draining = true;
      clearInterval(certTimer);
      if (settings.shutdownDelayMs > 0) {
        await new Promise((r) => setTimeout(r, settings.shutdownDelayMs));
      }
      const closed = new Promise((r) => server.close(r));
      closeIdle();
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        server.closeAllConnections();
      }, settings.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      return { reason, forced, inFlight };
    })();
    return shuttingDown;
  }

  return {
    server,
    port: server.address().port,
    version: version(),
    snapshot: () => metrics.snapshot(inFlight),
    shutdown,
  };
}
