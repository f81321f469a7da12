// Shared by the tests: where things are, and how to run the native CLI for comparison.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = fileURLToPath(new URL('../', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(PKG, 'bin', 'claimcheck.js');

/** The native binary the results must equal: $CLAIMCHECK_NATIVE, else a debug build. */
export function nativeBinary() {
  const candidates = [
    process.env.CLAIMCHECK_NATIVE,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug', 'claimcheck'),
    join(ROOT, 'target', 'debug', 'claimcheck'),
  ].filter(Boolean);
  return candidates.find((c) => existsSync(c)) ?? null;
}

export function run(cmd, args, { cwd = ROOT, input } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export function runNative(args, options) {
  const bin = nativeBinary();
  if (!bin) throw new Error('no native claimcheck binary (set CLAIMCHECK_NATIVE)');
  return run(bin, args, options);
}

export function runNode(args, options) {
  return run(process.execPath, [CLI, ...args], options);
}

/** Repository-relative paths of the YAML files under `dir`, recursively, sorted. */
export function yamlFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function conformanceCases() {
  return readFileSync(join(ROOT, 'tests/conformance/cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export const read = (rel) => readFileSync(join(ROOT, rel), 'utf8');

/**
 * A self-signed certificate for localhost and 127.0.0.1, valid for a day, written as
 * tls.crt and tls.key into `dir` with openssl: `{ cert, key, ca }` (paths, and the PEM to
 * trust). Throws when openssl fails.
 */
export function makeCertificate(dir) {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const r = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days', '1', '-keyout', key, '-out', cert,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr ?? r.error}`);
  return { cert, key, ca: readFileSync(cert) };
}
