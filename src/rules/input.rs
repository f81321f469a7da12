//! Input rules: syntax, duplicate keys, what each document is.

use crate::diagnostic::Severity;
use crate::rule::{Ctx, Object};
use crate::rule::{FixAvailability, RuleMeta};
use crate::source::{ParseIssueKind, ParsedStream, Span};

pub const CC001: RuleMeta = RuleMeta {
    code: "CC001",
    name: "parse-error",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "The text is not valid YAML or JSON, or exceeds a reading limit",
    docs: "## What it does\nReports YAML or JSON syntax errors, with the line and column where reading stopped, and input that exceeds claimcheck's limits (size, nesting depth, alias expansion).\n\n## Why is this bad?\nkubectl cannot read the file at all, so nothing in it is applied. Documents before the error are still checked.\n\n## Example\n```yaml\nspec:\n  selector: {matchLabels: {app: web}\n```\nThe flow mapping is never closed.\n\n## Fix safety\nNo fix: the intent of broken syntax cannot be known.\n",
};

pub const CC002: RuleMeta = RuleMeta {
    code: "CC002",
    name: "duplicate-key",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A mapping repeats a key",
    docs: "## What it does\nFinds a key written twice in the same mapping.\n\n## Why is this bad?\nWith strict field validation (kubectl's default) the API server rejects the object (`duplicate field`). Tools that accept it silently keep the last value, so the first one is lost without a word.\n\n## Example\n```yaml\nresources:\n  requests:\n    storage: 1Gi\n    storage: 10Gi\n```\n\n## Fix safety\nNo fix: which of the two values was meant is unknown.\n",
};

pub const CC005: RuleMeta = RuleMeta {
    code: "CC005",
    name: "removed-api-version",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A StatefulSet or PVC under an API version that the API server no longer serves",
    docs: "## What it does\nFinds StatefulSets written as `apps/v1beta1` or `apps/v1beta2` (removed in Kubernetes 1.16) and other removed group versions of the kinds claimcheck checks.\n\n## Why is this bad?\nThe API server answers `no matches for kind \"StatefulSet\" in version \"apps/v1beta2\"`: nothing is created.\n\n## Example\n```yaml\napiVersion: apps/v1beta2\nkind: StatefulSet\n```\nUse `apps/v1`, which also requires `spec.selector`.\n\n## Fix safety\nNo automatic fix yet: moving to `apps/v1` may need a selector that must match the pod labels.\n",
};

pub const CC006: RuleMeta = RuleMeta {
    code: "CC006",
    name: "missing-identity",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A document without apiVersion, kind, or a name",
    docs: "## What it does\nReports documents that are not Kubernetes objects: no `apiVersion`, no `kind`, neither `metadata.name` nor `metadata.generateName`, or a document that is a list or a scalar rather than a mapping.\n\n## Why is this bad?\nkubectl refuses objects without `apiVersion` or `kind`, and the API server refuses objects without a name (`name or generateName is required`).\n\n## Example\n```yaml\napiVersion: v1\nkind: PersistentVolumeClaim\nspec: {}\n```\n\n## Fix safety\nNo fix: names and kinds cannot be guessed.\n",
};

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
