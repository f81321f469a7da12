// Compiled by `tsc -p types-test` (scripts/test-wasm.sh) against the package's declarations:
// the ways the README shows the package being used must type-check.
import init, {
  type Diagnostic,
  type FixResult,
  type LintOptions,
  type PatchOp,
  fix,
  lint,
  normalize,
  report,
  rules,
  version,
} from 'claimcheck';

// Node or a browser: load once, then call synchronously.
export async function editorPass(source: string): Promise<string[]> {
  await init();
  const options: LintOptions = {
    positionEncoding: 'utf16',
    kubernetesVersion: '1.32',
    rules: { CC305: 'off', CC301: 'warning' },
  };
  const { diagnostics, documents, summary } = lint(source, options);
  const lines = diagnostics.map(
    (d: Diagnostic) =>
      `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.severity} ${d.message}` +
      (d.fix ? ` (${d.fix.applicability} fix: ${d.fix.title})` : ''),
  );
  lines.push(`${documents.length} documents, ${summary.errors} errors`);
  const fixed: FixResult = fix(source, { unsafeFixes: false });
  if (fixed.changed) lines.push(fixed.output);
  lines.push(normalize(source).output);
  lines.push(`${rules().length} rules in claimcheck ${version()}`);
  lines.push(report([{ path: 'a.yaml', text: source }], { format: 'sarif' }).output);
  return lines;
}

// In a browser, the module can come from anywhere.
export async function fromUrl(url: URL): Promise<void> {
  await init(fetch(url));
}

// An admission webhook host: deny on errors, else allow with the safe fixes as a patch.
interface AdmissionRequest {
  uid: string;
  object: unknown;
}

export function review(request: AdmissionRequest) {
  const source = JSON.stringify(request.object);
  const { diagnostics } = lint(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    return {
      uid: request.uid,
      allowed: false,
      status: { code: 422, message: errors.map((d) => `${d.pointer}: ${d.message}`).join('; ') },
    };
  }
  const ops: PatchOp[] = fix(source).patch.flatMap((p) => p.operations);
  return {
    uid: request.uid,
    allowed: true,
    ...(ops.length > 0 ? { patchType: 'JSONPatch', patch: btoa(JSON.stringify(ops)) } : {}),
  };
}

// An editor's quick fix: the edits of one diagnostic's fix, applied in place.
import { type FixOneResult, type TextEdit, fixOne } from 'claimcheck';

export function quickFix(source: string, index: number): string {
  const r: FixOneResult = fixOne(source, { kubernetesVersion: '1.32' }, index);
  let out = '';
  let pos = 0;
  for (const e of r.edits as TextEdit[]) {
    out += source.slice(pos, e.from) + e.insert;
    pos = e.to;
  }
  return r.changed ? out + source.slice(pos) : source;
}

// The editor applies a diagnostic's own edits (no second call), reads its lists from the
// module, and tells errors apart by code.
import { type About, type ClaimcheckError, type CliHost, type FixEdit, about, runCli } from 'claimcheck';

export function applyEdits(source: string, d: Diagnostic): string {
  if (!d.fix) return source;
  let out = '';
  let pos = 0;
  for (const e of d.fix.edits as FixEdit[]) {
    out += source.slice(pos, e.offset.start) + e.newText;
    pos = e.offset.end;
  }
  return out + source.slice(pos);
}

export function settings(): string[] {
  const a: About = about();
  const families = rules().map((r) => r.family?.title ?? 'other');
  return [...a.kubernetesVersions, ...a.severities, ...families];
}

export function safeLint(source: string, options: unknown): string {
  try {
    return `${lint(source, options as LintOptions).summary.errors}`;
  } catch (e) {
    return (e as ClaimcheckError).code;
  }
}

export function help(host: CliHost): number {
  return runCli(['--help'], host);
}

// An update: what the live object already had is reported, marked, and does not block; the
// admission review of a Deployment-only webhook.
import { type ReviewOptions, review as reviewBody } from 'claimcheck';

export function newFaults(live: string, next: string): Diagnostic[] {
  return lint(next, { oldSource: live }).diagnostics.filter((d) => d.preExisting !== true);
}

export function deploymentsOnly(body: string): unknown {
  const options: ReviewOptions = { mode: 'validate', kinds: ['Deployment', 'statefulsets'] };
  return reviewBody(body, options);
}
