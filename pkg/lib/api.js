// The JavaScript face of the WebAssembly module, shared by every entry point.
// The module returns JSON strings (the DTOs of src/dto.rs; diagnostics as in the native CLI's
// `--format json`); this wrapper loads the module once, checks arguments, and parses the
// results. Every error it throws has a stable `code` (ErrorCode in index.d.ts).

const NOT_LOADED =
  'claimcheck: the WebAssembly module is not loaded yet; call `await init()` once first';

/**
 * @param {(input: unknown) => Promise<any>} load instantiates the module and returns the
 *   wasm-bindgen bindings.
 */
/**
 * review() of the module. A large body goes in as its UTF-8 bytes where the module takes them
 * (the Node build's reviewBytes, which reads bytes as a TextDecoder does): the module's own
 * copy of a string is a JavaScript loop over its characters, ≈ 10 ms for 3 MiB. (A leading
 * U+FEFF stays a string: reviewBytes would drop it as a byte-order mark.)
 */
function review(g, body, options) {
  if (g.reviewBytes && body.length > 16384 && body.charCodeAt(0) !== 0xfeff) {
    return g.reviewBytes(UTF8.encode(body), options);
  }
  return g.review(body, options);
}

const UTF8 = new TextEncoder();

export function createApi(load) {
  let glue = null;
  let loading = null;

  async function init(input) {
    if (glue) return;
    if (!loading) {
      loading = load(input).then(
        (g) => {
          warmUp(g);
          glue = g;
        },
        (e) => {
          loading = null;
          throw e;
        },
      );
    }
    await loading;
  }

  function call(f) {
    if (!glue) throw coded(new Error(NOT_LOADED), 'ERR_CLAIMCHECK_NOT_LOADED');
    try {
      return f(glue);
    } catch (e) {
      // A trap is a bug in claimcheck, never the input's fault; say so instead of the bare
      // `RuntimeError: unreachable` (the panic message is on console.error).
      if (e instanceof WebAssembly.RuntimeError) {
        throw coded(
          new Error(
            `claimcheck: internal error in the WebAssembly module (${e.message}); ` +
              'please report it with the input that caused it',
            { cause: e },
          ),
          'ERR_CLAIMCHECK_INTERNAL',
        );
      }
      throw e;
    }
  }

  function text(value, what) {
    if (typeof value !== 'string') {
      throw argumentError(`${what} must be a string, got ${describe(value)}`);
    }
    return value;
  }

  return {
    init,
    isLoaded: () => glue !== null,
    lint: (source, options) => {
      const result = JSON.parse(call((g) => g.lint(text(source, 'source'), options)));
      // `documents` costs a second parse of the text: computed on first access only.
      let documents;
      Object.defineProperty(result, 'documents', {
        enumerable: true,
        configurable: true,
        get() {
          documents ??= JSON.parse(call((g) => g.documents(source, options)));
          return documents;
        },
        set(value) {
          documents = value;
        },
      });
      return result;
    },
    fix: (source, options) => JSON.parse(call((g) => g.fix(text(source, 'source'), options))),
    normalize: (source, options) =>
      JSON.parse(call((g) => g.normalize(text(source, 'source'), options))),
    review: (body, options) => JSON.parse(call((g) => review(g, text(body, 'body'), options))),
    rules: () => JSON.parse(call((g) => g.rules())),
    version: () => call((g) => g.version()),
    about: () => JSON.parse(call((g) => g.about())),
    report: (files, options) => {
      if (!Array.isArray(files)) {
        throw argumentError(`files must be an array, got ${describe(files)}`);
      }
      return JSON.parse(call((g) => g.report(files, options)));
    },
    diff: (path, before, after) =>
      call((g) => g.diff(text(path, 'path'), text(before, 'before'), text(after, 'after'))),
    runCli: (argv, host) => {
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) {
        throw argumentError(`argv must be an array of strings, got ${describe(argv)}`);
      }
      if (host === null || typeof host !== 'object') {
        throw argumentError(`host must be an object, got ${describe(host)}`);
      }
      return call((g) => {
        if (typeof g.runCli !== 'function') {
          throw coded(
            new Error('claimcheck: runCli() is in the Node build only (the browser build has no command line)'),
            'ERR_CLAIMCHECK_ARGUMENT',
          );
        }
        return g.runCli(argv, host);
      });
    },
    fixOne: (source, options, index) => {
      if (!Number.isInteger(index) || index < 0) {
        throw argumentError(
          `index must be a diagnostic's position in lint()'s list, got ${describe(index)}`,
        );
      }
      return JSON.parse(call((g) => g.fixOne(text(source, 'source'), options, index)));
    },
  };
}

// WebAssembly engines compile a module's functions lazily, on their first call: the first
// lint after loading would pay for compiling the engine's code (tens of ms). init() pays it
// instead, with one small lint and fix, so that every call after init() is fast.
const WARM_UP = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        volumeMounts: [{name: dat, mountPath: /data}]
  volumeClaimTemplates:
  - accessModes: [ReadWriteOnce]
    resources: {requests: {storage: 1Gi}}
---
{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "x"}, "spec": {}}
`;

function warmUp(g) {
  try {
    g.lint(WARM_UP, undefined);
    g.fix(WARM_UP, { unsafeFixes: true });
  } catch {
    // Only a warm-up: real calls report their own errors.
  }
}

function coded(error, code) {
  error.code = code;
  return error;
}

function argumentError(message) {
  return coded(new TypeError(`claimcheck: ${message}`), 'ERR_CLAIMCHECK_ARGUMENT');
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}
