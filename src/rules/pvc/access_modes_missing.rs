//! CC205 access-modes-missing: A claim spec without access modes.

use super::Claim;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style, Value};

crate::declare_rule! {
    /// ## What it does
    /// Reports claim specs (of claim templates and standalone PersistentVolumeClaims) whose `accessModes` is missing, `null` or an empty list. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation requires at least one access mode (`at least 1 access mode is required`). The API server rejects a standalone claim; for a claim template the StatefulSet is accepted (before Kubernetes 1.34) and then every claim creation fails, so no pod starts.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   resources:
    ///     requests:
    ///       storage: 1Gi
    /// ```
    /// Add `accessModes: [ReadWriteOnce]`.
    ///
    /// ## Fix safety
    /// Adding `[ReadWriteOnce]` is unsafe: it is the most common mode, but a shared volume needs `ReadWriteMany` or `ReadOnlyMany`.
    pub CC205 {
        name: "access-modes-missing",
        severity: Error,
        fix: Unsafe,
        summary: "A claim spec without access modes",
    }
}

/// CC205: `node` (the claim spec's `accessModes`, at `ptr`) is missing, `null` or empty.
pub(super) fn report_missing(
    ctx: &mut Ctx,
    obj: &Object,
    c: &Claim,
    node: Option<&Node>,
    ptr: &str,
) {
    let what = if node.is_some_and(|n| n.as_seq().is_some()) {
        "an empty `accessModes` list"
    } else {
        "no `accessModes`"
    };
    let near = c.misspelt(c.spec, "", "accessModes");
    let message = format!(
        "{} has {what}{}: at least one access mode is required (usually `ReadWriteOnce`). {}.",
        c.label(),
        near.as_deref().unwrap_or(""),
        c.consequence
    );
    // With a misspelt field, renaming it (CC003) is the fix; adding one would duplicate it.
    let fix_ = if near.is_some() {
        None
    } else {
        add_access_modes_fix(obj, c, node)
    };
    ctx.report(obj, &CC205, ptr, message, fix_);
}

/// `[ReadWriteOnce]` where access modes are missing or empty.
pub(super) fn add_access_modes_fix(obj: &Object, c: &Claim, node: Option<&Node>) -> Option<Fix> {
    let text = obj.text;
    let spec = c.spec?;
    let json = fix::is_json_style(text, spec) || text.trim_start().starts_with('{');
    let value = if json {
        "[\"ReadWriteOnce\"]"
    } else {
        "[ReadWriteOnce]"
    };
    let path = obj.ptr(&c.ptr("/accessModes"));
    let (edit, op) = match node {
        // `{}` in a JSON document: the key must be quoted too
        None if json && spec.style == Style::Flow && spec.as_map()?.is_empty() => (
            TextEdit::insert(spec.span.start + 1, format!("\"accessModes\": {value}")),
            PatchOp::Add {
                path,
                value: serde_json::json!(["ReadWriteOnce"]),
            },
        ),
        None => (
            fix::add_entry(text, spec, "accessModes", value)?,
            PatchOp::Add {
                path,
                value: serde_json::json!(["ReadWriteOnce"]),
            },
        ),
        Some(n) if n.copied => return None,
        Some(n) => {
            let edit = match (&n.value, n.style) {
                (Value::Null, Style::Implicit) => {
                    // `accessModes:` with nothing after it: write the value after the colon
                    let at = fix::after_key_colon(text, spec.entry("accessModes")?)?;
                    TextEdit::insert(at, format!(" {value}"))
                }
                (Value::Null, Style::Plain) | (Value::Seq(_), Style::Flow) => {
                    TextEdit::replace(n.span, value)
                }
                _ => return None,
            };
            (
                edit,
                PatchOp::Replace {
                    path,
                    value: serde_json::json!(["ReadWriteOnce"]),
                },
            )
        }
    };
    crate::fix::make(
        &CC205,
        Applicability::Unsafe,
        "Add `accessModes: [ReadWriteOnce]`",
        vec![edit],
        vec![op],
    )
}
