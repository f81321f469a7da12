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
    inFlight: 0,
    // TLS certificate reloads
    certReloads: 0,
  };
}

export class Metrics {
  constructor() {
    this.s = emptySnapshot();
  }

  request(path, code, seconds) {
    const key = `${path}\u0000${code}`;
    this.s.requests[key] = (this.s.requests[key] ?? 0) + 1;
    let h = this.s.durations[path];
    if (!h) {
      h = { buckets: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.s.durations[path] = h;
    }
    const i = BUCKETS.findIndex((b) => seconds <= b);
    if (i >= 0) h.buckets[i] += 1;
    h.sum += seconds;
    h.count += 1;
  }

  decision(path, outcome) {
    const key = `${path}\u0000${outcome}`;
    this.s.decisions[key] = (this.s.decisions[key] ?? 0) + 1;
  }

  denied(codes) {
    for (const c of codes) this.s.denials[c] = (this.s.denials[c] ?? 0) + 1;
  }

  fixed(codes) {
    for (const c of codes) this.s.fixes[c] = (this.s.fixes[c] ?? 0) + 1;
  }

  snapshot(inFlight) {
    return { ...structuredClone(this.s), inFlight };
  }
}

function addCounts(into, from) {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
}

/** The sum of several workers' snapshots. */
export function mergeSnapshots(snapshots) {
  const out = emptySnapshot();
  for (const s of snapshots) {
    if (!s) continue;
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
  return out;
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
