//! The WebAssembly boundary used by the npm package (pkg/). Compiled only for wasm32.
//!
//! Every export takes plain JavaScript values (a source string and an options object) and
//! returns a JSON string that the package's JavaScript wrapper parses; the shapes are the
//! same DTOs as the native CLI's `--format json` (src/output.rs), so internal types never
//! leak to JavaScript. Problems in the manifest are diagnostics; only invalid options throw
//! (a `TypeError` naming the option and what is accepted).

use crate::admission as claimcheck_admission;
use crate::normalize as claimcheck_normalize;
use serde::Serialize;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use crate::config::{self, Settings};
use crate::engine::{
    fix_text, lint_update, FileReport, FixOutcome, KubeVersion, Options, SourceFile,
};
use crate::output::{self, DiagnosticDto, Summary};
use crate::registry;
use crate::source::{parse_stream, LineIndex, PositionEncoding};
use crate::Severity;

/// Runs once when the module is instantiated: a panic (a bug) is then logged with its
/// message to `console.error` before the trap reaches JavaScript.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn type_error(message: impl AsRef<str>) -> JsValue {
    js_sys::TypeError::new(&format!("claimcheck: {}", message.as_ref())).into()
}

/// Reads plain JavaScript data (options, file lists) into JSON: `undefined`/`null` become
/// `Null`, keys holding `undefined` are left out (as `JSON.stringify` does). Strings are read
/// directly, so large texts are not escaped and lone surrogates become U+FFFD as in `&str`
/// arguments.
fn to_json(v: &JsValue, what: &str) -> Result<Value, JsValue> {
    js_to_json(v, what, 0)
}

const MAX_OPTION_DEPTH: usize = 32;

fn js_to_json(v: &JsValue, at: &str, depth: usize) -> Result<Value, JsValue> {
    if depth > MAX_OPTION_DEPTH {
        return Err(type_error(format!(
            "{at} is nested too deeply (is there a cycle?)"
        )));
    }
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| type_error(format!("{at} must be a finite number")));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if js_sys::Array::is_array(v) {
        let items = js_sys::Array::from(v);
        let mut out = Vec::with_capacity(items.length() as usize);
        for (i, item) in items.iter().enumerate() {
            out.push(js_to_json(&item, &format!("{at}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        let unreadable = |_| type_error(format!("{at} cannot be read"));
        let keys = js_sys::Reflect::own_keys(v).map_err(unreadable)?;
        let mut map = Map::new();
        for key in keys.iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let item = js_sys::Reflect::get(v, &key).map_err(unreadable)?;
            if item.is_undefined() {
                continue;
            }
            let value = js_to_json(&item, &format!("{at}.{name}"), depth + 1)?;
            map.insert(name, value);
        }
        return Ok(Value::Object(map));
    }
    let kind = v.js_typeof().as_string().unwrap_or_default();
    Err(type_error(format!(
        "{at} must be plain data (strings, numbers, booleans, arrays, objects), got a {kind}"
    )))
}

fn serialize<T: Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| type_error(format!("cannot encode the result: {e}")))
}

/// Options shared by every call, read from the JavaScript options object.
struct JsOptions {
    engine: Options,
    encoding: PositionEncoding,
    old_source: Option<String>,
    /// Keys the caller's function accepts beyond the common ones, with their values.
    extra: Map<String, Value>,
}

const COMMON_KEYS: &[&str] = &[
    "positionEncoding",
    "kubernetesVersion",
    "rules",
    "unsafeFixes",
    "oldSource",
];

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn parse_options(
    v: &JsValue,
    extra_keys: &[&str],
    default_encoding: PositionEncoding,
) -> Result<JsOptions, JsValue> {
    options_from_json(to_json(v, "options")?, extra_keys, default_encoding)
}

