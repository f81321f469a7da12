//! The library API behind the JavaScript package, on every target: typed options in
//! ([`crate::dto`]), typed results out. `src/wasm.rs` only converts JavaScript values to and
//! from these; native tests call them directly.

use crate::dto::{
    self, AboutDto, ApiError, ApiOptions, AppliedFixDto, DocumentDto, DocumentPatchDto, FixOneEdit,
    FixOneResult, FixResult, LintResult, RangeDto, ReportFormat, ReportResult, ReviewFixes,
    ReviewMode, RuleDto, RuleSetting,
};
use crate::engine::{fix_text, lint_update, FixOutcome, Options, SourceFile};
use crate::source::{parse_stream, LineIndex, PositionEncoding};
use crate::{output, registry, KubeVersion, Severity};

/// The engine options of the keys every function takes.
fn engine_options(
    kubernetes_version: Option<&str>,
    rules: Option<&std::collections::BTreeMap<String, RuleSetting>>,
    unsafe_fixes: Option<bool>,
) -> Result<Options, ApiError> {
    let mut o = Options::default();
    if let Some(v) = kubernetes_version {
        o.kubernetes_version = KubeVersion::parse(v)
            .map_err(|e| ApiError::options(format!("options.kubernetesVersion: {e}")))?;
    }
    if let Some(u) = unsafe_fixes {
        o.unsafe_fixes = u;
    }
    for (code, setting) in rules.into_iter().flatten() {
        let rule = registry::find(code).ok_or_else(|| {
            ApiError::options(format!(
                "options.rules: unknown rule `{code}` (see rules() for the codes)"
            ))
        })?;
        let severity = match setting {
            RuleSetting::Off => {
                o.rules.disabled.insert(rule.code);
                continue;
            }
            RuleSetting::Error => Severity::Error,
            RuleSetting::Warning => Severity::Warning,
            RuleSetting::Hint => Severity::Hint,
        };
        o.rules.disabled.remove(rule.code);
        o.rules.severity.insert(rule.code, severity);
    }
    Ok(o)
}

fn engine(o: &ApiOptions) -> Result<Options, ApiError> {
    engine_options(
        o.kubernetes_version.as_deref(),
        o.rules.as_ref(),
        o.unsafe_fixes,
    )
}

fn encoding(e: Option<dto::Encoding>, default: PositionEncoding) -> PositionEncoding {
    e.map_or(default, Into::into)
}

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }
}

fn old_file(o: &ApiOptions) -> Vec<SourceFile> {
    o.old_source
        .as_deref()
        .map(|t| file("<old>", t))
        .into_iter()
        .collect()
}

/// `lint(source, options)`: the findings of one text, with every fix's text edits.
pub fn lint(source: &str, o: &ApiOptions) -> Result<LintResult, ApiError> {
    let engine = engine(o)?;
    let enc = encoding(o.position_encoding, PositionEncoding::Utf16);
    let reports = lint_update(&[file("<input>", source)], &old_file(o), &engine);
    let report = output::report_dto_with(&reports, &[source], enc, true);
    Ok(LintResult {
        diagnostics: report
            .files
            .into_iter()
            .next()
            .map(|f| f.diagnostics)
            .unwrap_or_default(),
        summary: report.summary,
    })
}

/// `documents(source, options)`: the YAML documents of the text with their kind and name.
pub fn documents(source: &str, o: &ApiOptions) -> Result<Vec<DocumentDto>, ApiError> {
    let engine = engine(o)?;
    let enc = encoding(o.position_encoding, PositionEncoding::Utf16);
    let stream = parse_stream(source, &engine.limits);
    let index = LineIndex::new(source);
    let owned = |s: Option<&str>| s.map(str::to_string);
    Ok(stream
        .documents
        .iter()
        .map(|d| DocumentDto {
            index: d.index,
            range: RangeDto {
                start: index.position(source, d.span.start, enc),
                end: index.position(source, d.span.end, enc),
            },
            api_version: owned(d.root.str_at(&["apiVersion"])),
            kind: owned(d.root.str_at(&["kind"])),
            name: owned(d.root.str_at(&["metadata", "name"])),
            namespace: owned(d.root.str_at(&["metadata", "namespace"])),
        })
        .collect())
}

