// The claimcheck WebAssembly module, in a Web Worker: every call of the editor runs here, so
// typing never waits for the checker. Messages in: `{ id, op, args }`; out: `{ id, ok, value }`
// or `{ id, ok: false, error }` (structured clones of the package's results).
import * as claimcheck from 'claimcheck';

let loading = null;
/** When this script started, on the shared clock (ms since the epoch), for the load timings. */
const scriptStart = performance.timeOrigin + performance.now();

/** `init` may carry a WebAssembly.Module compiled by the page, which started the fetch early. */
function load(module) {
  loading ??= claimcheck.init(module);
  return loading;
}

const ops = {
  init: async (module) => {
    const t0 = performance.now();
    await load(module);
    const t1 = performance.now();
    const info = { rules: claimcheck.rules(), version: claimcheck.version(), about: claimcheck.about() };
    // Where the worker's part of loading went (the end-to-end timings report it): its script's
    // start and the init message's arrival on the shared clock, instantiation and catalogue in ms.
    const at = (t) => performance.timeOrigin + t;
    const workerMs = { scriptStart, initReceived: at(t0), instantiate: t1 - t0, catalogue: performance.now() - t1 };
    return { ...info, workerMs };
  },
  lint: (source, options) => {
    const t0 = performance.now();
    const result = claimcheck.lint(source, options);
    // `documents` is computed lazily by the package (a second parse): not needed here.
    const { diagnostics, summary } = result;
    return { diagnostics, summary, workMs: performance.now() - t0 };
  },
  fix: (source, options) => claimcheck.fix(source, options),
  normalize: (source, options) => claimcheck.normalize(source, options),
  diff: (path, before, after) => claimcheck.diff(path, before, after),
};

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  try {
    if (op !== 'init') await loading;
    const f = ops[op];
    if (!f) throw new Error(`unknown operation ${op}`);
    const value = await f(...args);
    self.postMessage({ id, ok: true, value });
  } catch (err) {
    self.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