fn options_from_json(
    value: Value,
    extra_keys: &[&str],
    default_encoding: PositionEncoding,
) -> Result<JsOptions, JsValue> {
    let map = match value {
        Value::Null => Map::new(),
        Value::Object(m) => m,
        other => {
            return Err(type_error(format!(
                "options must be an object, got {}",
                describe(&other)
            )))
        }
    };
    let mut out = JsOptions {
        engine: Options::default(),
        encoding: default_encoding,
        old_source: None,
        extra: Map::new(),
    };
    for (key, val) in map {
        if val.is_null() {
            // `{ kubernetesVersion: undefined }` arrives without the key; null means the same.
            continue;
        }
        match key.as_str() {
            "positionEncoding" => {
                out.encoding = match val.as_str() {
                    Some("utf16") | Some("utf-16") => PositionEncoding::Utf16,
                    Some("utf8") | Some("utf-8") => PositionEncoding::Utf8,
                    _ => {
                        return Err(type_error(format!(
                            "options.positionEncoding must be \"utf16\" or \"utf8\", got {}",
                            describe(&val)
                        )))
                    }
                }
            }
            "kubernetesVersion" => {
                let s = val.as_str().ok_or_else(|| {
                    type_error(format!(
                        "options.kubernetesVersion must be a string such as \"1.32\", got {}",
                        describe(&val)
                    ))
                })?;
                out.engine.kubernetes_version = KubeVersion::parse(s)
                    .map_err(|e| type_error(format!("options.kubernetesVersion: {e}")))?;
            }
            "unsafeFixes" => {
                out.engine.unsafe_fixes = val.as_bool().ok_or_else(|| {
                    type_error(format!(
                        "options.unsafeFixes must be true or false, got {}",
                        describe(&val)
                    ))
                })?;
            }
            "oldSource" => {
                let s = val.as_str().ok_or_else(|| {
                    type_error(format!(
                        "options.oldSource must be the previous manifest as a string, got {}",
                        describe(&val)
                    ))
                })?;
                out.old_source = Some(s.to_string());
            }
            "rules" => parse_rules(&val, &mut out.engine)?,
            k if extra_keys.contains(&k) => {
                out.extra.insert(key, val);
            }
            _ => {
                let mut known: Vec<&str> = COMMON_KEYS.to_vec();
                known.extend_from_slice(extra_keys);
                return Err(type_error(format!(
                    "unknown option `{key}` (known: {})",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

fn parse_rules(val: &Value, options: &mut Options) -> Result<(), JsValue> {
    let map = val.as_object().ok_or_else(|| {
        type_error(format!(
            "options.rules must be an object such as {{ \"CC305\": \"off\" }}, got {}",
            describe(val)
        ))
    })?;
    for (code, level) in map {
        let rule = registry::find(code).ok_or_else(|| {
            type_error(format!(
                "options.rules: unknown rule `{code}` (see rules() for the codes)"
            ))
        })?;
        match level.as_str() {
            Some("off") => {
                options.rules.disabled.insert(rule.code);
            }
            Some(s @ ("error" | "warning" | "hint")) => {
                options.rules.disabled.remove(rule.code);
                if let Some(sev) = Severity::parse(s) {
                    options.rules.severity.insert(rule.code, sev);
                }
            }
            _ => {
                return Err(type_error(format!(
                "options.rules.{code} must be \"off\", \"error\", \"warning\" or \"hint\", got {}",
                describe(level)
            )))
            }
        }
    }
    Ok(())
}

fn reject(o: &JsOptions, function: &str, unsafe_fixes: bool) -> Result<(), JsValue> {
    if o.old_source.is_some() {
        return Err(type_error(format!(
            "{function}() does not take options.oldSource; pass it to lint()"
        )));
    }
    if unsafe_fixes && o.engine.unsafe_fixes {
        return Err(type_error(format!(
            "{function}() applies only safe fixes; use fix() with unsafeFixes: true"
        )));
    }
    Ok(())
}

/// One YAML document of the input, so callers can group findings by object.
#[derive(Serialize)]
struct DocumentDto<'a> {
    index: usize,
    range: output::RangeDto,
    #[serde(rename = "apiVersion")]
    api_version: Option<&'a str>,
    kind: Option<&'a str>,
    name: Option<&'a str>,
    namespace: Option<&'a str>,
}

#[derive(Serialize)]
struct LintDto {
    diagnostics: Vec<LintDiagnosticDto>,
    summary: Summary,
}

/// `lint()`'s diagnostic: the JSON contract's `DiagnosticDto`, whose fix also carries its
/// text edits, so an editor applies a quick fix without another call.
#[derive(Serialize)]
struct LintDiagnosticDto {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: String,
    document: usize,
    pointer: String,
    range: output::RangeDto,
    fix: Option<LintFixDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<String>,
    url: String,
}

/// `fix: {applicability, title, patch, edits}`.
#[derive(Serialize)]
struct LintFixDto {
    applicability: crate::diagnostic::Applicability,
    title: String,
    patch: Vec<crate::patch::PatchOp>,
    edits: Vec<EditDto>,
}

/// One text edit of a fix on the linted source: its range (1-based lines and columns) and
/// its offsets (0-based), both in the caller's position encoding, and the text to write.
/// A fix's edits are sorted and do not overlap.
#[derive(Serialize)]
struct EditDto {
    range: output::RangeDto,
    offset: OffsetDto,
    #[serde(rename = "newText")]
    new_text: String,
}

#[derive(Serialize)]
struct OffsetDto {
    start: usize,
    end: usize,
}

/// Byte offsets of one source to offsets in a position encoding. UTF-16 offsets of a
/// non-ASCII text come from the line's UTF-16 start (computed once, on first use) plus the
/// column, so converting is O(line length), never O(text).
struct Offsets<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: PositionEncoding,
    utf16_line_starts: Option<Vec<usize>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str, index: &'a LineIndex, encoding: PositionEncoding) -> Self {
        let encoding = if text.is_ascii() {
            PositionEncoding::Utf8
        } else {
            encoding
        };
        Offsets {
            text,
            index,
            encoding,
            utf16_line_starts: None,
        }
    }

    /// The position and the offset of byte offset `b` (clamped to a character boundary).
    fn at(&mut self, b: usize, encoding: PositionEncoding) -> (crate::source::Position, usize) {
        let pos = self.index.position(self.text, b, encoding);
        let offset = match self.encoding {
            PositionEncoding::Utf8 => {
                self.index.line_start(pos.line.saturating_sub(1)) + pos.column.saturating_sub(1)
            }
            PositionEncoding::Utf16 => {
                let (text, index) = (self.text, self.index);
                let starts = self.utf16_line_starts.get_or_insert_with(|| {
                    let mut starts = Vec::with_capacity(index.line_count());
                    let mut units = 0;
                    let mut prev = 0;
                    for line in 0..index.line_count() {
                        let start = index.line_start(line);
                        units += text
                            .get(prev..start)
                            .map_or(0, |s| s.encode_utf16().count());
                        starts.push(units);
                        prev = start;
                    }
                    starts
                });
                starts.get(pos.line.saturating_sub(1)).copied().unwrap_or(0)
                    + pos.column.saturating_sub(1)
            }
        };
        (pos, offset)
    }
}

/// The edits of a fix as `EditDto`s: sorted, overlapping ones left out (as `fixOne` does).
fn edit_dtos(
    edits: &[crate::diagnostic::TextEdit],
    offsets: &mut Offsets,
    encoding: PositionEncoding,
) -> Vec<EditDto> {
    let text = offsets.text;
    let mut sorted: Vec<&crate::diagnostic::TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = Vec::with_capacity(sorted.len());
    let mut pos = 0;
    for e in sorted {
        let (s, t) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
        if s < pos || t < s || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            continue;
        }
        let (start, start_offset) = offsets.at(s, encoding);
        let (end, end_offset) = offsets.at(t, encoding);
        out.push(EditDto {
            range: output::RangeDto { start, end },
            offset: OffsetDto {
                start: start_offset,
                end: end_offset,
            },
            new_text: e.replacement.clone(),
        });
        pos = t;
    }
    out
}

/// `lint()`'s diagnostics of one report: the JSON contract's, with each fix's edits.
fn lint_diagnostics(
    report: &FileReport,
    dtos: Vec<DiagnosticDto>,
    text: &str,
    encoding: PositionEncoding,
) -> Vec<LintDiagnosticDto> {
    let mut offsets = Offsets::new(text, &report.line_index, encoding);
    dtos.into_iter()
        .zip(&report.diagnostics)
        .map(|(d, diag)| LintDiagnosticDto {
            code: d.code,
            name: d.name,
            severity: d.severity,
            message: d.message,
            document: d.document,
            pointer: d.pointer,
            range: d.range,
            fix: d.fix.map(|f| LintFixDto {
                applicability: f.applicability,
                title: f.title,
                patch: f.patch,
                edits: diag
                    .fix
                    .as_ref()
                    .map(|x| edit_dtos(&x.edits, &mut offsets, encoding))
                    .unwrap_or_default(),
            }),
            object: d.object,
            url: d.url,
        })
        .collect()
}

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }
}

/// `lint(source, options)`: the findings of one manifest (one or more YAML/JSON documents).
/// The wrapper adds `documents` on first access (see `documents` below).
#[wasm_bindgen(js_name = lint)]
pub fn lint_js(source: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(&options, &[], PositionEncoding::Utf16)?;
    let files = [file("<input>", source)];
    let old: Vec<SourceFile> = o
        .old_source
        .as_deref()
        .map(|t| file("<old>", t))
        .into_iter()
        .collect();
    let reports = lint_update(&files, &old, &o.engine);
    let report = output::report_dto(&reports, &[source], o.encoding);
    let mut files_dto = report.files;
    let diagnostics = match (files_dto.pop(), reports.first()) {
        (Some(f), Some(r)) => lint_diagnostics(r, f.diagnostics, source, o.encoding),
        _ => Vec::new(),
    };
    serialize(&LintDto {
        diagnostics,
        summary: report.summary,
    })
}

/// `documents(source, options)`: the YAML documents of the input with their kind and name.
/// This parses the text again (the engine's report does not carry its parse), which costs
/// about as much as the rules; the wrapper therefore computes it only when asked for.
#[wasm_bindgen(js_name = documents)]
pub fn documents_js(source: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(&options, &[], PositionEncoding::Utf16)?;
    let stream = parse_stream(source, &o.engine.limits);
    let index = LineIndex::new(source);
    let documents: Vec<DocumentDto> = stream
        .documents
        .iter()
        .map(|d| DocumentDto {
            index: d.index,
            range: output::RangeDto {
                start: index.position(source, d.span.start, o.encoding),
                end: index.position(source, d.span.end, o.encoding),
            },
            api_version: d.root.str_at(&["apiVersion"]),
            kind: d.root.str_at(&["kind"]),
            name: d.root.str_at(&["metadata", "name"]),
            namespace: d.root.str_at(&["metadata", "namespace"]),
        })
        .collect();
    serialize(&documents)
}

fn fix_dto(source: &str, outcome: &FixOutcome, enc: PositionEncoding) -> Value {
    let remaining = output::report_dto(
        std::slice::from_ref(&outcome.remaining),
        &[outcome.output.as_str()],
        enc,
    );
    let applied: Vec<Value> = outcome
        .applied
        .iter()
        .map(|a| {
            json!({
                "code": a.code,
                "title": a.title,
                "document": a.document,
                "applicability": a.applicability,
                "patch": a.patch,
            })
        })
        .collect();
    let patch: Vec<Value> = outcome
        .patches
        .iter()
        .map(|(document, ops)| json!({ "document": document, "operations": ops }))
        .collect();
    json!({
        "output": outcome.output,
        "changed": outcome.output != source,
        "patch": patch,
        "applied": applied,
        "remaining": remaining.files.into_iter().next().map(|f| f.diagnostics).unwrap_or_default(),
        "summary": remaining.summary,
    })
}

/// `fix(source, options)`: applies the safe fixes (and the unsafe ones with
/// `unsafeFixes: true`) until nothing changes.
#[wasm_bindgen(js_name = fix)]
pub fn fix_js(source: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(&options, &[], PositionEncoding::Utf16)?;
    reject(&o, "fix", false)?;
    let outcome = fix_text("<input>", source, &o.engine);
    serialize(&fix_dto(source, &outcome, o.encoding))
}

/// `normalize(source, options)`: safe fixes, quantities in the form the API server stores,
/// and with `withDefaults: true` the defaults the API server fills in.
#[wasm_bindgen(js_name = normalize)]
pub fn normalize_js(source: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(&options, &["withDefaults"], PositionEncoding::Utf16)?;
    reject(&o, "normalize", true)?;
    let with_defaults = match o.extra.get("withDefaults") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(type_error(format!(
                "options.withDefaults must be true or false, got {}",
                describe(other)
            )))
        }
    };
    let outcome = claimcheck_normalize::normalize_text("<input>", source, &o.engine, with_defaults);
    serialize(&fix_dto(source, &outcome, o.encoding))
}

