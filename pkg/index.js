// Entry point for browsers and bundlers (Vite, webpack, esbuild): the size-optimised module.
// `await init()` fetches `dist/web/claimcheck_bg.wasm` next to this file; pass bytes, a URL,
// a Response or a compiled WebAssembly.Module to load it from somewhere else.
import * as bindings from './dist/web/claimcheck.js';
import { createApi } from './lib/api.js';

const api = createApi(async (input) => {
  await bindings.default(input === undefined ? undefined : { module_or_path: input });
  return bindings;
});

export const {
  init,
  lint,
  fix,
  normalize,
  review,
  rules,
  version,
  about,
  report,
  diff,
  fixOne,
  runCli,
} = api;
export default init;
