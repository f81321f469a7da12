#!/usr/bin/env node
// The Node command line: `claimcheck check | fix | normalize | rules`, with the native CLI's
// flags, output formats and exit codes (0 no errors, 1 errors found, 2 usage or I/O failure).
// The reports are rendered by the same Rust code as the native CLI, through WebAssembly.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

import { diff, fix, init, normalize, report, rules, version } from '../node.js';

const USAGE = `claimcheck — lint and fix Kubernetes StatefulSet and PersistentVolumeClaim manifests

Usage:
  claimcheck check [OPTIONS] [FILES... | -]
  claimcheck fix [--unsafe-fixes] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck normalize [--with-defaults] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck rules [--format text|json]

FILES may be glob patterns ("manifests/**/*.yaml"); - or none reads standard input.

Options:
  --format text|json|sarif       output format of \`check\` (default: text)
  --kubernetes-version X.Y       the cluster's version (default: the newest supported)
  --position-encoding utf8|utf16 how JSON columns are counted (default: utf8)
  --disable CODE[,CODE...]       turn rules off
  --severity CODE=LEVEL          change a rule's severity (error, warning, hint)
  --unsafe-fixes                 also apply fixes that guess the intent
  --with-defaults                normalize: also write the defaults the API server fills in
  --old FILE                     the live (previous) version of the objects: check the update
  --no-color                     plain text output
  -h, --help                     this text
  -V, --version                  the version

Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.`;

class UsageError extends Error {}
class IoError extends Error {}

const SEVERITIES = { error: 'error', warning: 'warning', warn: 'warning', hint: 'hint', info: 'hint' };

function findRule(catalogue, code) {
  return catalogue.find((r) => r.code.toLowerCase() === code.toLowerCase() || r.name === code);
}

function parseArgs(argv, catalogue) {
  const a = {
    command: argv[0],
    files: [],
    format: 'text',
    diff: false,
    stdout: false,
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
    positionEncoding: 'utf8',
    kubernetesVersion: undefined,
    unsafeFixes: false,
    disabled: new Set(),
    severity: new Map(),
    old: [],
  };
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    let flag = arg;
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      flag = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    }
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= rest.length) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return rest[i];
    };
    switch (flag) {
      case '--format':
        a.format = value();
        break;
      case '--kubernetes-version':
        a.kubernetesVersion = value();
        break;
      case '--position-encoding': {
        const v = value();
        if (v === 'utf8' || v === 'utf-8') a.positionEncoding = 'utf8';
        else if (v === 'utf16' || v === 'utf-16') a.positionEncoding = 'utf16';
        else throw new UsageError(`unknown position encoding \`${v}\``);
        break;
      }
      case '--disable':
        for (const code of value().split(',')) {
          const r = findRule(catalogue, code.trim());
          if (!r) throw new UsageError(`unknown rule \`${code}\``);
          a.disabled.add(r.code);
        }
        break;
      case '--severity': {
        const v = value();
        const at = v.indexOf('=');
        if (at < 0) throw new UsageError('--severity takes CODE=LEVEL');
        const code = v.slice(0, at);
        const level = v.slice(at + 1);
        const r = findRule(catalogue, code.trim());
        if (!r) throw new UsageError(`unknown rule \`${code}\``);
        const s = SEVERITIES[level.trim()];
        if (!s) throw new UsageError(`unknown severity \`${level}\``);
        a.severity.set(r.code, s);
        break;
      }
      case '--old':
        a.old.push(value());
        break;
      case '--unsafe-fixes':
        a.unsafeFixes = true;
        break;
      case '--with-defaults':
        a.withDefaults = true;
        break;
      case '--diff':
        a.diff = true;
        break;
      case '--stdout':
        a.stdout = true;
        break;
      case '--no-color':
        a.color = false;
        break;
      case '-':
        a.files.push(arg);
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option \`${flag}\``);
        a.files.push(arg);
    }
  }
  if (!['text', 'json', 'sarif'].includes(a.format)) {
    throw new UsageError(`unknown format \`${a.format}\` (expected text, json, sarif)`);
  }
  return a;
}