/// `review(body, options)`: one AdmissionReview (admission.k8s.io/v1) as JSON text in, the
/// AdmissionReview answer out. A malformed review throws an `Error` (the host answers 400).
#[wasm_bindgen(js_name = review)]
pub fn review_js(body: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(
        &options,
        &["mode", "denyAt", "fixes"],
        PositionEncoding::Utf16,
    )?;
    let mut ro = claimcheck_admission::ReviewOptions {
        lint: o.engine.clone(),
        ..Default::default()
    };
    for (k, v) in &o.extra {
        let s = v.as_str().unwrap_or("");
        match (k.as_str(), s) {
            ("mode", "validate") => ro.mode = claimcheck_admission::Mode::Validate,
            ("mode", "mutate") => ro.mode = claimcheck_admission::Mode::Mutate,
            ("denyAt", level) if Severity::parse(level).is_some() => {
                ro.deny_at = Severity::parse(level).unwrap_or(Severity::Error)
            }
            ("fixes", "none") => ro.fixes = claimcheck_admission::MutateFixes::None,
            ("fixes", "safe") => ro.fixes = claimcheck_admission::MutateFixes::Safe,
            ("fixes", "unsafe") => ro.fixes = claimcheck_admission::MutateFixes::Unsafe,
            _ => {
                return Err(type_error(format!(
                    "options.{k}: unsupported value {} (mode: validate|mutate, denyAt: error|warning|hint, fixes: none|safe|unsafe)",
                    describe(v)
                )))
            }
        }
    }
    match claimcheck_admission::review(body, &ro) {
        Ok(v) => serialize(&v),
        Err(e) => {
            Err(js_sys::Error::new(&format!("claimcheck: malformed AdmissionReview: {e}")).into())
        }
    }
}

