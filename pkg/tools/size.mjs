// Measures the WebAssembly modules (raw, gzip -9, brotli q11) and compares them with the
// committed record pkg/size.json: fails when a figure grew by more than 5% without the
// record being updated, and whenever the browser module is over its budget of 400 KB gzipped
// (issue 14), updated record or not. `node tools/size.mjs --update` rewrites the record.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const LIMIT = 0.05;
/** The browser module's budget, gzip -9 bytes. */
const WEB_GZIP_BUDGET = 400_000;
const here = new URL('../', import.meta.url);
const recordUrl = new URL('size.json', here);
const modules = {
  web: 'dist/web/claimcheck_bg.wasm',
  node: 'dist/node/claimcheck_bg.wasm',
};

function measure(path) {
  const bytes = readFileSync(new URL(path, here));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const current = {};
for (const [name, path] of Object.entries(modules)) current[name] = measure(path);

if (process.argv.includes('--update')) {
  const record = {
    note: 'Sizes of the WebAssembly modules in bytes; scripts/test-wasm.sh fails on growth over 5% unless this file is updated (node pkg/tools/size.mjs --update).',
    modules: current,
  };
  writeFileSync(recordUrl, `${JSON.stringify(record, null, 2)}\n`);
  console.log('size.json updated');
}

let record;
try {
  record = JSON.parse(readFileSync(recordUrl, 'utf8')).modules;
} catch (e) {
  console.error(`size: cannot read pkg/size.json (${e.message}); run node pkg/tools/size.mjs --update`);
  process.exit(1);
}

let failed = false;
for (const [name, now] of Object.entries(current)) {
  const was = record[name];
  const cells = [];
  for (const k of ['raw', 'gzip', 'brotli']) {
    const before = was?.[k];
    const change = before ? (now[k] - before) / before : Infinity;
    cells.push(`${k} ${kb(now[k])} (${change === Infinity ? 'new' : `${(change * 100).toFixed(1)}%`})`);
    if (!(change <= LIMIT)) {
      failed = true;
      console.error(
        `size: ${modules[name]} ${k} is ${now[k]} bytes, recorded ${before ?? 'nothing'}: ` +
          'grew by more than 5%; if that is intended, run node pkg/tools/size.mjs --update and commit pkg/size.json',
      );
    }
  }
  console.log(`size: ${name.padEnd(4)} ${cells.join(', ')}`);
}
if (current.web.gzip > WEB_GZIP_BUDGET) {
  failed = true;
  console.error(
    `size: ${modules.web} is ${current.web.gzip} bytes gzipped, over the browser budget of ${WEB_GZIP_BUDGET}`,
  );
}
process.exit(failed ? 1 : 0);
