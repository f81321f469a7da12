'use strict';
// Entry point for Node (CommonJS). `await init()` loads the ESM build (node.js) once; the
// functions are synchronous afterwards and share their state with `import 'claimcheck'`.

let api = null;

async function init(input) {
  if (!api) api = await import('./node.js');
  await api.init(input);
}

function loaded() {
  if (!api) {
    const e = new Error(
      'claimcheck: the WebAssembly module is not loaded yet; call `await init()` once first',
    );
    e.code = 'ERR_CLAIMCHECK_NOT_LOADED';
    throw e;
  }
  return api;
}

module.exports = {
  init,
  default: init,
  lint: (source, options) => loaded().lint(source, options),
  fix: (source, options) => loaded().fix(source, options),
  normalize: (source, options) => loaded().normalize(source, options),
  review: (body, options) => loaded().review(body, options),
  rules: () => loaded().rules(),
  version: () => loaded().version(),
  about: () => loaded().about(),
  report: (files, options) => loaded().report(files, options),
  diff: (path, before, after) => loaded().diff(path, before, after),
  fixOne: (source, options, index) => loaded().fixOne(source, options, index),
  runCli: (argv, host) => loaded().runCli(argv, host),
};