/// `rules()`: the rule catalogue, as `claimcheck rules --format json` prints it.
#[wasm_bindgen(js_name = rules)]
pub fn rules_js() -> Result<String, JsValue> {
    serialize(&registry::all())
}

/// `version()`: the crate version.
#[wasm_bindgen(js_name = version)]
pub fn version_js() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn read_files(v: &Value, what: &str) -> Result<Vec<SourceFile>, JsValue> {
    let items = v.as_array().ok_or_else(|| {
        type_error(format!(
            "{what} must be an array of {{ path, text }} objects, got {}",
            describe(v)
        ))
    })?;
    items
        .iter()
        .enumerate()
        .map(|(i, f)| match (f.get("path"), f.get("text")) {
            (Some(Value::String(p)), Some(Value::String(t))) => Ok(file(p, t)),
            _ => Err(type_error(format!(
                "{what}[{i}] must be {{ path: string, text: string }}"
            ))),
        })
        .collect()
}

/// `report(files, options)`: lints several files as one bundle and renders the result as
/// the native CLI's `check` does (`format`: "text", "json" or "sarif"; `color` for text;
/// `old`: the live versions as more files). Returns `{ output, errors }`.
#[wasm_bindgen(js_name = report)]
pub fn report_js(files: JsValue, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(
        &options,
        &["format", "color", "old"],
        PositionEncoding::Utf8,
    )?;
    if o.old_source.is_some() {
        return Err(type_error(
            "report() takes the previous versions as options.old (files)",
        ));
    }
    let files = read_files(&to_json(&files, "files")?, "files")?;
    let old = old_files(&o)?;
    let color = color_option(&o)?;
    let reports = lint_update(&files, &old, &o.engine);
    render_report(&files, &reports, &o, color)
}

