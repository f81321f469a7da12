#!/usr/bin/env node
// The Node command line: a thin host (files, streams, environment) for the command line in
// the WebAssembly module (`runCli`, src/cli/ — the same code as the native binary: flags,
// claimcheck.toml, glob patterns, output formats, messages, exit codes). `--help` and
// `--version` answer from lib/usage.js (generated from the module at build time) without
// loading it; `webhook` starts the admission webhook host (lib/webhook.js).

import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { HELP, VERSION } from '../lib/usage.js';

// Rust's words for the OS errors a user meets, so both command lines say the same.
const OS_ERRORS = {
  ENOENT: 'No such file or directory (os error 2)',
  EACCES: 'Permission denied (os error 13)',
  EISDIR: 'Is a directory (os error 21)',
  ENOTDIR: 'Not a directory (os error 20)',
  ENOSPC: 'No space left on device (os error 28)',
  EROFS: 'Read-only file system (os error 30)',
  EDQUOT: 'Disk quota exceeded (os error 122)',
  ELOOP: 'Too many levels of symbolic links (os error 40)',
};

/** Runs `f`, turning a Node error into the message the command line prints. */
function os(f) {
  try {
    return f();
  } catch (e) {
    throw new Error(OS_ERRORS[e?.code] ?? e?.message ?? String(e));
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Reads at most `max` bytes from a file descriptor, synchronously. */
function readAtMost(fd, max) {
  const chunks = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(Math.min(max, 1 << 20));
  while (total < max) {
    let n;
    try {
      n = fs.readSync(fd, buf, 0, Math.min(buf.length, max - total), null);
    } catch (e) {
      // standard input in non-blocking mode: wait for data
      if (e.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

const readOnly = (mode) => (mode & 0o222) === 0;

/** Replaces a file's contents as the native host does (src/cli/native.rs). */
function writeAtomic(path, bytes) {
  const target = fs.realpathSync(path);
  const st = fs.statSync(target);
  if (!st.isFile()) throw new Error('not a regular file');
  if (readOnly(st.mode)) throw new Error('the file is read-only (Permission denied)');
  const dir = dirname(target);
  if (readOnly(fs.statSync(dir).mode)) {
    throw new Error(`its directory ${dir} is read-only (Permission denied)`);
  }
  let temp;
  let fd = -1;
  for (let n = 0; fd < 0; n++) {
    temp = join(dir, `.${basename(target)}.claimcheck-${process.pid}-${n}.tmp`);
    try {
      fd = fs.openSync(temp, 'wx', st.mode & 0o7777);
    } catch (e) {
      if (e.code !== 'EEXIST' || n >= 99) throw e;
    }
  }
  try {
    for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.chmodSync(temp, st.mode & 0o7777);
    try {
      fs.chownSync(temp, st.uid, st.gid);
    } catch {
      // only root may give a file away; for anyone else it is already theirs
    }
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    try {
      fs.unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  try {
    const d = fs.openSync(dir, 'r');
    fs.fsyncSync(d);
    fs.closeSync(d);
  } catch {
    // the rename is done; syncing the directory is best effort
  }
}

const exists = (p, test = () => true) => {
  try {
    return test(fs.statSync(p));
  } catch {
    return false;
  }
};

/** The host functions of `runCli` (CliHost in index.d.ts). */
const host = {
  read: (path, max) =>
    os(() => {
      if (path === null) return readAtMost(0, max);
      const fd = fs.openSync(path, 'r');
      try {
        return readAtMost(fd, max);
      } finally {
        fs.closeSync(fd);
      }
    }),
  exists: (p) => exists(p),
  isFile: (p) => exists(p, (s) => s.isFile()),
  listDir: (dir) => {
    try {
      return fs.readdirSync(dir === '' ? '.' : dir, { withFileTypes: true }).map((e) => ({
        name: e.name,
        isDir: e.isDirectory(),
      }));
    } catch {
      return [];
    }
  },
  writeAtomic: (path, bytes) => os(() => writeAtomic(path, bytes)),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: () => process.cwd(),
  env: (name) => process.env[name],
  isTty: () => Boolean(process.stdout.isTTY),
};

async function main(argv) {
  if (argv[0] === 'webhook') {
    const { webhookMain } = await import('../lib/webhook.js');
    return webhookMain(argv.slice(1));
  }
  if (argv.length === 0 || argv.some((x) => x === '-h' || x === '--help')) {
    process.stdout.write(HELP);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv.some((x) => x === '-V' || x === '--version')) {
    process.stdout.write(VERSION);
    return 0;
  }
  const { init, runCli } = await import('../node.js');
  await init();
  return runCli(argv, host);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`claimcheck: ${e?.stack ?? e}\n`);
    process.exitCode = 2;
  },
);
