//! Stable output shapes: the JSON contract, SARIF 2.1.0 and the human text report.
//! These DTOs are what other tools parse; internal types never leak into them.

use std::borrow::Cow;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::FileReport;
use crate::helm::SourceMap;
use crate::patch::PatchOp;
use crate::source::{Position, PositionEncoding};

#[derive(Debug, Clone, Serialize)]
pub struct RangeDto {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Serialize)]
pub struct FixDto {
    pub applicability: crate::diagnostic::Applicability,
    pub title: String,
    pub patch: Vec<PatchOp>,
    /// The fix's text edits on the linted text, sorted (the API's results; the CLI's JSON
    /// leaves them out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edits: Option<Vec<TextEditDto>>,
}

/// Start and end offsets into the text, in the caller's position encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OffsetDto {
    pub start: usize,
    pub end: usize,
}

/// One text edit: replace `range` (also given as `offset`) by `newText`.
#[derive(Debug, Clone, Serialize)]
pub struct TextEditDto {
    pub range: RangeDto,
    pub offset: OffsetDto,
    #[serde(rename = "newText")]
    pub new_text: String,
}

/// Offsets in a position encoding: UTF-8 bytes as they are, UTF-16 code units through the
/// lines' UTF-16 starts (computed once per text, and only for non-ASCII text).
pub struct Offsets<'t> {
    text: &'t str,
    enc: PositionEncoding,
    /// Whether offsets are the byte offsets (UTF-8, or ASCII text); known on first use.
    bytes: Option<bool>,
    utf16_line_starts: Option<Vec<usize>>,
}

impl<'t> Offsets<'t> {
    pub fn new(text: &'t str, enc: PositionEncoding) -> Self {
        Offsets {
            text,
            enc,
            bytes: None,
            utf16_line_starts: None,
        }
    }

