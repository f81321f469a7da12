//! Input rules: syntax, duplicate keys, what each document is.

use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{ParseIssueKind, ParsedStream, Span};

crate::declare_rule! {
    /// ## What it does
    /// Reports YAML or JSON syntax errors, with the line and column where reading stopped, and input that exceeds claimcheck's limits (size, nesting depth, alias expansion).
    ///
    /// ## Why is this bad?
    /// kubectl cannot read the file at all, so nothing in it is applied. Documents before the error are still checked.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector: {matchLabels: {app: web}
    /// ```
    /// The flow mapping is never closed.
    ///
    /// ## Fix safety
    /// No fix: the intent of broken syntax cannot be known.
    pub CC001 {
        name: "parse-error",
        severity: Error,
        fix: None,
        summary: "The text is not valid YAML or JSON, or exceeds a reading limit",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds a key written twice in the same mapping.
    ///
    /// ## Why is this bad?
    /// With strict field validation (kubectl's default) the API server rejects the object (`duplicate field`). Tools that accept it silently keep the last value, so the first one is lost without a word.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 1Gi
    ///     storage: 10Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two values was meant is unknown.
    pub CC002 {
        name: "duplicate-key",
        severity: Error,
        fix: None,
        summary: "A mapping repeats a key",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds StatefulSets written as `apps/v1beta1` or `apps/v1beta2` (removed in Kubernetes 1.16) and other removed group versions of the kinds claimcheck checks.
    ///
    /// ## Why is this bad?
    /// The API server answers `no matches for kind "StatefulSet" in version "apps/v1beta2"`: nothing is created.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1beta2
    /// kind: StatefulSet
    /// ```
    /// Use `apps/v1`, which also requires `spec.selector`.
    ///
    /// ## Fix safety
    /// No automatic fix yet: moving to `apps/v1` may need a selector that must match the pod labels.
    pub CC005 {
        name: "removed-api-version",
        severity: Error,
        fix: None,
        summary: "A StatefulSet or PVC under an API version that the API server no longer serves",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports documents that are not Kubernetes objects: no `apiVersion`, no `kind`, neither `metadata.name` nor `metadata.generateName`, or a document that is a list or a scalar rather than a mapping.
    ///
    /// ## Why is this bad?
    /// kubectl refuses objects without `apiVersion` or `kind`, and the API server refuses objects without a name (`name or generateName is required`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// spec: {}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: names and kinds cannot be guessed.
    pub CC006 {
        name: "missing-identity",
        severity: Error,
        fix: None,
        summary: "A document without apiVersion, kind, or a name",
    }
}

pub const RULES: &[RuleMeta] = &[CC001, CC002, CC005, CC006];

/// Problems found while reading the text.
pub fn check_stream(ctx: &mut Ctx, file: usize, _text: &str, stream: &ParsedStream) {
    for issue in &stream.issues {
        let rule = match issue.kind {
            ParseIssueKind::DuplicateKey { .. } => &CC002,
            _ => &CC001,
        };
        let message = match &issue.kind {
            ParseIssueKind::DuplicateKey { key, .. } => format!(
                "key `{key}` appears twice in this mapping; strict decoding rejects the object, and tools that accept it keep only the last value"
            ),
            _ => issue.message.clone(),
        };
        ctx.report_in_document(
            file,
            rule,
            issue.document,
            issue.pointer.clone(),
            issue.span,
            message,
        );
    }
    for doc in &stream.documents {
        let root = &doc.root;
        let what = match &root.value {
            crate::source::Value::Null | crate::source::Value::Map(_) => continue,
            crate::source::Value::Seq(_) => "a list",
            _ => "a scalar",
        };
        let span = if root.span.start == root.span.end {
            Span::new(doc.span.start, doc.span.end)
        } else {
            root.span
        };
        ctx.report_in_document(
            file,
            &CC006,
            doc.index,
            String::new(),
            span,
            format!("this document is {what}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)"),
        );
    }
}

const REMOVED: &[(&str, &str, &str)] = &[
    ("apps/v1beta1", "StatefulSet", "apps/v1"),
    ("apps/v1beta2", "StatefulSet", "apps/v1"),
    ("extensions/v1beta1", "StatefulSet", "apps/v1"),
];

/// Identity of each object.
pub fn check_object(ctx: &mut Ctx, obj: &Object) {
    let node = obj.node;
    if node
        .get("apiVersion")
        .and_then(|n| n.as_str())
        .is_none_or(str::is_empty)
    {
        ctx.report(
            obj,
            &CC006,
            "/apiVersion",
            "the object has no `apiVersion`",
            None,
        );
    }
    if node
        .get("kind")
        .and_then(|n| n.as_str())
        .is_none_or(str::is_empty)
    {
        ctx.report(obj, &CC006, "/kind", "the object has no `kind`", None);
    }
    let named = node
        .str_at(&["metadata", "name"])
        .is_some_and(|s| !s.is_empty())
        || node
            .str_at(&["metadata", "generateName"])
            .is_some_and(|s| !s.is_empty());
    if !named && !obj.kind.is_empty() && !obj.kind.ends_with("List") {
        ctx.report(
            obj,
            &CC006,
            "/metadata/name",
            format!(
                "the {} has neither `metadata.name` nor `metadata.generateName`: the API server rejects it (name or generateName is required)",
                obj.kind
            ),
            None,
        );
    }
    for (api, kind, now) in REMOVED {
        if obj.api_version == *api && obj.kind == *kind {
            ctx.report(
                obj,
                &CC005,
                "/apiVersion",
                format!("`{api}` {kind} is no longer served by the API server; use `{now}` (it requires `spec.selector` matching the pod template labels)"),
                None,
            );
        }
    }
}
