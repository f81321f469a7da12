//! Schema rules: unknown fields, wrong types and undecodable quantities — the problems that
//! make the API server refuse to decode the object at all.

use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::fields::{is_quantity_path, PVC_SPEC_FIELDS};
use crate::model::quantity;
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::schema::{self as sch, SchemaIssueKind, SchemaKind};
use crate::source::{Node, Style, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks every field of StatefulSets and PersistentVolumeClaims against the schema of the Kubernetes API types and reports fields that do not exist, with a "did you mean" for near misses such as `mountpath`, `acessModes` or `volumeClaimTemplate`.
    ///
    /// ## Why is this bad?
    /// kubectl's default strict field validation rejects the whole object (`unknown field`). With validation turned off the field is silently dropped: a misspelt `acessModes` leaves the claim without access modes and a misspelt `volumeMounts` leaves the container without its volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data
    /// ```
    /// Use `mountPath`.
    ///
    /// ## Fix safety
    /// The rename to the suggested field is unsafe: the suggestion is a guess from spelling, and it is only offered when exactly one known field is close and it is not already set.
    pub CC003 {
        name: "unknown-field",
        severity: Error,
        fix: Unsafe,
        summary: "A field that the StatefulSet or PersistentVolumeClaim schema does not define",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports values whose JSON type differs from the field's type: `replicas: "3"`, `accessModes: ReadWriteOnce` (a string where a list is expected), `volumeClaimTemplates` written as a map.
    ///
    /// ## Why is this bad?
    /// The API server cannot decode the object (`cannot unmarshal string into Go struct field ... of type int32`) and rejects it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: "3"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe coercions are offered where no information is lost: a quoted integer becomes a number, a single string becomes a one-item list, a number becomes the string that was written.
    pub CC004 {
        name: "wrong-type",
        severity: Error,
        fix: Unsafe,
        summary: "A value of the wrong JSON type for its field",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every resource quantity (`resources.requests`, `resources.limits`, `emptyDir.sizeLimit`, `overhead`) against the Kubernetes quantity syntax: a number with an optional binary (`Ki`, `Mi`, `Gi`, …), decimal (`k`, `M`, `G`, …) or exponent (`e3`) suffix.
    ///
    /// ## Why is this bad?
    /// A quantity that does not parse makes the whole object undecodable: the API server answers `quantities must match the regular expression` and stores nothing. Common slips are `1GB`, `1gi`, `10 Gi` and `5e-1Gi`.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 1GB
    /// ```
    /// Write `1G` (10^9 bytes) or, more likely meant, `1Gi` (2^30 bytes).
    ///
    /// ## Fix safety
    /// The suggested spelling is unsafe: `1GB` becomes `1G`, which keeps the decimal meaning, but the author may have meant `1Gi`.
    pub CC007 {
        name: "invalid-quantity",
        severity: Error,
        fix: Unsafe,
        summary: "A resource quantity that the API server cannot parse",
    }
}

pub const RULES: &[RuleMeta] = &[CC003, CC004, CC007];

fn is_claim_template_pointer(p: &str) -> bool {
    p.strip_prefix("/spec/volumeClaimTemplates/")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

pub fn check(ctx: &mut Ctx, obj: &Object) {
    let kind = if obj.is_statefulset() {
        SchemaKind::StatefulSet
    } else if obj.is_pvc() {
        SchemaKind::PersistentVolumeClaim
    } else {
        return;
    };
    let json = obj.node.to_json();
    for issue in sch::validate(kind, &json) {
        match issue.kind {
            SchemaIssueKind::UnknownField {
                field,
                parent,
                suggestion,
            } => {
                if kind == SchemaKind::StatefulSet
                    && is_claim_template_pointer(&parent)
                    && PVC_SPEC_FIELDS.contains(&field.as_str())
                {
                    continue; // CC201 explains this one
                }
                let where_ = describe(&parent);
                let parent_node = obj.node.pointer(&parent);
                let already = |s: &str| parent_node.and_then(|p| p.get(s)).is_some();
                let mut message = format!("unknown field `{field}` in {where_}");
                let mut fix_ = None;
                if let Some(s) = suggestion.as_deref() {
                    message.push_str(&format!("; did you mean `{s}`?"));
                    if !already(s) {
                        fix_ = rename_fix(obj, parent_node, &parent, &field, s);
                    } else {
                        message.push_str(&format!(" (`{s}` is also set: remove one)"));
                    }
                }
                message.push_str(" Strict field validation rejects the object.");
                ctx.report(obj, &CC003, &issue.pointer, message, fix_);
            }
            SchemaIssueKind::WrongType { expected, found } => {
                let node = obj.node.pointer(&issue.pointer);
                let exp = expected.join(" or ");
                let field = issue.pointer.rsplit('/').next().unwrap_or("").to_string();
                let message = format!(
                    "`{field}` must be {} {exp}, not {} {found}: the API server cannot decode the object",
                    article(&exp),
                    article(found)
                );
                let fix_ = node.and_then(|n| coerce_fix(obj, n, &issue.pointer, &expected));
                ctx.report(obj, &CC004, &issue.pointer, message, fix_);
            }
            SchemaIssueKind::Other { message } => {
                ctx.report(obj, &CC004, &issue.pointer, message, None);
            }
        }
    }
    check_quantities(ctx, obj, obj.node, String::new(), 0);
}

fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
}

/// "claim template 0", "container 1 of the pod template", … for messages.
pub fn describe(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the object".into();
    }
    format!("`{}`", pointer.trim_start_matches('/').replace('/', "."))
}

fn rename_fix(
    obj: &Object,
    parent: Option<&Node>,
    parent_ptr: &str,
    from: &str,
    to: &str,
) -> Option<Fix> {
    let entry = parent?.entry(from)?;
    let edit = fix::rename_key(obj.text, entry, to)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Rename `{from}` to `{to}`"),
        edits: vec![edit],
        patch: vec![PatchOp::Move {
            from: obj.ptr(&crate::rule::join(parent_ptr, from)),
            path: obj.ptr(&crate::rule::join(parent_ptr, to)),
        }],
    })
}