    /// The position and the offset of byte `b`.
    pub fn at(&mut self, index: &crate::source::LineIndex, b: usize) -> (Position, usize) {
        let p = index.position(self.text, b, self.enc);
        let (enc, text) = (self.enc, self.text);
        if *self
            .bytes
            .get_or_insert_with(|| enc == PositionEncoding::Utf8 || text.is_ascii())
        {
            return (p, index.line_start(p.line - 1) + p.column - 1);
        }
        let text = self.text;
        let starts = self.utf16_line_starts.get_or_insert_with(|| {
            let mut v = Vec::with_capacity(index.line_count());
            let mut units = 0;
            let mut prev = 0;
            for l in 0..index.line_count() {
                let s = index.line_start(l);
                units += text.get(prev..s).map_or(0, |t| t.encode_utf16().count());
                prev = s;
                v.push(units);
            }
            v
        });
        let line_start = starts.get(p.line - 1).copied().unwrap_or(0);
        (p, line_start + p.column - 1)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticDto {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub document: usize,
    pub pointer: String,
    pub range: RangeDto,
    pub fix: Option<FixDto>,
    /// `Kind/name` of the object, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Link to the rule's documentation.
    pub url: String,
    /// The chart template the finding's document was rendered from (`# Source:` comments of
    /// Helm output), with the position inside that rendered document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<TemplateDto>,
    /// On an update (`check --old`, `lint()` with `oldSource`, `review()`): the live object
    /// already had this finding at the same place, so it never denies (Kubernetes ratchets).
    /// Written only when true.
    #[serde(rename = "preExisting", skip_serializing_if = "std::ops::Not::not")]
    pub pre_existing: bool,
}

/// A position in a document rendered from a Helm chart template: `line` counts from the line
/// after the document's `# Source:` comment (1), `column` is the stream's column.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateDto {
    pub template: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileDto {
    pub path: String,
    pub diagnostics: Vec<DiagnosticDto>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub hints: usize,
    pub fixable: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportDto {
    pub files: Vec<FileDto>,
    pub summary: Summary,
}

pub const DOCS_BASE: &str = "https://github.com/claimcheck/claimcheck/blob/main/docs/rules.md";

pub fn rule_url(code: &str) -> String {
    format!("{DOCS_BASE}#{}", code.to_ascii_lowercase())
}

pub fn diagnostic_dto(
    d: &Diagnostic,
    text: &str,
    report: &FileReport,
    enc: PositionEncoding,
) -> DiagnosticDto {
    diagnostic_dto_with(d, text, report, enc, None)
}

/// [`diagnostic_dto`], with the fix's text edits when `offsets` are given.
pub fn diagnostic_dto_with(
    d: &Diagnostic,
    text: &str,
    report: &FileReport,
    enc: PositionEncoding,
    offsets: Option<&mut Offsets>,
) -> DiagnosticDto {
    let idx = &report.line_index;
    let edits = match (offsets, &d.fix) {
        (Some(o), Some(f)) => Some(
            applicable_edits(text, f)
                .into_iter()
                .map(|e| {
                    let (start, s) = o.at(idx, e.span.start);
                    let (end, t) = o.at(idx, e.span.end);
                    TextEditDto {
                        range: RangeDto { start, end },
                        offset: OffsetDto { start: s, end: t },
                        new_text: e.replacement.clone(),
                    }
                })
                .collect(),
        ),
        _ => None,
    };
    DiagnosticDto {
        code: d.code,
        name: d.name,
        severity: d.severity,
        message: d.message.clone(),
        document: d.document,
        pointer: d.pointer.clone(),
        range: RangeDto {
            start: idx.position(text, d.span.start, enc),
            end: idx.position(text, d.span.end, enc),
        },
        fix: d.fix.as_ref().map(|f| FixDto {
            applicability: f.applicability,
            title: f.title.clone(),
            patch: f.patch.clone(),
            edits,
        }),
        object: d.object.clone(),
        url: rule_url(d.code),
        source: None,
        pre_existing: d.pre_existing,
    }
}

/// A fix's text edits that apply to `text`, in text order: within the text, on character
/// boundaries, not overlapping an earlier one (those are left out, as applying does).
pub fn applicable_edits<'f>(
    text: &str,
    f: &'f crate::diagnostic::Fix,
) -> Vec<&'f crate::diagnostic::TextEdit> {
    let mut list: Vec<&crate::diagnostic::TextEdit> = f.edits.iter().collect();
    crate::fix::sort_edits(&mut list);
    let mut pos = 0;
    list.retain(|e| {
        let (s, t) = (e.span.start, e.span.end);
        let ok = pos <= s
            && s <= t
            && t <= text.len()
            && text.is_char_boundary(s)
            && text.is_char_boundary(t);
        if ok {
            pos = t;
        }
        ok
    });
    list
}

/// Renders a `check` report in one of the formats: `text` (the default), `json`, `sarif` or
/// `gitlab` (GitLab's code-quality report, Code Climate JSON). Ends with a newline.
pub fn render(
    format: &str,
    reports: &[FileReport],
    texts: &[&str],
    color: bool,
    enc: PositionEncoding,
) -> String {
    let json = |v: serde_json::Result<String>| format!("{}\n", v.unwrap_or_default());
    match format {
        "json" => json(serde_json::to_string(&report_dto(reports, texts, enc))),
        "sarif" => json(serde_json::to_string_pretty(&sarif(reports, texts))),
        "gitlab" => json(serde_json::to_string_pretty(&gitlab(reports, texts))),
        _ => text(reports, texts, color),
    }
}

/// The formats [`render`] knows.
pub const CHECK_FORMATS: &[&str] = &["text", "json", "sarif", "gitlab"];

/// The JSON contract for a set of reports (texts in the same order).
pub fn report_dto(reports: &[FileReport], texts: &[&str], enc: PositionEncoding) -> ReportDto {
    report_dto_with(reports, texts, enc, false)
}

/// [`report_dto`], with every fix's text edits when `edits` is set (the API's results).
pub fn report_dto_with(
    reports: &[FileReport],
    texts: &[&str],
    enc: PositionEncoding,
    edits: bool,
) -> ReportDto {
    let mut summary = Summary::default();
    let files = reports
        .iter()
        .zip(texts)
        .map(|(r, t)| {
            let mut offsets = edits.then(|| Offsets::new(t, enc));
            let map = SourceMap::scan(t);
            let diagnostics: Vec<DiagnosticDto> = r
                .diagnostics
                .iter()
                .map(|d| {
                    match d.severity {
                        Severity::Error => summary.errors += 1,
                        Severity::Warning => summary.warnings += 1,
                        Severity::Hint => summary.hints += 1,
                    }
                    if d.fix.is_some() {
                        summary.fixable += 1;
                    }
                    let mut dto = diagnostic_dto_with(d, t, r, enc, offsets.as_mut());
                    dto.source =
                        map.position(t, &r.line_index, d.span.start, enc)
                            .map(|(loc, pos)| TemplateDto {
                                template: loc.template.to_string(),
                                line: pos.line,
                                column: pos.column,
                            });
                    dto
                })
                .collect();
            FileDto {
                path: r.path.clone(),
                diagnostics,
            }
        })
        .collect();
    ReportDto { files, summary }
}

/// The URI of a path in SARIF and Code Climate reports: `/` separators, and every byte that
/// cannot stand in a relative URI reference percent-encoded (`<stdin>` becomes `%3Cstdin%3E`).
pub fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SARIF 2.1.0 log with the rule catalogue as the tool's rules, in the shape GitHub code
/// scanning reads (rule metadata with help and help URIs, a physical location per result;
/// `ruleIndex` points into the rules). A finding in a document rendered from a Helm template is
/// located in that template (line within the rendered document); the rendered stream is its
/// related location.
pub fn sarif(reports: &[FileReport], texts: &[&str]) -> serde_json::Value {
    use serde_json::json;
    let all = crate::registry::all();
    let rules: Vec<serde_json::Value> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs, "markdown": r.docs},
                "helpUri": rule_url(r.code),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"tags": ["kubernetes", "statefulset"], "precision": "very-high"},
            })
        })
        .collect();
    let enc = PositionEncoding::Utf16;
    let mut results = Vec::new();
    for (r, t) in reports.iter().zip(texts) {
        let map = SourceMap::scan(t);
        for d in &r.diagnostics {
            let s = r.line_index.position(t, d.span.start, enc);
            let e = r.line_index.position(t, d.span.end, enc);
            let stream = json!({
                "artifactLocation": {"uri": path_uri(&r.path)},
                "region": {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column}
            });
            let logical = json!([{"fullyQualifiedName": format!("{}#{}", d.document, d.pointer), "kind": "member"}]);
            let mut result = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "properties": {"document": d.document, "pointer": d.pointer}
            });
            if let Some(i) = all.iter().position(|m| m.code == d.code) {
                result["ruleIndex"] = json!(i);
            }
            match map.position(t, &r.line_index, d.span.start, enc) {
                Some((loc, start)) => {
                    // the end on the same rendered document (a span never crosses documents)
                    let end_line = start.line + (e.line - s.line);
                    result["locations"] = json!([{
                        "physicalLocation": {
                            "artifactLocation": {"uri": path_uri(loc.template)},
                            "region": {"startLine": start.line, "startColumn": start.column, "endLine": end_line, "endColumn": e.column}
                        },
                        "logicalLocations": logical
                    }]);
                    result["relatedLocations"] = json!([{
                        "id": 1,
                        "physicalLocation": stream,
                        "message": {"text": "the rendered manifest"}
                    }]);
                    result["properties"]["template"] = json!(loc.template);
                }
                None => {
                    result["locations"] = json!([{
                        "physicalLocation": stream,
                        "logicalLocations": logical
                    }]);
                }
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "claimcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/claimcheck/claimcheck",
                "rules": rules
            }},
            "columnKind": "utf16CodeUnits",
            "results": results
        }]
    })
}

