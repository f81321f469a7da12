// Counters of one worker, as plain data that the primary process can add up, and their
// rendering in the Prometheus text exposition format (version 0.0.4).

/** Upper bounds of the latency histogram, in seconds. */
export const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function emptySnapshot() {
  return {
    // "path\u0000code" → count
    requests: {},
    // path → { buckets: counts per BUCKETS entry (not cumulative), sum (s), count }
    durations: {},
    // "path\u0000allowed|denied|patched" → count
    decisions: {},
    // rule code → count
    denials: {},
    // rule code → count
    fixes: {},
    // validate|mutate → reviews answered by the failure policy past their time budget
    timeouts: {},
    // small|large → review threads replaced (after a timeout or an engine failure)
    threadRestarts: {},
    inFlight: 0,
    // TLS certificate reloads
    certReloads: 0,
  };
}

/**
 * The counters of one worker process. Every change goes into the totals and into a pending
 * delta that is handed to `onDelta` on the next turn of the event loop (the worker sends it to
 * the primary, which keeps the sums: a worker killed with SIGKILL takes at most the counts of
 * its last turn with it).
 */
export class Metrics {
  constructor(onDelta = null) {
    this.s = emptySnapshot();
    this.pending = emptySnapshot();
    this.dirty = false;
    this.scheduled = false;
    this.onDelta = onDelta;
  }

  apply(f) {
    f(this.s);
    f(this.pending);
    this.dirty = true;
    if (this.onDelta && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hands the pending delta over now (`force`: even when nothing changed, for the gauge). */
  flush(force = false) {
    this.scheduled = false;
    if ((!this.dirty && !force) || !this.onDelta) return;
    const delta = this.pending;
    this.pending = emptySnapshot();
    this.dirty = false;
    this.onDelta(delta);
  }

  request(path, code, seconds) {
    const key = `${path}\u0000${code}`;
    const i = BUCKETS.findIndex((b) => seconds <= b);
    this.apply((s) => {
      s.requests[key] = (s.requests[key] ?? 0) + 1;
      let h = s.durations[path];
      if (!h) {
        h = { buckets: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 };
        s.durations[path] = h;
      }
      if (i >= 0) h.buckets[i] += 1;
      h.sum += seconds;
      h.count += 1;
    });
  }

  decision(path, outcome) {
    const key = `${path}\u0000${outcome}`;
    this.apply((s) => {
      s.decisions[key] = (s.decisions[key] ?? 0) + 1;
    });
  }

  denied(codes) {
    if (codes.length === 0) return;
    this.apply((s) => {
      for (const c of codes) s.denials[c] = (s.denials[c] ?? 0) + 1;
    });
  }

  fixed(codes) {
    if (codes.length === 0) return;
    this.apply((s) => {
      for (const c of codes) s.fixes[c] = (s.fixes[c] ?? 0) + 1;
    });
  }

  timeout(mode) {
    this.apply((s) => {
      s.timeouts[mode] = (s.timeouts[mode] ?? 0) + 1;
    });
  }

  threadRestart(lane) {
    this.apply((s) => {
      s.threadRestarts[lane] = (s.threadRestarts[lane] ?? 0) + 1;
    });
  }

  certReload() {
    this.apply((s) => {
      s.certReloads += 1;
    });
  }

  snapshot(inFlight) {
    return { ...structuredClone(this.s), inFlight };
  }
}

function addCounts(into, from) {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
}

/** Adds the counts of `from` (a snapshot or a delta) into `into`, in place. */
export function addSnapshot(into, from) {
  mergeInto(into, from);
  return into;
}

/** The sum of several workers' snapshots. */
export function mergeSnapshots(snapshots) {
  const out = emptySnapshot();
  for (const s of snapshots) mergeInto(out, s);
  return out;
}

function mergeInto(out, s) {
  {
    if (!s) return;
    addCounts(out.timeouts, s.timeouts);
    addCounts(out.threadRestarts, s.threadRestarts);
    addCounts(out.requests, s.requests);
    addCounts(out.decisions, s.decisions);
    addCounts(out.denials, s.denials);
    addCounts(out.fixes, s.fixes);
    for (const [path, h] of Object.entries(s.durations ?? {})) {
      const o = (out.durations[path] ??= {
        buckets: new Array(BUCKETS.length).fill(0),
        sum: 0,
        count: 0,
      });
      h.buckets.forEach((n, i) => {
        o.buckets[i] += n;
      });
      o.sum += h.sum;
      o.count += h.count;
    }
    out.inFlight += s.inFlight ?? 0;
    out.certReloads += s.certReloads ?? 0;
  }
}

const escape = (v) => String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (pairs) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;
const number = (n) => (Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, ''));
const sorted = (o) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Prometheus text for a (merged) snapshot. */
export function render(s, { workers, version }) {
  const out = [];
  const head = (name, type, help) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };

