// A review thread of a worker process: runs the engine for the worker's HTTP thread, so that a
// slow review never blocks the event loop that answers /healthz and the other requests, and
// so that a review past its time budget can be stopped (the thread is terminated and a fresh
// one started). Messages:
//   to the HTTP thread:   ready {version} | fatal {message}
//                         | done {id, answer (the AdmissionReview answer as JSON text), summary}
//                         | failed {id, message, internal}
//   from the HTTP thread: {id, body (UTF-8 bytes), mode}
// The answer goes back as the module wrote it: the HTTP thread sends it as it is (no parse,
// no copy of an object between threads, no stringify); what the HTTP thread needs for its log
// and metrics comes in `summary` (see summarize()).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

import * as engine from '../../dist/node/claimcheck.js';
import { init, review, version } from '../../node.js';
import { summarize } from './summary.js';

const { module, options, nice, selfTest } = workerData;

function isInternal(e) {
  return (
    !(e instanceof Error) ||
    e instanceof TypeError ||
    e instanceof WebAssembly.RuntimeError ||
    e.cause instanceof WebAssembly.RuntimeError
  );
}

if (nice) {
  // On Linux a priority set with pid 0 applies to the calling thread only: large bodies are
  // reviewed at a lower priority than small ones, so they cannot starve them of CPU.
  try {
    setPriority(nice);
  } catch {
    // not permitted here: run at the normal priority
  }
}

try {
  await init(module);
  // (through the checked API once: a settings error surfaces here, with its message)
  for (const o of Object.values(options)) review(selfTest, o);
  parentPort.postMessage({ type: 'ready', version: version() });
} catch (e) {
  parentPort.postMessage({
    type: 'fatal',
    message: `settings: ${String(e?.message ?? e).replace(/^claimcheck: /, '')}`,
  });
}

parentPort.on('message', ({ id, body, mode }) => {
  let answer;
  let summary;
  try {
    // (the bytes as they arrived: reviewBytes reads them as a TextDecoder would)
    answer = engine.reviewBytes(body, options[mode]);
    summary = summarize(JSON.parse(answer));
  } catch (e) {
    parentPort.postMessage({
      type: 'failed',
      id,
      // (the module is called without the API wrapper: its wording for a trap, as lint() says it)
      message:
        e instanceof WebAssembly.RuntimeError
          ? `claimcheck: internal error in the WebAssembly module (${e.message})`
          : String(e?.message ?? e),
      internal: isInternal(e),
    });
    return;
  }
  parentPort.postMessage({ type: 'done', id, answer, summary });
});
