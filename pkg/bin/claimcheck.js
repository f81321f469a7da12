#!/usr/bin/env node
// The Node command line: `claimcheck check | fix | normalize | rules`, with the native CLI's
// flags, configuration (claimcheck.toml), output formats, messages and exit codes (0 no
// errors, 1 errors found, 2 usage, configuration or I/O failure). Flags and configuration
// files are checked, and the reports rendered, by the same Rust code as the native CLI,
// through WebAssembly.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

// The CLI-only exports of the module (cliArg, cliOptions, cliReport, cliRulesMarkdown; see
// src/wasm.rs) are not part of the package's API; they share the module that init() loads.
import * as wasm from '../dist/node/claimcheck.js';
import { diff, fix, init, normalize, rules, version } from '../node.js';

// The native CLI's USAGE (src/bin/claimcheck.rs), plus the paragraph on glob patterns, which
// only this CLI expands (a test compares the two).
const USAGE = `claimcheck — lint and fix Kubernetes StatefulSet and PersistentVolumeClaim manifests

Usage:
  claimcheck check [OPTIONS] [FILES... | -]
  claimcheck fix [--unsafe-fixes] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck normalize [--with-defaults] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck rules [--format text|json|markdown]
  claimcheck helm-post-renderer [--fix] [--unsafe-fixes] [OPTIONS]

FILES may be glob patterns ("manifests/**/*.yaml"); - or none reads standard input.

Options:
  --format FORMAT                text, json, sarif or gitlab (GitLab code quality): how \`check\`
                                 and helm-post-renderer report findings (default: text)
  --kubernetes-version X.Y       the cluster's version (default: 1.37; supported: 1.28 to 1.37)
  --position-encoding utf8|utf16 how JSON columns are counted (default: utf8)
  --select RULE[,RULE...]        run only these rules (codes, names, prefixes such as CC4, ALL)
  --extend-select RULE[,...]     also run these rules
  --disable, --ignore RULE[,...] turn rules off
  --severity RULE=LEVEL          change a rule's severity (error, warning, hint)
  --unsafe-fixes                 also apply fixes that guess the intent (--no-unsafe-fixes: don't)
  --config FILE                  read settings from FILE instead of the nearest claimcheck.toml
  --no-config                    ignore claimcheck.toml files
  --with-defaults                normalize: also write the defaults the API server fills in
  --fix                          helm-post-renderer: apply safe fixes to what Helm installs
  --skip-non-kubernetes          check and fix: leave documents without \`kind\` (CI files,
                                 Chart.yaml, package.json) and kustomize files alone (git hooks)
  --old FILE                     the live (previous) version of the objects: check the update
  --no-color                     plain text output
  -h, --help                     this text
  -V, --version                  the version

Configuration: the nearest claimcheck.toml in the input file's directory or above it (for
standard input, the current directory) sets kubernetes-version, unsafe-fixes and [rules]
select / extend-select / disable / severity; flags override it. Inputs governed by
different files are checked as separate groups.

helm-post-renderer: Helm's rendered manifests on standard input are written to standard
output unchanged (or fixed, with --fix); findings go to standard error; when an error remains
nothing is written and the exit status is 1, so Helm stops. Findings in Helm output (\`check\`
too) name the chart template of their document (\`# Source:\` comments).

Exit status: 0 no errors, 1 errors found, 2 usage, configuration or I/O failure.`;

/** `config` of the parsed arguments: the nearest claimcheck.toml of each input. */
const DISCOVER = Symbol('discover');

/** A usage error: printed with the pointer to --help. */
class UsageError extends Error {}
/** An I/O or configuration failure: printed alone. */
class IoError extends Error {}

/** Checks a settings flag's value with the native code; a usage error carries its message. */
function settingsArg(flag, value) {
  try {
    return JSON.parse(wasm.cliArg(flag, value));
  } catch (e) {
    if (e instanceof Error && !(e instanceof WebAssembly.RuntimeError)) {
      throw new UsageError(e.message);
    }
    throw e;
  }
}

