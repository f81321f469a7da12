// Types of the `claimcheck` package: the DTOs of src/dto.rs (tests/dto.rs holds every
// interface here to the shapes the Rust code produces, key by key). Diagnostics are the
// native CLI's JSON contract (`claimcheck check --format json`) plus each fix's text edits;
// they change only with a new major version.

/** How columns are counted: UTF-16 code units (JavaScript strings, editors) or UTF-8 bytes. */
export type PositionEncoding = 'utf16' | 'utf8';
export type Severity = 'error' | 'warning' | 'hint';
/** A rule's setting in `Options.rules`: off, or on with this severity. */
export type RuleSetting = 'off' | Severity;

export interface Options {
  /** Default "utf16" (the package's default; the native CLI's JSON uses "utf8"). */
  positionEncoding?: PositionEncoding;
  /** The cluster's Kubernetes version, "MAJOR.MINOR" such as "1.32". Default: the newest supported. */
  kubernetesVersion?: string;
  /** Per rule (code such as "CC305", or name): "off" or a severity. Unknown rules throw. */
  rules?: Record<string, RuleSetting>;
  /** `fix()` also applies the fixes that guess the intent. Default false. */
  unsafeFixes?: boolean;
}

export interface LintOptions extends Options {
  /** The live (previous) version of the objects: `lint()` then also checks the update. */
  oldSource?: string;
}

/** 1-based line and column (in `positionEncoding` units). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One RFC 6902 JSON Patch operation; paths are JSON Pointers into the document. */
export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: unknown };

export type Applicability = 'safe' | 'unsafe' | 'display-only';

export interface Fix {
  applicability: Applicability;
  title: string;
  /** The same change as JSON Patch on the document. */
  patch: PatchOp[];
  /**
   * The fix's text edits on the linted text (`remaining`: on `output`), sorted and
   * non-overlapping, so an editor applies a quick fix in place without another call.
   */
  edits: FixEdit[];
}

/** Start and end offsets into the text, in `positionEncoding` units. */
export interface Offsets {
  start: number;
  end: number;
}

/** One text edit of a fix: replace `range` (also given as `offset`) by `newText`. */
export interface FixEdit {
  range: Range;
  offset: Offsets;
  newText: string;
}

export interface Diagnostic {
  /** Permanent rule code, e.g. "CC301". */
  code: string;
  /** Permanent rule name, e.g. "volume-mount-not-found". */
  name: string;
  severity: Severity;
  message: string;
  /** Index of the YAML document in the input (0-based). */
  document: number;
  /** JSON Pointer into that document ("" is the document itself). */
  pointer: string;
  range: Range;
  fix: Fix | null;
  /** `Kind/name` of the object, when known. */
  object?: string;
  /** The rule's documentation. */
  url: string;
  /**
   * For Helm output (documents headed by `# Source: <chart>/templates/<file>.yaml`): the
   * template, and the position within the document rendered from it (line 1 is the line after
   * the comment; the column is the input's).
   */
  source?: { template: string; line: number; column: number };
  /**
   * Present (and true) only on an update (`lint()` with `oldSource`, `check --old`): the live
   * object already had this finding at the same place. Kubernetes ratchets, so such a finding
   * is reported but never denies an admission request.
   */
  preExisting?: boolean;
}

export interface Summary {
  errors: number;
  warnings: number;
  hints: number;
  fixable: number;
}

/** One YAML document of the input. */
export interface DocumentInfo {
  index: number;
  range: Range;
  apiVersion: string | null;
  kind: string | null;
  name: string | null;
  namespace: string | null;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  documents: DocumentInfo[];
  summary: Summary;
}

export interface AppliedFix {
  code: string;
  title: string;
  document: number;
  applicability: Applicability;
  patch: PatchOp[];
}

export interface DocumentPatch {
  document: number;
  operations: PatchOp[];
}

export interface FixResult {
  /** The corrected text: only the fixed places differ from the input. */
  output: string;
  changed: boolean;
  /** All applied fixes per document, as JSON Patch (for admission webhooks). */
  patch: DocumentPatch[];
  applied: AppliedFix[];
  /** Findings left in `output` (positions refer to `output`). */
  remaining: Diagnostic[];
  summary: Summary;
}

export interface NormalizeOptions extends Options {
  /** Also write out the defaults the API server fills in (podManagementPolicy, updateStrategy, …). */
  withDefaults?: boolean;
}

/** Same shape as `fix()`'s result: the normalised text, its JSON Patch and what was applied. */
export type NormalizeResult = FixResult;

export interface ReviewOptions extends Options {
  /** "validate" (default): deny on findings at or above `denyAt`; "mutate": return fixes as a JSON Patch. */
  mode?: 'validate' | 'mutate';
  /** Default "error". */
  denyAt?: Severity;
  /** Which fixes the mutating mode applies. Default "safe". */
  fixes?: 'none' | 'safe' | 'unsafe';
  /**
   * The kinds judged, by Kubernetes name (`"Deployment"`) or resource (`"deployments"`);
   * requests for other kinds are allowed untouched. Default: every workload kind
   * (StatefulSet, Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod,
   * PodTemplate) and PersistentVolumeClaim.
   */
  kinds?: string[];
}

export type FixAvailability = 'none' | 'safe' | 'unsafe' | 'sometimes';

/** A group of rules by code prefix, e.g. `{ prefix: "CC3", title: "Volumes and mounts" }`. */
export interface RuleFamily {
  prefix: string;
  title: string;
}

