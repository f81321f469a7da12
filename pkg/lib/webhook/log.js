// Structured logs: one JSON object per line on standard output (synchronous on Linux pipes
// and files, so lines from several processes never interleave within a line).
//
// Lines are bounded: values come from requests (a uid, a path, an error message), so each
// string is cut at MAX_STRING characters and each list at MAX_ITEMS entries.

export const MAX_STRING = 256;
const MAX_ITEMS = 32;

function bound(v) {
  if (typeof v === 'string') {
    return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING - 1)}…` : v;
  }
  if (Array.isArray(v)) {
    const out = v.slice(0, MAX_ITEMS).map(bound);
    if (v.length > MAX_ITEMS) out.push(`… ${v.length - MAX_ITEMS} more`);
    return out;
  }
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v).slice(0, MAX_ITEMS)) out[bound(k)] = bound(x);
    return out;
  }
  return v;
}

export function log(level, msg, fields = {}) {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...bound(fields) })}\n`,
  );
}