/// GitLab's code-quality report (a Code Climate JSON array): `description`, `check_name`,
/// `fingerprint`, `severity` and `location.path` + `location.lines.begin`, the fields GitLab
/// reads. Findings in Helm output are located in their template, like [`sarif`].
pub fn gitlab(reports: &[FileReport], texts: &[&str]) -> serde_json::Value {
    use serde_json::json;
    let mut issues = Vec::new();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for (r, t) in reports.iter().zip(texts) {
        let map = SourceMap::scan(t);
        for d in &r.diagnostics {
            let at = r
                .line_index
                .position(t, d.span.start, PositionEncoding::Utf8);
            let (path, line) =
                match map.position(t, &r.line_index, d.span.start, PositionEncoding::Utf8) {
                    Some((loc, pos)) => (loc.template.to_string(), pos.line),
                    None => (r.path.clone(), at.line),
                };
            // stable across runs and line moves; the n-th repeat of a key gets its own print
            let key = format!(
                "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
                path, d.code, d.document, d.pointer, d.message
            );
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let fingerprint = fingerprint(&format!("{key}\u{0}{n}"));
            issues.push(json!({
                "type": "issue",
                "check_name": d.code,
                "description": format!("{} {}: {}", d.code, d.name, d.message),
                "categories": ["Bug Risk"],
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Hint => "info",
                },
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": line}},
            }));
        }
    }
    serde_json::Value::Array(issues)
}

/// 128-bit FNV-1a of `s` as 32 hex digits (a stable identity, not a security measure).
fn fingerprint(s: &str) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("{h:032x}")
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

/// `s` made safe to print on a terminal: a manifest's names and lines can hold control
/// characters (an escape sequence in a quoted key, a raw ESC byte in a line), which a text
/// report must not pass to the terminal. Each C0 control character but the tab becomes its
/// Control Pictures sign (ESC as `␛`), DEL `␡`, and the C1 controls and the bidirectional
/// overrides and isolates `�`: one character for one, so that columns and carets still line up.
pub fn printable(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            c if !unsafe_char(c) => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect::<String>()
        .into()
}

