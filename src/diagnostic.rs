//! Findings: what is wrong, how bad, where, and how to fix it.

use serde::{Deserialize, Serialize};

use crate::patch::PatchOp;
use crate::source::Span;

/// How bad a finding is. Ordered: `Hint < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "hint" | "info" => Some(Severity::Hint),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// How sure a fix is to keep the author's meaning (as in ruff). Ordered: `DisplayOnly < Unsafe < Safe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied.
    DisplayOnly,
    /// A likely intent: applied only when unsafe fixes are asked for.
    Unsafe,
    /// Keeps the meaning: applied by default.
    Safe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub replacement: String,
}

impl TextEdit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        TextEdit {
            span,
            replacement: replacement.into(),
        }
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        TextEdit {
            span: Span::empty(at),
            replacement: text.into(),
        }
    }
    pub fn delete(span: Span) -> Self {
        TextEdit {
            span,
            replacement: String::new(),
        }
    }
}

/// A correction: text edits on the original source, and the same change as JSON Patch
/// operations on the document (pointers relative to the document).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub title: String,
    #[serde(skip)]
    pub edits: Vec<TextEdit>,
    pub patch: Vec<PatchOp>,
    /// Proof that the fix was built by [`crate::fix::FixBuilder`], which checks that the rule
    /// declares fixes of this applicability: a rule cannot write a `Fix` literal.
    #[serde(skip)]
    pub declared: crate::fix::Declared,
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Index of the document in its file's stream.
    pub document: usize,
    /// JSON Pointer into the document.
    pub pointer: String,
    /// Byte range in the file.
    pub span: Span,
    pub fix: Option<Fix>,
    /// `Kind/name` of the object the finding is about, when there is one.
    pub object: Option<String>,
    /// On an update: the live object already had this finding at the same place, so it is
    /// reported as a warning and never denies (see `ratchet`).
    pub pre_existing: bool,
}