fn fix_result(source: &str, outcome: FixOutcome, enc: PositionEncoding) -> FixResult {
    let remaining = output::report_dto_with(
        std::slice::from_ref(&outcome.remaining),
        &[outcome.output.as_str()],
        enc,
        true,
    );
    FixResult {
        changed: outcome.output != source,
        patch: outcome
            .patches
            .into_iter()
            .map(|(document, operations)| DocumentPatchDto {
                document,
                operations,
            })
            .collect(),
        applied: outcome
            .applied
            .into_iter()
            .map(|a| AppliedFixDto {
                code: a.code,
                title: a.title,
                document: a.document,
                applicability: a.applicability,
                patch: a.patch,
            })
            .collect(),
        remaining: remaining
            .files
            .into_iter()
            .next()
            .map(|f| f.diagnostics)
            .unwrap_or_default(),
        summary: remaining.summary,
        output: outcome.output,
    }
}

/// `fix(source, options)`: the safe fixes (and the unsafe ones with `unsafeFixes`) until
/// nothing changes.
pub fn fix(source: &str, o: &ApiOptions) -> Result<FixResult, ApiError> {
    if o.old_source.is_some() {
        return Err(ApiError::options(
            "fix() does not take options.oldSource; pass it to lint()",
        ));
    }
    let engine = engine(o)?;
    let enc = encoding(o.position_encoding, PositionEncoding::Utf16);
    Ok(fix_result(
        source,
        fix_text("<input>", source, &engine),
        enc,
    ))
}

/// `normalize(source, options)`: safe fixes, quantities in stored form, and with
/// `withDefaults` the defaults the API server fills in.
pub fn normalize(source: &str, o: &ApiOptions) -> Result<FixResult, ApiError> {
    if o.old_source.is_some() {
        return Err(ApiError::options(
            "normalize() does not take options.oldSource; pass it to lint()",
        ));
    }
    if o.unsafe_fixes == Some(true) {
        return Err(ApiError::options(
            "normalize() applies only safe fixes; use fix() with unsafeFixes: true",
        ));
    }
    let engine = engine(o)?;
    let enc = encoding(o.position_encoding, PositionEncoding::Utf16);
    let outcome = crate::normalize::normalize_text(
        "<input>",
        source,
        &engine,
        o.with_defaults.unwrap_or(false),
    );
    Ok(fix_result(source, outcome, enc))
}

/// `review(body, options)`: one AdmissionReview in, the answer out.
pub fn review(body: &str, o: &ApiOptions) -> Result<serde_json::Value, ApiError> {
    if o.old_source.is_some() {
        return Err(ApiError::options(
            "review() does not take options.oldSource; the live object is the AdmissionReview's request.oldObject",
        ));
    }
    let mut ro = crate::admission::ReviewOptions {
        lint: engine(o)?,
        ..Default::default()
    };
    if let Some(m) = o.mode {
        ro.mode = match m {
            ReviewMode::Validate => crate::admission::Mode::Validate,
            ReviewMode::Mutate => crate::admission::Mode::Mutate,
        };
    }
    if let Some(d) = o.deny_at {
        ro.deny_at = d;
    }
    if let Some(f) = o.fixes {
        ro.fixes = match f {
            ReviewFixes::None => crate::admission::MutateFixes::None,
            ReviewFixes::Safe => crate::admission::MutateFixes::Safe,
            ReviewFixes::Unsafe => crate::admission::MutateFixes::Unsafe,
        };
    }
    if let Some(k) = &o.kinds {
        ro.kinds = crate::admission::parse_kinds(k)
            .map_err(|e| ApiError::options(format!("options.kinds: {e}")))?;
    }
    crate::admission::review(body, &ro).map_err(|e| ApiError {
        code: dto::ErrorCode::Review,
        message: format!("claimcheck: malformed AdmissionReview: {e}"),
    })
}

