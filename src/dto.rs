//! The typed boundary of the library API (`src/api.rs`; in JavaScript `lint`, `fix`,
//! `normalize`, `review`, `rules`, `about`, ... through `src/wasm.rs`): what goes in (options,
//! read with serde, unknown keys rejected, errors naming the key) and what comes out (result
//! DTOs). Compiled on every target, so native tests check the shapes (`tests/dto.rs`, which
//! also holds `pkg/index.d.ts` to them). The shapes shared with the CLI's `--format json`
//! live in [`crate::output`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::output::{
    DiagnosticDto, FileDto, FixDto, OffsetDto, RangeDto, ReportDto, Summary, TextEditDto,
};
use crate::patch::PatchOp;
use crate::source::PositionEncoding;
use crate::{Applicability, Severity};

// ---- errors ----

/// What kind of failure an [`ApiError`] is; in JavaScript the `code` property of the thrown
/// `Error` (these strings never change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ErrorCode {
    /// An option is unknown or has a wrong value (a `TypeError` in JavaScript).
    #[serde(rename = "ERR_CLAIMCHECK_OPTIONS")]
    Options,
    /// An argument other than the options is wrong (a `TypeError`).
    #[serde(rename = "ERR_CLAIMCHECK_ARGUMENT")]
    Argument,
    /// `review()` was given something that is not an AdmissionReview.
    #[serde(rename = "ERR_CLAIMCHECK_REVIEW")]
    Review,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 3] = [ErrorCode::Options, ErrorCode::Argument, ErrorCode::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Options => "ERR_CLAIMCHECK_OPTIONS",
            ErrorCode::Argument => "ERR_CLAIMCHECK_ARGUMENT",
            ErrorCode::Review => "ERR_CLAIMCHECK_REVIEW",
        }
    }
}

/// Codes the JavaScript wrapper throws itself (pkg/lib/api.js): the module is not loaded, or
/// trapped (a bug).
pub const JS_ERROR_CODES: [&str; 2] = ["ERR_CLAIMCHECK_NOT_LOADED", "ERR_CLAIMCHECK_INTERNAL"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    /// Starts with `claimcheck: `.
    pub message: String,
}