/// The previous versions of the files, `options.old` of `report()`.
fn old_files(o: &JsOptions) -> Result<Vec<SourceFile>, JsValue> {
    match o.extra.get("old") {
        Some(v) => read_files(v, "options.old"),
        None => Ok(Vec::new()),
    }
}

/// `options.color` of `report()`.
fn color_option(o: &JsOptions) -> Result<bool, JsValue> {
    match o.extra.get("color") {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(type_error(format!(
            "options.color must be true or false, got {}",
            describe(v)
        ))),
    }
}

/// Renders the reports of `files` (in the same order) as `report()` does, in
/// `options.format`: `{ output, errors }`.
fn render_report(
    files: &[SourceFile],
    reports: &[FileReport],
    o: &JsOptions,
    color: bool,
) -> Result<String, JsValue> {
    let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
    let rendered = match o.extra.get("format").map(|v| v.as_str()) {
        None | Some(Some("text")) => output::text(reports, &texts, color),
        Some(Some("json")) => format!(
            "{}\n",
            serialize(&output::report_dto(reports, &texts, o.encoding))?
        ),
        Some(Some("sarif")) => format!(
            "{}\n",
            serde_json::to_string_pretty(&output::sarif(reports, &texts))
                .map_err(|e| type_error(format!("cannot encode SARIF: {e}")))?
        ),
        _ => {
            return Err(type_error(
                "options.format must be \"text\", \"json\" or \"sarif\"",
            ))
        }
    };
    let errors = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error);
    serialize(&json!({ "output": rendered, "errors": errors }))
}