function parseArgs(argv) {
  const a = {
    command: argv[0],
    files: [],
    format: 'text',
    diff: false,
    stdout: false,
    withDefaults: false,
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
    positionEncoding: 'utf8',
    // The settings given as flags, with the keys of claimcheck.toml (config::Settings),
    // laid over the configuration file's.
    cli: { rules: { 'extend-select': [], disable: [], severity: Object.create(null) } },
    // DISCOVER (the nearest claimcheck.toml of each input), a file name, or null (none).
    config: DISCOVER,
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
        a.cli['kubernetes-version'] = settingsArg(flag, value());
        break;
      case '--position-encoding': {
        const v = value();
        if (v === 'utf8' || v === 'utf-8') a.positionEncoding = 'utf8';
        else if (v === 'utf16' || v === 'utf-16') a.positionEncoding = 'utf16';
        else throw new UsageError(`unknown position encoding \`${v}\``);
        break;
      }
      case '--disable':
      case '--ignore':
        a.cli.rules.disable.push(...settingsArg(flag, value()));
        break;
      case '--select':
        a.cli.rules.select = [...(a.cli.rules.select ?? []), ...settingsArg(flag, value())];
        break;
      case '--extend-select':
        a.cli.rules['extend-select'].push(...settingsArg(flag, value()));
        break;
      case '--severity': {
        const [rule, level] = settingsArg(flag, value());
        a.cli.rules.severity[rule] = level;
        break;
      }
      case '--config':
        a.config = value();
        break;
      case '--no-config':
        a.config = null;
        break;
      case '--no-unsafe-fixes':
        a.cli['unsafe-fixes'] = false;
        break;
      case '--old':
        a.old.push(value());
        break;
      case '--unsafe-fixes':
        a.cli['unsafe-fixes'] = true;
        break;
      case '--diff':
        a.diff = true;
        break;
      case '--with-defaults':
        a.withDefaults = true;
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
  const formats = a.command === 'rules' ? ['text', 'json', 'markdown'] : ['text', 'json', 'sarif'];
  if (!formats.includes(a.format)) {
    throw new UsageError(`unknown format \`${a.format}\` (expected ${formats.join(', ')})`);
  }
  return a;
}

// ---- configuration: claimcheck.toml ----

const CONFIG_FILE = 'claimcheck.toml';

/**
 * The nearest claimcheck.toml for an input, as the native CLI finds it (config::find): in the
 * input's directory or above (standard input: the current directory). The directory is made
 * absolute as Rust's std::path::absolute does (`.` and empty parts dropped, `..` kept) and
 * its ancestors are taken part by part, so the names (shown in messages) are the native ones.
 */
function findConfig(path) {
  const parts = (p) => p.split('/').filter((c) => c !== '' && c !== '.');
  let dir = parts(process.cwd());
  if (path !== '-' && path !== '<stdin>') {
    const own = parts(path).slice(0, -1);
    dir = path.startsWith('/') ? own : [...dir, ...own];
  }
  for (let n = dir.length; n >= 0; n--) {
    const candidate = `/${[...dir.slice(0, n), CONFIG_FILE].join('/')}`;
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: look further up
    }
  }
  return null;
}

/** The text of a configuration file, as Rust's read_to_string gives it. */
function readConfig(path) {
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new IoError(`cannot read ${path}: ${osMessage(e)}`);
  }
  if (invalidUtf8At(bytes) >= 0) {
    throw new IoError(`cannot read ${path}: stream did not contain valid UTF-8`);
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/**
 * The engine options for an input (its path; `<stdin>` for standard input) and the
 * configuration file that governs it (null: none): the file's settings with the flags laid
 * over them (config::Settings::apply, through wasm). Options are kept per file in `cache`.
 */
function optionsFor(a, path, cache) {
  const config = a.config === DISCOVER ? findConfig(path) : a.config;
  if (!cache.has(config)) {
    const text = config === null ? undefined : readConfig(config);
    let options;
    try {
      options = JSON.parse(wasm.cliOptions(config ?? undefined, text, JSON.stringify(a.cli)));
    } catch (e) {
      if (e instanceof Error && !(e instanceof WebAssembly.RuntimeError)) {
        throw new IoError(e.message);
      }
      throw e;
    }
    cache.set(config, options);
  }
  return { options: cache.get(config), config };
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
  // Inputs governed by the same configuration file are linted together (cross-file rules
  // see each other's objects), each group with its own options, as the native CLI does.
  const cache = new Map();
  const groups = new Map();
  files.forEach((f, i) => {
    const { options, config } = optionsFor(a, f.path, cache);
    if (!groups.has(config)) groups.set(config, { members: [], options });
    groups.get(config).members.push(i);
  });
  const r = JSON.parse(
    wasm.cliReport(files, JSON.stringify([...groups.values()]), {
      format: a.format,
      color: a.color,
      old,
      positionEncoding: a.positionEncoding,
    }),
  );
  process.stdout.write(r.output);
  return r.errors ? 1 : 0;
}

async function fixFiles(a, normalizing) {
  const files = await readInputs(a.files);
  let errors = false;
  let status = 0;
  const cache = new Map();
  for (const f of files) {
    const { options } = optionsFor(a, f.path, cache);
    const lines = [];
    const r = normalizing
      ? normalize(f.text, { ...options, unsafeFixes: undefined, withDefaults: a.withDefaults })
      : fix(f.text, options);
    const output = r.output;
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

function listRules(a) {
  if (a.format === 'markdown') {
    process.stdout.write(wasm.cliRulesMarkdown());
  } else if (a.format === 'json') {
    process.stdout.write(`${JSON.stringify(rules(), null, 2)}\n`);
  } else {
    let s = '';
    for (const r of rules()) {
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
  let a;
  try {
    a = parseArgs(argv);
    if (a.command === 'normalize' && a.cli['unsafe-fixes'] === true) {
      throw new UsageError(
        'normalize applies only safe fixes; use `claimcheck fix --unsafe-fixes`',
      );
    }
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
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
        return listRules(a);
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