/** Engine options from the parsed flags; a disabled rule stays off whatever its severity. */
function engineOptions(a) {
  const ruleSettings = {};
  for (const [code, s] of a.severity) ruleSettings[code] = s;
  for (const code of a.disabled) ruleSettings[code] = 'off';
  return {
    kubernetesVersion: a.kubernetesVersion,
    unsafeFixes: a.unsafeFixes,
    rules: ruleSettings,
  };
}

// ---- inputs: files, glob patterns, standard input ----

const OS_ERRORS = {
  ENOENT: 'No such file or directory (os error 2)',
  EACCES: 'Permission denied (os error 13)',
  EISDIR: 'Is a directory (os error 21)',
  ENOTDIR: 'Not a directory (os error 20)',
};

function osMessage(e) {
  return OS_ERRORS[e.code] ?? e.message;
}

function isGlob(p) {
  return /[*?[]/.test(p);
}

function segmentRegex(seg) {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/** Expands a glob pattern (`*`, `?`, `[...]`, `**`) into the files it names, sorted. */
function expandGlob(pattern) {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  const out = [];
  const walk = (dir, idx) => {
    if (idx === parts.length) {
      out.push(dir);
      return;
    }
    const part = parts[idx];
    const base = dir === '' ? '.' : dir;
    const child = (name) => (dir === '' ? name : dir === '/' ? `/${name}` : `${dir}/${name}`);
    if (part === '**') {
      walk(dir, idx + 1);
      for (const ent of safeReaddir(base)) {
        if (ent.isDirectory() && !ent.name.startsWith('.')) walk(child(ent.name), idx);
      }
      return;
    }
    if (!isGlob(part)) {
      const next = child(part);
      if (idx === parts.length - 1) {
        if (exists(next)) out.push(next);
      } else walk(next, idx + 1);
      return;
    }
    const re = segmentRegex(part);
    for (const ent of safeReaddir(base)) {
      if (ent.name.startsWith('.') && !part.startsWith('.')) continue;
      if (!re.test(ent.name)) continue;
      if (idx === parts.length - 1) {
        if (!ent.isDirectory()) out.push(child(ent.name));
      } else if (ent.isDirectory()) walk(child(ent.name), idx + 1);
    }
  };
  if (absolute) walk('/', 1);
  else walk('', 0);
  return [...new Set(out)].sort();
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function exists(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The offset of the first byte that is not UTF-8, or -1. */
function invalidUtf8At(bytes) {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    decoder.decode(bytes);
    return -1;
  } catch {
    // Find the offset: decode growing prefixes at character boundaries.
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
      if (len === 0 || i + len > bytes.length) return i;
      try {
        decoder.decode(bytes.subarray(i, i + len));
      } catch {
        return i;
      }
      i += len;
    }
    return i;
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readInputs(files) {
  const names = files.length === 0 ? ['-'] : files;
  const out = [];
  for (const f of names) {
    const matched = f !== '-' && isGlob(f) && !exists(f) ? expandGlob(f) : [f];
    if (matched.length === 0) throw new IoError(`cannot read ${f}: no file matches the pattern`);
    for (const name of matched) {
      let bytes;
      if (name === '-') {
        try {
          bytes = await readStdin();
        } catch (e) {
          throw new IoError(`cannot read standard input: ${osMessage(e)}`);
        }
      } else {
        try {
          bytes = readFileSync(name);
        } catch (e) {
          throw new IoError(`cannot read ${name}: ${osMessage(e)}`);
        }
      }
      const bad = invalidUtf8At(bytes);
      if (bad >= 0) {
        throw new IoError(
          `${name}: not UTF-8 text (invalid byte at offset ${bad}); Kubernetes manifests must be UTF-8`,
        );
      }
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      out.push({ path: name === '-' ? '<stdin>' : name, text });
    }
  }
  return out;
}

// ---- commands ----

async function check(a) {
  const files = await readInputs(a.files);
  const old = a.old.length === 0 ? [] : await readInputs(a.old);
  const r = report(files, {
    ...engineOptions(a),
    format: a.format,
    color: a.color,
    old,
    positionEncoding: a.positionEncoding,
  });
  process.stdout.write(r.output);
  return r.errors ? 1 : 0;
}

async function fixFiles(a, normalizing) {
  const files = await readInputs(a.files);
  let errors = false;
  let status = 0;
  const options = engineOptions(a);
  for (const f of files) {
    let output;
    const lines = [];
    const r = normalizing
      ? normalize(f.text, { ...options, unsafeFixes: undefined, withDefaults: a.withDefaults })
      : fix(f.text, options);
    output = r.output;
    errors ||= r.remaining.some((d) => d.severity === 'error');
    for (const x of r.applied) {
      lines.push(`${f.path}: fixed ${x.code} (${x.applicability}): ${x.title}`);
    }
    const n = r.applied.length;
    const left = r.remaining.length;
    lines.push(
      `${f.path}: ${n} fix${n === 1 ? '' : 'es'} applied, ${left} problem${left === 1 ? '' : 's'} left`,
    );
    if (a.diff) process.stdout.write(diff(f.path, f.text, output));
    else if (a.stdout || f.path === '<stdin>') process.stdout.write(output);
    else if (output !== f.text) {
      try {
        writeFileSync(f.path, output);
      } catch (e) {
        process.stderr.write(`claimcheck: cannot write ${f.path}: ${osMessage(e)}\n`);
        status = 2;
      }
    }
    for (const l of lines) process.stderr.write(`${l}\n`);
  }
  if (status !== 0) return status;
  return errors ? 1 : 0;
}

function listRules(a, catalogue) {
  if (a.format === 'json') {
    process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
  } else {
    let s = '';
    for (const r of catalogue) {
      s += `${r.code}  ${r.name.padEnd(32)} ${r.severity.padEnd(8)} fix:${r.fix.padEnd(9)} ${r.summary}\n`;
    }
    process.stdout.write(s);
  }
  return 0;
}

function usageError(msg) {
  process.stderr.write(`claimcheck: ${msg}\n\nRun \`claimcheck --help\` for usage.\n`);
  return 2;
}

async function main(argv) {
  if (argv[0] === 'webhook') {
    // The admission webhook host lives in its own module (lib/webhook.js).
    const { webhookMain } = await import('../lib/webhook.js');
    return webhookMain(argv.slice(1));
  }
  if (argv.length === 0 || argv.some((x) => x === '-h' || x === '--help')) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  await init();
  if (argv.some((x) => x === '-V' || x === '--version')) {
    process.stdout.write(`claimcheck ${version()}\n`);
    return 0;
  }
  const catalogue = rules();
  let a;
  try {
    a = parseArgs(argv, catalogue);
    if (a.kubernetesVersion !== undefined) {
      // Validate now, so a bad version is a usage error like in the native CLI.
      report([], { kubernetesVersion: a.kubernetesVersion });
    }
    if (a.command === 'normalize' && a.unsafeFixes) {
      throw new UsageError(
        'normalize applies only safe fixes; use `claimcheck fix --unsafe-fixes`',
      );
    }
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    if (e instanceof TypeError) {
      return usageError(e.message.replace(/^claimcheck: options\.kubernetesVersion: /, ''));
    }
    throw e;
  }
  try {
    switch (a.command) {
      case 'check':
        return await check(a);
      case 'fix':
        return await fixFiles(a, false);
      case 'normalize':
        return await fixFiles(a, true);
      case 'rules':
        return listRules(a, catalogue);
      default:
        return usageError(`unknown command \`${a.command}\``);
    }
  } catch (e) {
    if (e instanceof IoError) {
      process.stderr.write(`claimcheck: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
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