  head('claimcheck_webhook_requests_total', 'counter', 'HTTP requests answered, by path and status code.');
  for (const [key, n] of sorted(s.requests)) {
    const [path, code] = key.split('\u0000');
    out.push(`claimcheck_webhook_requests_total${labels({ path, code })} ${n}`);
  }

  head(
    'claimcheck_webhook_request_duration_seconds',
    'histogram',
    'Time from the start of a request to the end of its answer, by path.',
  );
  for (const [path, h] of sorted(s.durations)) {
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += h.buckets[i];
      out.push(
        `claimcheck_webhook_request_duration_seconds_bucket${labels({ path, le: number(le) })} ${cumulative}`,
      );
    });
    out.push(
      `claimcheck_webhook_request_duration_seconds_bucket${labels({ path, le: '+Inf' })} ${h.count}`,
      `claimcheck_webhook_request_duration_seconds_sum${labels({ path })} ${number(h.sum)}`,
      `claimcheck_webhook_request_duration_seconds_count${labels({ path })} ${h.count}`,
    );
  }

  head(
    'claimcheck_webhook_admission_reviews_total',
    'counter',
    'AdmissionReviews answered, by path and outcome (allowed, denied, patched).',
  );
  for (const [key, n] of sorted(s.decisions)) {
    const [path, outcome] = key.split('\u0000');
    out.push(`claimcheck_webhook_admission_reviews_total${labels({ path, outcome })} ${n}`);
  }

  head(
    'claimcheck_webhook_denials_total',
    'counter',
    'Findings that denied an AdmissionReview, by rule code.',
  );
  for (const [code, n] of sorted(s.denials)) {
    out.push(`claimcheck_webhook_denials_total${labels({ code })} ${n}`);
  }

  head('claimcheck_webhook_fixes_total', 'counter', 'Fixes returned as JSON Patch, by rule code.');
  for (const [code, n] of sorted(s.fixes)) {
    out.push(`claimcheck_webhook_fixes_total${labels({ code })} ${n}`);
  }

  head(
    'claimcheck_webhook_review_timeouts_total',
    'counter',
    'Reviews past their time budget, answered by the failure policy, by mode.',
  );
  for (const [mode, n] of sorted(s.timeouts ?? {})) {
    out.push(`claimcheck_webhook_review_timeouts_total${labels({ mode })} ${n}`);
  }

  head(
    'claimcheck_webhook_review_thread_restarts_total',
    'counter',
    'Review threads replaced after a timeout or an engine failure, by lane (small, large bodies).',
  );
  for (const [lane, n] of sorted(s.threadRestarts ?? {})) {
    out.push(`claimcheck_webhook_review_thread_restarts_total${labels({ lane })} ${n}`);
  }

  head('claimcheck_webhook_in_flight_requests', 'gauge', 'Requests being answered now.');
  out.push(`claimcheck_webhook_in_flight_requests ${s.inFlight}`);

  head('claimcheck_webhook_tls_reloads_total', 'counter', 'Certificate reloads after the files changed (per worker).');
  out.push(`claimcheck_webhook_tls_reloads_total ${s.certReloads}`);

  head('claimcheck_webhook_workers', 'gauge', 'Worker processes serving requests.');
  out.push(`claimcheck_webhook_workers ${workers}`);

  head('claimcheck_webhook_build_info', 'gauge', 'The claimcheck version.');
  out.push(`claimcheck_webhook_build_info${labels({ version })} 1`);

  return `${out.join('\n')}\n`;
}
