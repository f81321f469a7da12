// The browser entry in real headless Chromium (Debian's `chromium`, driven by playwright-core):
// a page imports index.js as a native ES module, init() fetches the size-optimised module,
// and the results equal Node's. Skipped when Chromium or playwright-core is not installed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';

import * as cc from '../node.js';
import { PKG, read } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // not installed: skipped below
}
const skip = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
  : !playwright
    ? 'playwright-core is not installed (npm ci in pkg/)'
    : false;

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.json': 'application/json',
};
const seed = read('examples/seed.yaml');
const PAGE = `<!doctype html><meta charset="utf-8"><title>claimcheck</title>
<script type="module">
  import init, { lint, fix, rules, version } from '/index.js';
  const seed = ${JSON.stringify(seed).replace(/</g, '\\u003c')};
  try {
    const t0 = performance.now();
    await init();
    const t1 = performance.now();
    const lintResult = lint(seed);
    const t2 = performance.now();
    window.__result = { lint: lintResult, fix: fix(seed), rules: rules().length, version: version(),
      initMs: t1 - t0, firstLintMs: t2 - t1 };
  } catch (e) {
    window.__result = { error: String(e && e.stack || e) };
  }
</script>`;

let server;
let origin;
before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const file = normalize(join(PKG, decodeURIComponent(url.pathname)));
    if (!file.startsWith(PKG) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  await cc.init();
});
after(() => server?.close());

test('native ES module in Chromium: same results as Node', { skip, timeout: 60_000 }, async () => {
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(origin)) problems.push(`request outside the origin: ${r.url()}`);
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    const r = await page.evaluate(() => window.__result);
    assert.equal(r.error, undefined, r.error);
    assert.deepEqual(r.lint, cc.lint(seed));
    assert.deepEqual(r.fix, cc.fix(seed));
    assert.equal(r.rules, cc.rules().length);
    assert.equal(r.version, cc.version());
    assert.deepEqual(problems, []);
    console.log(`chromium: init ${r.initMs.toFixed(1)} ms, first lint ${r.firstLintMs.toFixed(1)} ms`);
  } finally {
    await browser.close();
  }
});