impl ApiError {
    pub fn options(message: impl AsRef<str>) -> Self {
        ApiError {
            code: ErrorCode::Options,
            message: format!("claimcheck: {}", message.as_ref()),
        }
    }
    pub fn argument(message: impl AsRef<str>) -> Self {
        ApiError {
            code: ErrorCode::Argument,
            message: format!("claimcheck: {}", message.as_ref()),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

// ---- options ----

/// `positionEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Encoding {
    #[serde(rename = "utf16", alias = "utf-16")]
    Utf16,
    #[serde(rename = "utf8", alias = "utf-8")]
    Utf8,
}

impl From<Encoding> for PositionEncoding {
    fn from(e: Encoding) -> Self {
        match e {
            Encoding::Utf16 => PositionEncoding::Utf16,
            Encoding::Utf8 => PositionEncoding::Utf8,
        }
    }
}

/// A rule's setting in `options.rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Off,
    Error,
    Warning,
    Hint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewMode {
    Validate,
    Mutate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewFixes {
    None,
    Safe,
    Unsafe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

/// One input file of `report()`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    pub path: String,
    pub text: String,
}

/// The options object of every function: one serde struct (unknown keys rejected). Each
/// function accepts the common keys and its own ([`LINT_KEYS`], [`NORMALIZE_KEYS`],
/// [`REVIEW_KEYS`], [`REPORT_KEYS`]; [`parse_options`] checks them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiOptions {
    /// Default "utf16" ("utf8" for `report()`).
    pub position_encoding: Option<Encoding>,
    /// `MAJOR.MINOR`; checked against the supported range.
    pub kubernetes_version: Option<String>,
    /// Per rule (code or name): off or a severity.
    pub rules: Option<BTreeMap<String, RuleSetting>>,
    pub unsafe_fixes: Option<bool>,
    /// The previous manifest (`lint()` only; read everywhere, to be refused with a reason).
    pub old_source: Option<String>,
    /// `normalize()`: also write out the defaults the API server fills in.
    pub with_defaults: Option<bool>,
    /// `review()`.
    pub mode: Option<ReviewMode>,
    pub deny_at: Option<Severity>,
    pub fixes: Option<ReviewFixes>,
    /// `review()`: the kinds judged (Kubernetes names such as `Deployment`, or resources such
    /// as `deployments`); requests for other kinds are allowed untouched. Default: every kind
    /// claimcheck reviews ([`crate::admission::REVIEWED_KINDS`]).
    pub kinds: Option<Vec<String>>,
    /// `report()`.
    pub format: Option<ReportFormat>,
    pub color: Option<bool>,
    pub old: Option<Vec<InputFile>>,
}

/// The keys of `lint()`, `documents()`, `fix()` and `fixOne()`, in the order messages list
/// them; every function takes these.
pub const LINT_KEYS: &[&str] = &[
    "positionEncoding",
    "kubernetesVersion",
    "rules",
    "unsafeFixes",
    "oldSource",
];
pub const NORMALIZE_KEYS: &[&str] = &[
    "positionEncoding",
    "kubernetesVersion",
    "rules",
    "unsafeFixes",
    "oldSource",
    "withDefaults",
];
pub const REVIEW_KEYS: &[&str] = &[
    "positionEncoding",
    "kubernetesVersion",
    "rules",
    "unsafeFixes",
    "oldSource",
    "mode",
    "denyAt",
    "fixes",
    "kinds",
];
pub const REPORT_KEYS: &[&str] = &[
    "positionEncoding",
    "kubernetesVersion",
    "rules",
    "unsafeFixes",
    "oldSource",
    "format",
    "color",
    "old",
];

/// What a key takes, for messages.
fn expected(key: &str) -> &'static str {
    match key {
        "positionEncoding" => "\"utf16\" or \"utf8\"",
        "kubernetesVersion" => "a string such as \"1.32\"",
        "rules" => "an object such as { \"CC305\": \"off\" }",
        "unsafeFixes" | "withDefaults" | "color" => "true or false",
        "oldSource" => "the previous manifest as a string",
        "mode" => "\"validate\" or \"mutate\"",
        "denyAt" => "\"error\", \"warning\" or \"hint\"",
        "fixes" => "\"none\", \"safe\" or \"unsafe\"",
        "kinds" => "an array of kind names such as [\"Deployment\", \"StatefulSet\"]",
        "format" => "\"text\", \"json\" or \"sarif\"",
        "old" => "an array of { path, text } objects",
        _ => "something else",
    }
}

/// How a value reads in a message.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!(
                "\"{short}{}\"",
                if short.len() < s.len() { "…" } else { "" }
            )
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Reads an options object (JSON; `null` is no options, keys holding `null` are left out)
/// for a function that takes `keys`: the serde struct, with errors that name the key.
pub fn parse_options(value: Value, keys: &[&str]) -> Result<ApiOptions, ApiError> {
    let map: Map<String, Value> = match value {
        Value::Null => return Ok(ApiOptions::default()),
        Value::Object(mut m) => {
            m.retain(|_, v| !v.is_null());
            m
        }
        other => {
            return Err(ApiError::options(format!(
                "options must be an object, got {}",
                describe(&other)
            )))
        }
    };
    if let Some(key) = map.keys().find(|k| !keys.contains(&k.as_str())) {
        return Err(ApiError::options(format!(
            "unknown option `{key}` (known: {})",
            keys.join(", ")
        )));
    }
    if let Some(Value::Object(rules)) = map.get("rules") {
        for (code, level) in rules {
            if serde_json::from_value::<RuleSetting>(level.clone()).is_err() {
                return Err(ApiError::options(format!(
                    "options.rules.{code} must be \"off\", \"error\", \"warning\" or \"hint\", got {}",
                    describe(level)
                )));
            }
        }
    }
    if let Some(Value::Array(files)) = map.get("old") {
        check_files(files, "options.old")?;
    }
    serde_json::from_value(Value::Object(map.clone())).map_err(|e| {
        // Find the key: read each alone.
        for (k, v) in &map {
            // (an insert: `from_iter` would bring its own copy of the sort into the module)
            let mut one = Map::new();
            one.insert(k.clone(), v.clone());
            let one = Value::Object(one);
            if serde_json::from_value::<ApiOptions>(one).is_err() {
                return ApiError::options(format!(
                    "options.{k} must be {}, got {}",
                    expected(k),
                    describe(v)
                ));
            }
        }
        ApiError::options(format!("invalid options: {e}"))
    })
}