export interface Rule {
  code: string;
  name: string;
  severity: Severity;
  fix: FixAvailability;
  summary: string;
  /** Markdown: What it does / Why is this bad? / Example / Fix safety. */
  docs: string;
  family: RuleFamily | null;
}

/** What this build supports: for settings screens, instead of lists of their own. */
export interface About {
  /** The package (and crate) version, as `version()` returns it. */
  version: string;
  /** Supported Kubernetes versions ("1.28", ...), oldest first. */
  kubernetesVersions: string[];
  /** The version assumed when none is given. */
  defaultKubernetesVersion: string;
  /** Most severe first. */
  severities: Severity[];
  /** The rule families, in order. */
  families: RuleFamily[];
}

/**
 * The stable `code` of every error claimcheck throws: invalid options (a TypeError), another
 * invalid argument (a TypeError), a malformed AdmissionReview, the module not loaded yet, an
 * internal error (a bug: please report it).
 */
export type ErrorCode =
  | 'ERR_CLAIMCHECK_OPTIONS'
  | 'ERR_CLAIMCHECK_ARGUMENT'
  | 'ERR_CLAIMCHECK_REVIEW'
  | 'ERR_CLAIMCHECK_NOT_LOADED'
  | 'ERR_CLAIMCHECK_INTERNAL';

export interface ClaimcheckError extends Error {
  code: ErrorCode;
}

export interface InputFile {
  path: string;
  text: string;
}

export interface ReportOptions extends Options {
  /** Default "text". */
  format?: 'text' | 'json' | 'sarif';
  /** ANSI colours in the text format. Default false. */
  color?: boolean;
  /** The live versions of the objects. */
  old?: InputFile[];
}

export interface ReportResult {
  /** Exactly what `claimcheck check` prints (json uses "utf8" columns unless told). */
  output: string;
  /** Some finding is an error (the CLI then exits with 1). */
  errors: boolean;
}

/** What `init()` can load the module from (default: the .wasm file beside the package). */
export type InitInput =
  | BufferSource
  | WebAssembly.Module
  | Response
  | Promise<Response>
  | URL
  | string;

/** Loads and instantiates the WebAssembly module. Call once; later calls return at once. */
export function init(input?: InitInput): Promise<void>;
export default init;

/** The findings of a manifest (one or more YAML or JSON documents). */
export function lint(source: string, options?: LintOptions): LintResult;
/** Applies safe fixes (and unsafe ones with `unsafeFixes: true`) until nothing changes. */
export function fix(source: string, options?: Options): FixResult;
/**
 * Rewrites a manifest into its normal form: the safe fixes (`unsafeFixes: true` throws),
 * quantities in the form the API server stores, and with `withDefaults: true` the defaults it
 * fills in (`oldSource` throws).
 */
export function normalize(source: string, options?: NormalizeOptions): NormalizeResult;
/**
 * Answers one AdmissionReview (admission.k8s.io/v1, as JSON text) with an AdmissionReview
 * object carrying the same uid. Throws an Error for a malformed review (answer HTTP 400).
 */
export function review(body: string, options?: ReviewOptions): unknown;
/** The rule catalogue. */
export function rules(): Rule[];
/** The package (and crate) version. */
export function version(): string;
/** The version, supported Kubernetes versions, severities and rule families. */
export function about(): About;
/** Lints files together and renders the report exactly as `claimcheck check` does. */
export function report(files: InputFile[], options?: ReportOptions): ReportResult;
/** A unified diff of two texts, as `claimcheck fix --diff` prints it. */
export function diff(path: string, before: string, after: string): string;

/** One text edit: replace `from`..`to` (offsets into the source, `positionEncoding` units) by `insert`. */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

export interface FixOneResult {
  /** The source with only that diagnostic's fix applied. */
  output: string;
  changed: boolean;
  /** The fix's edits on the source, sorted and non-overlapping (for editors: apply in place). */
  edits: TextEdit[];
}

/**
 * Applies only the fix of diagnostic number `index` of `lint(source, options)` (pass the same
 * options, so that the list is the same), safe or unsafe: an editor's quick fix. An index out
 * of range or a diagnostic without a fix gives `changed: false`.
 */
export function fixOne(source: string, options: LintOptions | undefined, index: number): FixOneResult;

/**
 * What `runCli` needs from its host (pkg/bin/claimcheck.js is the Node one). Functions that
 * fail throw an Error whose message is the OS's words (e.g. "No such file or directory (os
 * error 2)").
 */
export interface CliHost {
  /** At most `max` bytes of a file (`path`), or of standard input (`path` null). */
  read(path: string | null, max: number): Uint8Array;
  exists(path: string): boolean;
  isFile(path: string): boolean;
  /** A directory's entries ("" is the current directory); none when unreadable. */
  listDir(dir: string): { name: string; isDir: boolean }[];
  /** Replaces an existing file's contents atomically (through symbolic links). */
  writeAtomic(path: string, bytes: Uint8Array): void;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The current directory, absolute. */
  cwd(): string;
  env(name: string): string | undefined;
  /** Whether standard output is a terminal. */
  isTty(): boolean;
}

/**
 * Runs the command line (`check`, `fix`, `normalize`, `rules`, `helm-post-renderer` with their
 * flags; the same code as the native binary) on `host`; returns the exit status (0, 1 or 2). In
 * the Node build only (the browser build throws ERR_CLAIMCHECK_ARGUMENT).
 */
export function runCli(argv: string[], host: CliHost): number;