fn coerce_fix(obj: &Object, node: &Node, ptr: &str, expected: &[String]) -> Option<Fix> {
    let want = |t: &str| expected.iter().any(|e| e == t);
    let raw = obj.text.get(node.span.start..node.span.end)?;
    let (replacement, value) = match &node.value {
        Value::Str(s) if want("integer") => {
            let i: i64 = s.trim().parse().ok()?;
            (i.to_string(), serde_json::Value::from(i))
        }
        Value::Str(s) if want("boolean") && (s == "true" || s == "false") => {
            (s.clone(), serde_json::Value::Bool(s == "true"))
        }
        Value::Int(_) | Value::Float(_) | Value::Bool(_)
            if want("string") && node.style == Style::Plain =>
        {
            (
                fix::json_string(raw),
                serde_json::Value::String(raw.to_string()),
            )
        }
        Value::Str(s)
            if want("array")
                && matches!(
                    node.style,
                    Style::Plain | Style::DoubleQuoted | Style::SingleQuoted
                ) =>
        {
            (format!("[{raw}]"), serde_json::json!([s]))
        }
        _ => return None,
    };
    if node.copied {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Write `{raw}` as `{replacement}`"),
        edits: vec![crate::diagnostic::TextEdit::replace(node.span, replacement)],
        patch: vec![PatchOp::Replace {
            path: obj.ptr(ptr),
            value,
        }],
    })
}

fn check_quantities(ctx: &mut Ctx, obj: &Object, node: &Node, path: String, depth: usize) {
    if depth > 64 {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let p = crate::rule::join(&path, &e.key);
                if let Value::Str(s) = &e.value.value {
                    if is_quantity_path(&p) {
                        check_quantity(ctx, obj, &e.value, &p, s);
                    }
                }
                check_quantities(ctx, obj, &e.value, p, depth + 1);
            }
        }
        Value::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                check_quantities(ctx, obj, it, format!("{path}/{i}"), depth + 1);
            }
        }
        _ => {}
    }
}

fn check_quantity(ctx: &mut Ctx, obj: &Object, node: &Node, ptr: &str, s: &str) {
    let Err(err) = quantity::Quantity::parse(s) else {
        return;
    };
    let why = match err {
        quantity::QuantityError::Empty => "it is empty".to_string(),
        quantity::QuantityError::Syntax(m) => m,
    };
    let mut message = format!(
        "`{s}` is not a valid quantity ({why}); the API server cannot decode the {}",
        if obj.kind.is_empty() {
            "object"
        } else {
            obj.kind
        }
    );
    let mut fix_ = None;
    if let Some(sugg) = quantity::suggest_fix(s) {
        let binary = sugg.ends_with('i');
        message.push_str(&format!("; did you mean `{sugg}`?"));
        if !binary && s.to_ascii_uppercase().ends_with('B') {
            message.push_str(&format!(
                " (`{sugg}` is decimal, 10^n bytes; `{}i` would be binary)",
                sugg
            ));
        }
        if let Some(edit) = fix::replace_string(obj.text, node, &sugg) {
            fix_ = Some(Fix {
                applicability: Applicability::Unsafe,
                title: format!("Write `{sugg}`"),
                edits: vec![edit],
                patch: vec![PatchOp::Replace {
                    path: obj.ptr(ptr),
                    value: serde_json::Value::String(sugg.clone()),
                }],
            });
        }
    }
    ctx.report(obj, &CC007, ptr, message, fix_);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_paths() {
        assert!(is_quantity_path("/spec/resources/requests/storage"));
        assert!(is_quantity_path(
            "/spec/template/spec/containers/0/resources/limits/cpu"
        ));
        assert!(is_quantity_path(
            "/spec/template/spec/volumes/0/emptyDir/sizeLimit"
        ));
        assert!(!is_quantity_path("/spec/resources/claims"));
        assert!(!is_quantity_path("/metadata/labels/requests"));
    }
}
