// The page's side of the checker worker (worker.js): promise-returning calls. The module's
// bytes are fetched and compiled here, on the page, as soon as the page's first script runs
// (boot.js; the fetch reuses the <link rel=preload> of index.html), while the worker's own
// script loads; the compiled module is then handed to the worker.
import wasmUrl from '../../pkg/dist/web/claimcheck_bg.wasm?url';

export function createChecker() {
  const compiled = WebAssembly.compileStreaming(fetch(wasmUrl))
    .then((module) => {
      performance.mark('cc-module-compiled');
      return module;
    })
    .catch(() => undefined);
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'claimcheck' });
  const pending = new Map();
  let nextId = 1;
  /** Calls made, by operation: the end-to-end tests count them. */
  const calls = {};

  const failAll = (message) => {
    for (const p of pending.values()) p.reject(new Error(message));
    pending.clear();
  };
  worker.onmessage = (e) => {
    const { id, ok, value, error } = e.data;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(new Error(error));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    failAll(`the checker stopped (${e.message || 'worker error'})`);
  };

  const call = (op, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      calls[op] = (calls[op] ?? 0) + 1;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });

  const ready = compiled.then((module) => call('init', module));
  return {
    /**
     * Resolves to `{ rules, version, about }` once the module is loaded in the worker: the
     * rules (with their families), and what the build supports (Kubernetes versions,
     * severities, families), the only source of these lists in the editor.
     */
    ready,
    calls,
    lint: (source, options) => call('lint', source, options),
    fix: (source, options) => call('fix', source, options),
    normalize: (source, options) => call('normalize', source, options),
    diff: (path, before, after) => call('diff', path, before, after),
  };
}

let shared = null;
/** The page's one checker: created by the first call (boot.js), returned by the next ones. */
export function sharedChecker() {
  shared ??= createChecker();
  return shared;
}