/// A ruff-like report: `path:line:col: CODE [severity] message`, a code frame, the fix.
pub fn text(reports: &[FileReport], texts: &[&str], color: bool) -> String {
    let mut out = String::new();
    let paint = |s: &str, code: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut summary = Summary::default();
    // fixes `claimcheck fix` applies, and those that need `--unsafe-fixes`
    let (mut safe_fixes, mut unsafe_fixes) = (0, 0);
    for (r, t) in reports.iter().zip(texts) {
        let map = SourceMap::scan(t);
        for d in &r.diagnostics {
            let s = r
                .line_index
                .position(t, d.span.start, PositionEncoding::Utf8);
            let template = map.position(t, &r.line_index, d.span.start, PositionEncoding::Utf8);
            let (sev, sev_color) = match d.severity {
                Severity::Error => {
                    summary.errors += 1;
                    ("error", "1;31")
                }
                Severity::Warning => {
                    summary.warnings += 1;
                    ("warning", "1;33")
                }
                Severity::Hint => {
                    summary.hints += 1;
                    ("hint", "1;36")
                }
            };
            let (path, line) = match &template {
                Some((loc, pos)) => (loc.template, pos.line),
                None => (r.path.as_str(), s.line),
            };
            out.push_str(&format!(
                "{}:{}:{}: {} {} {}\n",
                paint(&printable(path), "1"),
                line,
                s.column,
                paint(d.code, sev_color),
                paint(&format!("[{sev}]"), sev_color),
                printable(&d.message)
            ));
            out.push_str(&frame(t, r, d, color));
            if let Some(f) = &d.fix {
                let how = match f.applicability {
                    crate::diagnostic::Applicability::Safe => {
                        safe_fixes += 1;
                        "safe fix"
                    }
                    crate::diagnostic::Applicability::Unsafe => {
                        unsafe_fixes += 1;
                        "unsafe fix (--unsafe-fixes)"
                    }
                    crate::diagnostic::Applicability::DisplayOnly => "suggestion",
                };
                out.push_str(&format!(
                    "   = {}: {}\n",
                    paint(how, "32"),
                    printable(&f.title)
                ));
            }
            if let Some((loc, pos)) = &template {
                out.push_str(&format!(
                    "   = rendered: {}:{}:{}, line {} of the document rendered from {}\n",
                    printable(&r.path),
                    s.line,
                    s.column,
                    pos.line,
                    printable(loc.template)
                ));
            }
            out.push_str(&format!(
                "   = pointer: {} (document {})\n\n",
                if d.pointer.is_empty() {
                    "/".into()
                } else {
                    printable(&d.pointer)
                },
                d.document
            ));
        }
    }
    let total = summary.errors + summary.warnings + summary.hints;
    if total == 0 {
        out.push_str(&format!(
            "All checks passed ({} file{}).\n",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" }
        ));
    } else {
        out.push_str(&format!(
            "Found {total} problem{} ({} error{}, {} warning{}, {} hint{}) in {} file{}.\n",
            if total == 1 { "" } else { "s" },
            summary.errors,
            if summary.errors == 1 { "" } else { "s" },
            summary.warnings,
            if summary.warnings == 1 { "" } else { "s" },
            summary.hints,
            if summary.hints == 1 { "" } else { "s" },
            reports.len(),
            if reports.len() == 1 { "" } else { "s" },
        ));
        // (suggestions are not fixes)
        match (safe_fixes, unsafe_fixes) {
            (0, 0) => {}
            (0, n) => out.push_str(&format!(
                "{n} fixable with `claimcheck fix --unsafe-fixes`.\n"
            )),
            (n, 0) => out.push_str(&format!("{n} fixable with `claimcheck fix`.\n")),
            (n, m) => out.push_str(&format!(
                "{n} fixable with `claimcheck fix`, {m} more with `--unsafe-fixes`.\n"
            )),
        }
    }
    out
}

fn frame(text: &str, r: &FileReport, d: &Diagnostic, color: bool) -> String {
    let idx = &r.line_index;
    let line = idx.line_of(d.span.start);
    let first = line.saturating_sub(1);
    let last = (line + 1).min(idx.line_count().saturating_sub(1));
    let width = (last + 1).to_string().len();
    let mut out = format!("{} |\n", " ".repeat(width));
    for l in first..=last {
        let s = idx.line_start(l);
        let e = idx.line_start(l + 1);
        let content = text.get(s..e).unwrap_or("").trim_end_matches(['\n', '\r']);
        if l == last && content.is_empty() && l != line {
            continue;
        }
        out.push_str(&format!("{:>width$} | {}\n", l + 1, printable(content)));
        if l == line {
            // the caret line repeats the line's tabs, so that the carets stand under the span
            // however wide the terminal draws a tab
            let indent: String = text
                .get(s..d.span.start.max(s))
                .unwrap_or("")
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let line_end = s + content.len();
            let end = d.span.end.min(line_end).max(d.span.start);
            let len = text
                .get(d.span.start..end)
                .map_or(1, |p| p.chars().count())
                .max(1);
            let marks = "^".repeat(len);
            let marks = if color {
                format!("\x1b[1;31m{marks}\x1b[0m")
            } else {
                marks
            };
            out.push_str(&format!("{} | {indent}{marks}\n", " ".repeat(width)));
        }
    }
    out
}
