//! Input rules: syntax, duplicate keys, what each document is.

use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{ParseIssueKind, ParsedStream, Span};

mod duplicate_key;
mod missing_identity;
mod parse_error;
mod removed_api_version;

pub use duplicate_key::CC002;
pub use missing_identity::CC006;
pub use parse_error::CC001;
pub use removed_api_version::CC005;

pub const RULES: &[RuleMeta] = &[CC001, CC002, CC005, CC006];

/// Problems found while reading the text.
pub fn check_stream(ctx: &mut Ctx, file: usize, _text: &str, stream: &ParsedStream) {
    for issue in &stream.issues {
        let rule = match issue.kind {
            ParseIssueKind::DuplicateKey { .. } => &CC002,
            _ => &CC001,
        };
        // past the cap a finding is only counted (or, for an update's objects, only its
        // place kept): a repeated key's pointer and message are made only when wanted
        let details = ctx.wants_details_in(file, rule);
        let pointer = if details || ctx.keeps_every_place() {
            issue.pointer()
        } else {
            String::new()
        };
        let message = match &issue.kind {
            _ if !details => String::new(),
            ParseIssueKind::DuplicateKey { key, .. } => format!(
                "key `{key}` appears twice in this mapping; strict decoding rejects the object, and tools that accept it keep only the last value"
            ),
            _ => issue.message().into_owned(),
        };
        ctx.report_in_document(file, rule, issue.document, pointer, issue.span, message);
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

/// Versions no supported Kubernetes serves (apps/v1beta1, apps/v1beta2 and extensions/v1beta1
/// workloads since 1.16, batch/v1beta1 CronJobs since 1.25, batch/v2alpha1 long before).
const REMOVED: &[(&str, &str, &str)] = &[
    ("apps/v1beta1", "StatefulSet", "apps/v1"),
    ("apps/v1beta2", "StatefulSet", "apps/v1"),
    ("extensions/v1beta1", "StatefulSet", "apps/v1"),
    ("apps/v1beta1", "Deployment", "apps/v1"),
    ("apps/v1beta2", "Deployment", "apps/v1"),
    ("extensions/v1beta1", "Deployment", "apps/v1"),
    ("apps/v1beta2", "ReplicaSet", "apps/v1"),
    ("extensions/v1beta1", "ReplicaSet", "apps/v1"),
    ("apps/v1beta2", "DaemonSet", "apps/v1"),
    ("extensions/v1beta1", "DaemonSet", "apps/v1"),
    ("batch/v1beta1", "CronJob", "batch/v1"),
    ("batch/v2alpha1", "CronJob", "batch/v1"),
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
                if *now == "apps/v1" {
                    format!("`{api}` {kind} is no longer served by the API server; use `{now}` (it requires `spec.selector` matching the pod template labels)")
                } else {
                    format!("`{api}` {kind} is no longer served by the API server; use `{now}`")
                },
                None,
            );
        }
    }
}