/// `diff(path, before, after)`: a unified diff, as `claimcheck fix --diff` prints it.
#[wasm_bindgen(js_name = diff)]
pub fn diff_js(path: &str, before: &str, after: &str) -> String {
    crate::fix::unified_diff(path, before, after)
}

// ---- For the Node CLI (pkg/bin/claimcheck.js) only: not part of the package's API ----
//
// The Node CLI must behave exactly as the native one (src/bin/claimcheck.rs): these exports
// give it the native checks and messages of the settings flags and of `claimcheck.toml`.
// Node finds and reads the configuration file itself (as `config::find` does). Errors are
// thrown as plain `Error`s carrying the native message, which the CLI prints after
// `claimcheck: `.

fn cli_error(message: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(message.as_ref()).into()
}

/// `cliArg(flag, value)`: checks the value of a settings flag as the native CLI does and
/// returns, as JSON, what goes into the command line's settings (the keys of
/// `claimcheck.toml`): the version of `--kubernetes-version`, the selectors of `--select`,
/// `--extend-select` and `--disable`/`--ignore`, `[rule, level]` of `--severity`.
#[wasm_bindgen(js_name = cliArg)]
pub fn cli_arg_js(flag: &str, value: &str) -> Result<String, JsValue> {
    let checked = match flag {
        "--kubernetes-version" => KubeVersion::parse(value).map(|_| json!(value)),
        "--select" | "--extend-select" | "--disable" | "--ignore" => {
            config::flag_selectors(flag, value).map(|v| json!(v))
        }
        "--severity" => config::flag_severity(value).map(|(rule, level)| json!([rule, level])),
        _ => Err(format!("{flag} is not a settings flag")),
    };
    checked.map(|v| v.to_string()).map_err(cli_error)
}

/// The engine options of `lint()`/`fix()`/`report()` that give exactly `o`.
fn engine_options_json(o: &Options) -> Value {
    let mut rules = Map::new();
    for r in registry::all() {
        let setting = if o.rules.disabled.contains(r.code) {
            Some("off")
        } else {
            o.rules.severity.get(r.code).map(|s| s.as_str())
        };
        if let Some(s) = setting {
            rules.insert(r.code.to_string(), json!(s));
        }
    }
    json!({
        "kubernetesVersion": o.kubernetes_version.to_string(),
        "unsafeFixes": o.unsafe_fixes,
        "rules": rules,
    })
}

/// `cliOptions(configPath, configText, cliSettings)`: the engine options for inputs governed
/// by the configuration file `configPath` with the text `configText` (both `undefined`: no
/// file), with the command line's settings (JSON, the keys of `claimcheck.toml`) laid over
/// it, as the native CLI resolves them. Returns `{ kubernetesVersion, unsafeFixes, rules }`
/// as JSON; throws the native message for an invalid file.
#[wasm_bindgen(js_name = cliOptions)]
pub fn cli_options_js(
    config_path: Option<String>,
    config_text: Option<String>,
    cli_settings: &str,
) -> Result<String, JsValue> {
    let mut options = Options::default();
    if let Some(text) = config_text.as_deref() {
        let path = config_path.as_deref().unwrap_or(config::CONFIG_FILE);
        #[cfg(feature = "toml-config")]
        config::parse_toml(path, text)
            .and_then(|s| s.apply(&mut options))
            .map_err(cli_error)?;
        #[cfg(not(feature = "toml-config"))]
        return Err(cli_error(format!(
            "{path}: this build reads no configuration files ({} bytes given); use the Node build",
            text.len()
        )));
    }
    Settings::from_json(cli_settings)
        .and_then(|s| s.apply(&mut options))
        .map_err(cli_error)?;
    serialize(&engine_options_json(&options))
}

