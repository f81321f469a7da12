// One HTTPS server answering AdmissionReviews with review(): what each worker process runs.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext } from 'node:tls';

import { log } from './log.js';
import { Metrics, render } from './metrics.js';
import { ReviewPool } from './pool.js';

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

/** At shutdown, after the delay: the listener closes once no connection came for this long. */
const QUIET_MS = 500;

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

/** The request uid, where the API server writes it: the first field of `request`. */
function uidOf(head) {
  const m = /"request"\s*:\s*\{\s*"uid"\s*:\s*"([^"\\]{1,256})"/.exec(head);
  return m ? m[1] : null;
}

/** `application/json`, with or without parameters, in any case (RFC 9110: case-insensitive). */
function isJson(contentType) {
  if (typeof contentType !== 'string') return false;
  return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * Starts the review threads (which load the engine and check the review settings against it)
 * and starts listening.
 * hooks.collect(): Promise<{snapshot, workers}> — the counters of every worker (kept by the
 *   primary); hooks.count(delta, inFlight): new counts to add to the primary's totals;
 *   hooks.onInternalError(error): the host itself failed, the process should be replaced.
 */
export async function startServer(settings, hooks) {
  let tls = readTls(settings);
  const options = {
    validate: { ...settings.review, mode: 'validate' },
    mutate: { ...settings.review, mode: 'mutate' },
  };
  let inFlight = 0;
  const metrics = new Metrics((delta) => hooks.count?.(delta, inFlight));
  const pool = new ReviewPool(options, SELF_TEST, {
    onReplace(lane) {
      metrics.threadRestart(lane);
    },
    onFatal(e) {
      hooks.onInternalError(e);
    },
  });
  let engineVersion;
  try {
    engineVersion = await pool.start();
  } catch (e) {
    await pool.close();
    const message = String(e?.message ?? e);
    if (message.startsWith('settings:')) throw new SettingsError(message);
    throw e;
  }
  const budgetMs = settings.reviewTimeoutMs ?? 2000;
  const policy = settings.failurePolicy ?? { validate: 'Fail', mutate: 'Ignore' };
  const routes = new Map([
    ['/healthz', 'healthz'],
    ['/readyz', 'readyz'],
    ['/metrics', 'metrics'],
    [settings.validatePath, 'validate'],
    [settings.mutatePath, 'mutate'],
  ]);

  let ready = false;
  // draining: SIGTERM received, answers carry `Connection: close`, /readyz says 503;
  // closing: after the shutdown delay, the listener is closed and idle connections too
  let draining = false;
  let closing = false;
  let shuttingDown = null;

  function send(res, status, body, type, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    const data = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
    const h = {
      'Content-Type': type ?? 'application/json',
      'Content-Length': Buffer.byteLength(data),
      ...headers,
    };
    // from SIGTERM on, every answer asks the client to close its connection (and Node then
    // closes it): no keep-alive connection is left that the host could close under a request
    if (draining) h.Connection = 'close';
    res.writeHead(status, h);
    res.end(data);
  }

  const problem = (res, status, message, headers) => send(res, status, { error: message }, undefined, headers);

  function tooLarge(res) {
    problem(res, 413, `the request body is larger than ${MAX_BODY} bytes`, { Connection: 'close' });
  }

  /** The answer past the time budget, as the webhook's failure policy would have it. */
  function overBudget(res, mode, label, uid, size, entry) {
    const fail = policy[mode] === 'Fail';
    const what = `claimcheck could not finish reviewing this object within ${budgetMs} ms (a body of ${size} bytes)`;
    entry.error = `review over its ${budgetMs} ms budget`;
    entry.uid = uid ?? undefined;
    entry.allowed = !fail;
    metrics.timeout(mode);
    if (!uid) {
      // no uid to answer with: an error, to which the API server applies its failure policy
      problem(res, 503, `${what}; the failure policy applies`);
      return;
    }
    const response = fail
      ? {
          uid,
          allowed: false,
          status: { code: 503, reason: 'Timeout', message: `${what}: denied (failure policy Fail)` },
        }
      : { uid, allowed: true, warnings: [`${what}: allowed unchecked (failure policy Ignore)`] };
    metrics.decision(label, fail ? 'denied' : 'allowed');
    send(res, 200, JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
  }

  function admit(req, res, mode, label, entry) {
    const encoding = req.headers['content-encoding'];
    // content codings are case-insensitive (RFC 9110, 8.4.1)
    if (encoding && encoding.trim().toLowerCase() !== 'identity') {
      req.resume();
      problem(res, 415, `unsupported content-encoding ${encoding.slice(0, 100)}`, { Connection: 'close' });
      return;
    }
    if (!isJson(req.headers['content-type'])) {
      req.resume();
      const type = req.headers['content-type'];
      problem(
        res,
        415,
        `expected Content-Type application/json${type ? `, got ${type.slice(0, 100)}` : ''}`,
        { Connection: 'close' },
      );
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
    req.on('end', async () => {
      if (res.headersSent) return;
      if (chunks === null) {
        tooLarge(res);
        return;
      }
      // the bytes go to the review thread as they are, moved, not copied (the body gets an
      // ArrayBuffer of its own, never a slice of Node's shared pool): the HTTP thread never
      // decodes a body; the first bytes are kept for the uid of an answer past the budget
      const body = Buffer.allocUnsafeSlow(size);
      let at = 0;
      for (const c of chunks) at += c.copy(body, at);
      chunks = null;
      const head = Buffer.from(body.subarray(0, Math.min(size, 4096)));
      const result = await pool.review(body, mode, budgetMs);
      if (res.headersSent || res.destroyed) return;
      if (result.timeout) {
        overBudget(res, mode, label, uidOf(head.toString('utf8')), size, entry);
        return;
      }
      if (result.error) {
        if (result.error.internal) {
          entry.error = result.error.message.slice(0, 300);
          problem(res, 500, 'internal error in claimcheck');
        } else {
          entry.error = result.error.message.slice(0, 300);
          problem(res, 400, result.error.message.slice(0, 1000));
        }
        return;
      }
      // the answer is sent as the engine wrote it; its summary is for the log and metrics
      const { uid, allowed, patched, denied, warned, fixed } = result.summary;
      entry.uid = uid;
      entry.allowed = allowed;
      entry.codes = [...new Set([...denied, ...fixed, ...warned])];
      if (mode === 'mutate') entry.patched = patched;
      const outcome = allowed === false ? 'denied' : patched ? 'patched' : 'allowed';
      metrics.decision(label, outcome);
      metrics.denied(denied);
      metrics.fixed(fixed);
      send(res, 200, result.answer);
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
      if (closing) closeIdle();
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
            metrics.flush(true);
            const { snapshot, workers } = await hooks.collect(() => metrics.snapshot(inFlight));
            send(res, 200, render(snapshot, { workers, version: engineVersion }), 'text/plain; version=0.0.4; charset=utf-8');
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
  let lastConnection = 0;
  server.on('connection', () => {
    lastConnection = Date.now();
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // accepted while the listener was closing: one short chance to send a request
    if (closing) socket.setTimeout(2000, () => socket.destroy());
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
    metrics.certReload();
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
        // keep serving every connection; each answer closes its connection
        await new Promise((r) => setTimeout(r, settings.shutdownDelayMs));
        // then drain: while clients still open connections (the Service has not caught up,
        // or clients queued requests behind the closed keep-alive connections), keep the
        // listener open, until connections have stopped for a moment (or the timeout)
        const until = Date.now() + settings.shutdownTimeoutMs;
        for (let quiet; (quiet = Date.now() - lastConnection) < QUIET_MS && Date.now() < until; ) {
          await new Promise((r) => setTimeout(r, QUIET_MS - quiet));
        }
      }
      closing = true;
      const closed = new Promise((r) => server.close(r));
      closeIdle();
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        server.closeAllConnections();
      }, settings.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      metrics.flush();
      await pool.close();
      return { reason, forced, inFlight };
    })();
    return shuttingDown;
  }

  return {
    server,
    port: server.address().port,
    version: engineVersion,
    snapshot: () => metrics.snapshot(inFlight),
    shutdown,
  };
}
