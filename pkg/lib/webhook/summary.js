// What the HTTP thread logs and counts of an AdmissionReview answer, taken by the review thread
// (review-thread.js) so that the answer itself crosses between the threads as text only.

// Rule codes named by an answer: the denial message lists "CODE /pointer: message; ...",
// validation warnings start with "CODE /pointer:", mutation warnings with "claimcheck fixed CODE:".
const DENIED_CODE = /(?:problems?: |; )(CC\d{3}) \//g;
const WARNED_CODE = /^(CC\d{3}) \//;
const FIXED_CODE = /^claimcheck fixed (CC\d{3}):/;

/** What the HTTP thread logs and counts of an answer. */
export function summarize(answer) {
  const r = answer?.response ?? {};
  const denied = new Set();
  const warned = new Set();
  const fixed = new Set();
  const message = r.status?.message;
  if (r.allowed === false && typeof message === 'string') {
    for (const m of message.matchAll(DENIED_CODE)) denied.add(m[1]);
  }
  for (const w of Array.isArray(r.warnings) ? r.warnings : []) {
    if (typeof w !== 'string') continue;
    const f = FIXED_CODE.exec(w);
    if (f) fixed.add(f[1]);
    const c = WARNED_CODE.exec(w);
    if (c) warned.add(c[1]);
  }
  return {
    uid: r.uid,
    allowed: r.allowed,
    patched: typeof r.patch === 'string',
    denied: [...denied],
    warned: [...warned],
    fixed: [...fixed],
  };
}