/// One group of `cliReport()`: the indexes of its files and their engine options.
#[derive(serde::Deserialize)]
struct CliGroup {
    members: Vec<usize>,
    options: Value,
}

/// `cliReport(files, groups, options)`: `report()` for inputs governed by different
/// configuration files: each group (JSON, `[{ members: [file index, ...], options }]`, the
/// options as `cliOptions()` gives them) is linted on its own, with all of `options.old`, and
/// the reports are rendered together in file order, as the native `check` does.
#[wasm_bindgen(js_name = cliReport)]
pub fn cli_report_js(files: JsValue, groups: &str, options: JsValue) -> Result<String, JsValue> {
    let o = parse_options(
        &options,
        &["format", "color", "old"],
        PositionEncoding::Utf8,
    )?;
    let files = read_files(&to_json(&files, "files")?, "files")?;
    let old = old_files(&o)?;
    let color = color_option(&o)?;
    let groups: Vec<CliGroup> = serde_json::from_str(groups)
        .map_err(|e| type_error(format!("cliReport: invalid groups: {e}")))?;
    let mut slots: Vec<Option<FileReport>> = vec![None; files.len()];
    for g in groups {
        let engine = options_from_json(g.options, &[], PositionEncoding::Utf8)?.engine;
        let group: Vec<SourceFile> = g
            .members
            .iter()
            .filter_map(|&i| files.get(i).cloned())
            .collect();
        for (&i, r) in g.members.iter().zip(lint_update(&group, &old, &engine)) {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(r);
            }
        }
    }
    let reports: Vec<FileReport> = slots.into_iter().flatten().collect();
    render_report(&files, &reports, &o, color)
}

/// `cliRulesMarkdown()`: `claimcheck rules --format markdown`.
#[wasm_bindgen(js_name = cliRulesMarkdown)]
pub fn cli_rules_markdown_js() -> String {
    crate::docs::rules_markdown()
}

/// `fixOne(source, options, index)`: applies only the fix of `lint(source, options)`'s
/// diagnostic number `index` (same options, so the same list), for an editor's quick fix.
/// Returns `{ output, changed, edits }`; `edits` are the fix's text edits as
/// `{ from, to, insert }` offsets into `source` in `positionEncoding` units (UTF-16 code
/// units by default), sorted and non-overlapping, so an editor can apply them in place.
/// An index out of range, or a diagnostic without text edits, gives `changed: false`.
#[wasm_bindgen(js_name = fixOne)]
pub fn fix_one_js(source: &str, options: JsValue, index: u32) -> Result<String, JsValue> {
    let o = parse_options(&options, &[], PositionEncoding::Utf16)?;
    let files = [file("<input>", source)];
    let old: Vec<SourceFile> = o
        .old_source
        .as_deref()
        .map(|t| file("<old>", t))
        .into_iter()
        .collect();
    let reports = lint_update(&files, &old, &o.engine);
    let mut edits: Vec<&crate::diagnostic::TextEdit> = reports
        .first()
        .and_then(|r| r.diagnostics.get(index as usize))
        .and_then(|d| d.fix.as_ref())
        .map(|f| f.edits.iter().collect())
        .unwrap_or_default();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let offset = |b: usize| match o.encoding {
        PositionEncoding::Utf8 => b,
        _ => source.get(..b).map_or(0, |s| s.encode_utf16().count()),
    };
    let mut output = String::with_capacity(source.len() + 64);
    let mut out_edits = Vec::new();
    let mut pos = 0;
    for e in edits {
        let (s, t) = (e.span.start.min(source.len()), e.span.end.min(source.len()));
        if s < pos || t < s || !source.is_char_boundary(s) || !source.is_char_boundary(t) {
            continue;
        }
        output.push_str(source.get(pos..s).unwrap_or(""));
        output.push_str(&e.replacement);
        out_edits.push(json!({ "from": offset(s), "to": offset(t), "insert": e.replacement }));
        pos = t;
    }
    output.push_str(source.get(pos..).unwrap_or(""));
    let changed = output != source;
    serialize(&json!({ "output": output, "changed": changed, "edits": out_edits }))
}
