// The review threads of one worker process, and the per-review time budget.
//
// Reviews run in worker threads (review-thread.js), never on the thread that serves HTTP.
// Two lanes, one thread each: small bodies (what the API server sends for ordinary objects)
// and large ones (reviewed at a lower CPU priority), so a few large or hostile bodies never
// queue in front of ordinary reviews. Each review has a time budget counted from the moment
// its body has arrived: past it the request is answered at once (as the webhook's failure
// policy would have it) and, if the review is running, its thread is terminated and a fresh
// one started from the already compiled module.
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Bodies above this many bytes go to the large lane. */
export const LARGE_BODY = 64 * 1024;
/** The large lane's niceness (Linux: per thread). */
const LARGE_NICE = 10;
const THREAD = new URL('./review-thread.js', import.meta.url);

let compiled = null;
/** The engine, compiled once per process and shared with every thread. */
function engineModule() {
  compiled ??= new WebAssembly.Module(
    readFileSync(new URL('../../dist/node/claimcheck_bg.wasm', import.meta.url)),
  );
  return compiled;
}

/** The ids of this process's threads (Linux), or null. */
function threadIds() {
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return null;
  }
}

/** Gives the one thread started since `before` the niceness `nice` (Linux: per thread). */
function lowerNewThread(before, nice) {
  const now = threadIds();
  if (!now) return;
  const fresh = [...now].filter((t) => !before.has(t));
  // (the Worker constructor starts exactly one thread; anything else: leave it to the thread)
  if (fresh.length !== 1) return;
  try {
    setPriority(Number(fresh[0]), nice);
  } catch {
    // not permitted here: the thread lowers its own priority when it starts
  }
}

class Lane {
  constructor(name, data, events) {
    this.name = name;
    this.data = data;
    this.events = events;
    this.queue = [];
    this.current = null;
    this.thread = null;
    this.ready = null;
    this.closed = false;
    this.restarts = 0;
  }

  /** Starts a thread; resolves with the engine's version once it has loaded. */
  start() {
    const before = this.data.nice ? threadIds() : null;
    const thread = new Worker(THREAD, { workerData: this.data });
    // The thread lowers its own priority once its code runs, but Node's start-up of a thread
    // comes first (≈ 25 ms of CPU): lower it from here at once, so that replacing a large-lane
    // thread after a hostile body (a review past its budget) costs no CPU at the normal
    // priority, which the HTTP thread and the small lane need.
    if (before) lowerNewThread(before, this.data.nice);
    this.thread = thread;
    let up = false;
    this.ready = new Promise((resolve, reject) => {
      thread.on('message', (m) => {
        if (thread !== this.thread) return;
        switch (m?.type) {
          case 'ready':
            up = true;
            resolve(m.version);
            this.next();
            break;
          case 'fatal':
            reject(new Error(m.message));
            break;
          case 'done':
          case 'failed':
            this.finish(m);
            break;
          default:
        }
      });
      thread.on('error', (e) => {
        if (thread !== this.thread) return;
        if (up) this.lost(String(e?.message ?? e));
        else reject(e);
      });
      thread.on('exit', (code) => {
        if (thread !== this.thread || this.closed) return;
        if (up) this.lost('the review thread exited');
        else reject(new Error(`the review thread exited (${code}) while starting`));
      });
    });
    // an unhandled rejection would end the process; callers await `ready` where it matters
    this.ready.catch(() => {});
    return this.ready;
  }

  /** The thread died under a review: answer it as an internal error and start another. */
  lost(message) {
    const job = this.current;
    this.current = null;
    if (job) {
      clearTimeout(job.timer);
      job.resolve({ error: { message, internal: true } });
    }
    this.replace();
  }

  replace() {
    if (this.closed) return;
    const old = this.thread;
    this.thread = null;
    old?.terminate().catch(() => {});
    this.restarts += 1;
    this.events.onReplace?.(this.name);
    this.start().catch((e) => this.events.onFatal?.(e));
  }

  finish(m) {
    const job = this.current;
    if (!job || job.id !== m.id) return;
    this.current = null;
    clearTimeout(job.timer);
    if (m.type === 'done') job.resolve({ answer: m.answer, summary: m.summary });
    else {
      job.resolve({ error: { message: m.message, internal: m.internal } });
      // a trap may leave the module's memory in any state
      if (m.internal) {
        this.replace();
        return;
      }
    }
    this.next();
  }

  next() {
    if (this.current || !this.thread || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    const b = job.body;
    // a Buffer that owns its whole ArrayBuffer is moved to the thread; small ones (from
    // Node's shared pool) are copied
    const own = b.byteOffset === 0 && b.buffer.byteLength === b.length;
    this.thread.postMessage({ id: job.id, body: b, mode: job.mode }, own ? [b.buffer] : []);
    job.body = null;
  }

  run(job) {
    this.queue.push(job);
    job.timer = setTimeout(() => {
      if (this.current === job) {
        // the engine is still at it: stop the thread, answer, carry on with a fresh one
        this.current = null;
        job.resolve({ timeout: true, lane: this.name });
        this.replace();
      } else {
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        job.resolve({ timeout: true, lane: this.name, queued: true });
      }
    }, job.budgetMs);
    // a thread being replaced picks the queue up once it is ready
    this.ready.then(() => this.next(), () => {});
  }

  async close() {
    this.closed = true;
    const t = this.thread;
    this.thread = null;
    await t?.terminate();
  }
}

/**
 * @param {object} options review options by mode ({validate, mutate})
 * @param {string} selfTest an AdmissionReview each thread answers once at start
 * @param {{onReplace?: (lane) => void, onFatal?: (error) => void}} events
 */
export class ReviewPool {
  constructor(options, selfTest, events = {}) {
    const data = (nice) => ({ module: engineModule(), options, selfTest, nice });
    this.lanes = {
      small: new Lane('small', data(0), events),
      large: new Lane('large', data(LARGE_NICE), events),
    };
    this.sequence = 0;
  }

  /** Resolves with the engine's version once every thread has loaded it. */
  async start() {
    const [v] = await Promise.all([this.lanes.small.start(), this.lanes.large.start()]);
    return v;
  }

  /**
   * Reviews one body (a Buffer of UTF-8 JSON) within budgetMs. Resolves with {answer (JSON
   * text), summary (review-thread.js)} |
   * {error: {message, internal}} | {timeout: true, lane, queued?}.
   */
  review(body, mode, budgetMs) {
    const lane = body.length > LARGE_BODY ? this.lanes.large : this.lanes.small;
    return new Promise((resolve) => {
      this.sequence += 1;
      lane.run({ id: this.sequence, body, mode, budgetMs, resolve, timer: null });
    });
  }

  restarts() {
    return this.lanes.small.restarts + this.lanes.large.restarts;
  }

  close() {
    return Promise.all([this.lanes.small.close(), this.lanes.large.close()]);
  }
}
