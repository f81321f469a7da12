// The hostile sender of webhook-hostile.mjs's mixed part, in its own thread (so that encrypting
// megabytes does not delay the measured requests): two connections post the hostile bodies
// back to back, alternating /validate and /mutate, until `until`.
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');

const { port, ca, bodies, until, nice } = workerData;
if (nice) require('node:os').setPriority(nice);
const agent = new https.Agent({ keepAlive: true, maxSockets: 2, ca });
const outcomes = [];
function post(path, body) {
  return new Promise((resolve) => {
    const req = https.request(
      { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', (e) => resolve(e.code || e.message));
    req.end(body);
  });
}
async function lane(offset) {
  for (let i = offset; Date.now() < until; i++) {
    const path = i % 2 ? '/mutate' : '/validate';
    const started = Date.now();
    const status = await post(path, bodies[i % bodies.length]);
    outcomes.push({ body: i % bodies.length, path, status, ms: Date.now() - started });
  }
}
Promise.all([lane(0), lane(1)]).then(() => {
  agent.destroy();
  parentPort.postMessage(outcomes);
});
