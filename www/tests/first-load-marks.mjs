// Benchmark helper (not a test): loads the built editor N times in fresh contexts of headless
// Chromium and prints, per load, when each of the page's performance marks fell (ms after
// navigation start) and the first diagnostics, then the medians. Several builds can be compared
// side by side, interleaved, so that machine load hits them alike:
//   node www/tests/first-load-marks.mjs [N] DIST [DIST ...]
import { chromium } from 'playwright-core';

import { startServer } from './server.mjs';

const args = process.argv.slice(2);
const n = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 7;
const dists = args.length ? args : [new URL('../dist/', import.meta.url).pathname];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const servers = await Promise.all(dists.map((d) => startServer(d)));
const runs = dists.map(() => []);
for (let i = 0; i < n; i++) {
  for (const [k, server] of servers.entries()) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__claimcheck?.ready === true, null, { timeout: 15_000 });
    const marks = await page.evaluate(() => ({
      ...Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('cc-')).map((m) => [m.name, Math.round(m.startTime)])),
      first: Math.round(window.__claimcheck.firstDiagnosticsMs),
      workerStart: window.__claimcheck.workerInitMs?.scriptStart,
      initReceived: window.__claimcheck.workerInitMs?.initReceived,
      instantiate: Math.round(window.__claimcheck.workerInitMs?.instantiate ?? 0),
      catalogue: Math.round(window.__claimcheck.workerInitMs?.catalogue ?? 0),
    }));
    runs[k].push(marks);
    await context.close();
  }
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
for (const [k, dist] of dists.entries()) {
  const keys = Object.keys(runs[k][0]);
  const med = Object.fromEntries(keys.map((key) => [key, median(runs[k].map((r) => r[key]).filter((x) => x !== undefined))]));
  console.log(JSON.stringify({ dist, median: med, first: runs[k].map((r) => r.first) }));
}
await Promise.all(servers.map((s) => s.close()));
await browser.close();