/// Checks a list of `{ path, text }` objects; `what` names it in messages.
pub fn check_files(items: &[Value], what: &str) -> Result<(), ApiError> {
    for (i, f) in items.iter().enumerate() {
        if serde_json::from_value::<InputFile>(f.clone()).is_err() {
            return Err(ApiError::options(format!(
                "{what}[{i}] must be {{ path: string, text: string }}"
            )));
        }
    }
    Ok(())
}

// ---- results ----

/// `lint()`: the findings of one text (`documents` is added by the JavaScript wrapper, on
/// first access, from `documents()`).
#[derive(Debug, Clone, Serialize)]
pub struct LintResult {
    pub diagnostics: Vec<DiagnosticDto>,
    pub summary: Summary,
}

/// One YAML document of the input.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentDto {
    pub index: usize,
    pub range: RangeDto,
    #[serde(rename = "apiVersion")]
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// `fix()`, `normalize()`, `fixOne()` and `report()` results are written with their keys
/// sorted at every level ([`sorted_json`]), as the API has always written them.
pub fn sorted_json<T: Serialize>(v: &T) -> serde_json::Result<String> {
    serde_json::to_string(&serde_json::to_value(v)?)
}

#[derive(Debug, Clone, Serialize)]
pub struct AppliedFixDto {
    pub code: &'static str,
    pub title: String,
    pub document: usize,
    pub applicability: Applicability,
    pub patch: Vec<PatchOp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentPatchDto {
    pub document: usize,
    pub operations: Vec<PatchOp>,
}

/// `fix()` and `normalize()`.
#[derive(Debug, Clone, Serialize)]
pub struct FixResult {
    pub output: String,
    pub changed: bool,
    pub patch: Vec<DocumentPatchDto>,
    pub applied: Vec<AppliedFixDto>,
    /// Findings left in `output` (positions refer to `output`).
    pub remaining: Vec<DiagnosticDto>,
    pub summary: Summary,
}

/// One edit of `fixOne()`: `from`..`to` replaced by `insert`.
#[derive(Debug, Clone, Serialize)]
pub struct FixOneEdit {
    pub from: usize,
    pub to: usize,
    pub insert: String,
}

/// `fixOne()`.
#[derive(Debug, Clone, Serialize)]
pub struct FixOneResult {
    pub output: String,
    pub changed: bool,
    pub edits: Vec<FixOneEdit>,
}

/// `report()`: what `claimcheck check` prints, and whether it found errors.
#[derive(Debug, Clone, Serialize)]
pub struct ReportResult {
    pub output: String,
    pub errors: bool,
}

/// A group of rules by code prefix (`CC3`: volumes and mounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FamilyDto {
    pub prefix: &'static str,
    pub title: &'static str,
}

/// The rule families, in order. Every rule's code starts with one prefix (tested).
pub const FAMILIES: &[FamilyDto] = &[
    FamilyDto {
        prefix: "CC0",
        title: "Schema and parsing",
    },
    FamilyDto {
        prefix: "CC1",
        title: "StatefulSet",
    },
    FamilyDto {
        prefix: "CC2",
        title: "Claim templates",
    },
    FamilyDto {
        prefix: "CC3",
        title: "Volumes and mounts",
    },
    FamilyDto {
        prefix: "CC4",
        title: "Across objects",
    },
    FamilyDto {
        prefix: "CC5",
        title: "Updates of a live object",
    },
];

/// The family of a rule code.
pub fn family_of(code: &str) -> Option<FamilyDto> {
    FAMILIES
        .iter()
        .copied()
        .find(|f| code.starts_with(f.prefix))
}

/// One rule of `rules()` (and `claimcheck rules --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleDto {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: crate::registry::FixAvailability,
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Fix safety.
    pub docs: &'static str,
    pub family: Option<FamilyDto>,
}

/// `about()`: what this build supports, for settings screens.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AboutDto {
    /// The crate (and package) version.
    pub version: &'static str,
    /// Supported Kubernetes versions, oldest first.
    pub kubernetes_versions: Vec<String>,
    /// The version assumed when none is given (the newest).
    pub default_kubernetes_version: String,
    /// Severities, most severe first.
    pub severities: Vec<Severity>,
    pub families: Vec<FamilyDto>,
}