/// `report(files, options)`: lints the files as one bundle and renders the report as
/// `claimcheck check` does.
pub fn report(files: &[dto::InputFile], o: &ApiOptions) -> Result<ReportResult, ApiError> {
    if o.old_source.is_some() {
        return Err(ApiError::options(
            "report() takes the previous versions as options.old (files)",
        ));
    }
    let engine = engine(o)?;
    let files: Vec<SourceFile> = files.iter().map(|f| file(&f.path, &f.text)).collect();
    let old: Vec<SourceFile> = o
        .old
        .iter()
        .flatten()
        .map(|f| file(&f.path, &f.text))
        .collect();
    let reports = lint_update(&files, &old, &engine);
    let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
    let format = match o.format.unwrap_or(ReportFormat::Text) {
        ReportFormat::Text => "text",
        ReportFormat::Json => "json",
        ReportFormat::Sarif => "sarif",
    };
    let enc = encoding(o.position_encoding, PositionEncoding::Utf8);
    Ok(ReportResult {
        output: output::render(format, &reports, &texts, o.color.unwrap_or(false), enc),
        errors: reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity == Severity::Error),
    })
}

/// `fixOne(source, options, index)`: only the fix of `lint(source, options)`'s diagnostic
/// number `index`, for an editor's quick fix.
pub fn fix_one(source: &str, o: &ApiOptions, index: usize) -> Result<FixOneResult, ApiError> {
    let engine = engine(o)?;
    let enc = encoding(o.position_encoding, PositionEncoding::Utf16);
    let reports = lint_update(&[file("<input>", source)], &old_file(o), &engine);
    let edits = reports
        .first()
        .and_then(|r| r.diagnostics.get(index))
        .and_then(|d| d.fix.as_ref())
        .map(|f| output::applicable_edits(source, f))
        .unwrap_or_default();
    let offset = |b: usize| match enc {
        PositionEncoding::Utf8 => b,
        _ => source.get(..b).map_or(0, |s| s.encode_utf16().count()),
    };
    let mut output = String::with_capacity(source.len() + 64);
    let mut out_edits = Vec::new();
    let mut pos = 0;
    for e in edits {
        let (s, t) = (e.span.start, e.span.end);
        output.push_str(source.get(pos..s).unwrap_or(""));
        output.push_str(&e.replacement);
        out_edits.push(FixOneEdit {
            from: offset(s),
            to: offset(t),
            insert: e.replacement.clone(),
        });
        pos = t;
    }
    output.push_str(source.get(pos..).unwrap_or(""));
    Ok(FixOneResult {
        changed: output != source,
        output,
        edits: out_edits,
    })
}

/// `rules()`: the rule catalogue with each rule's family.
pub fn rules() -> Vec<RuleDto> {
    registry::all()
        .into_iter()
        .map(|r| RuleDto {
            code: r.code,
            name: r.name,
            severity: r.severity,
            fix: r.fix,
            summary: r.summary,
            docs: r.docs,
            family: dto::family_of(r.code),
        })
        .collect()
}

/// `about()`: the version, the supported Kubernetes versions, severities and rule families.
pub fn about() -> AboutDto {
    let (oldest, latest) = (KubeVersion::OLDEST, KubeVersion::LATEST);
    AboutDto {
        version: env!("CARGO_PKG_VERSION"),
        kubernetes_versions: (oldest.minor..=latest.minor)
            .map(|m| KubeVersion::new(latest.major, m).to_string())
            .collect(),
        default_kubernetes_version: Options::default().kubernetes_version.to_string(),
        severities: vec![Severity::Error, Severity::Warning, Severity::Hint],
        families: dto::FAMILIES.to_vec(),
    }
}
