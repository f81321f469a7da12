// Entry point for Node (ESM): the speed-optimised module, read from disk.
import { readFile } from 'node:fs/promises';

import * as bindings from './dist/node/claimcheck.js';
import { createApi } from './lib/api.js';

const api = createApi(async (input) => {
  const source =
    input ?? (await readFile(new URL('./dist/node/claimcheck_bg.wasm', import.meta.url)));
  await bindings.default({ module_or_path: source });
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
