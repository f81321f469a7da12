//! Schema rules: unknown fields, wrong types and undecodable quantities — the problems that
//! make the API server refuse to decode the object at all.

use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::quantity;
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::schema::{self as sch, SchemaIssueKind, SchemaKind, Violation};
use crate::source::{Node, Style, Value};

mod invalid_quantity;
mod unknown_field;
mod wrong_type;

use invalid_quantity::check_quantity;
pub use invalid_quantity::CC007;
pub use unknown_field::CC003;
pub use wrong_type::CC004;

pub const RULES: &[RuleMeta] = &[CC003, CC004, CC007];

fn is_claim_template_pointer(p: &str) -> bool {
    p.strip_prefix("/spec/volumeClaimTemplates/")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

pub fn check(ctx: &mut Ctx, obj: &Object) {
    let Some(kind) = SchemaKind::of(obj.api_version, obj.kind) else {
        return;
    };
    sch::validate_node(kind, obj.node, &mut |violation| match violation {
        Violation::UnknownField(u) => unknown_field(ctx, obj, kind, &u),
        Violation::Issue(issue) => match issue.kind {
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
            SchemaIssueKind::UnknownField { .. } => {}
        },
    });
    // (only CC007, whose fixes are unsafe: skipped by a round of safe fixes)
    if ctx.wants_any(std::slice::from_ref(&CC007)) {
        check_quantities(ctx, obj, obj.node, &mut Vec::new(), 0);
    }
}

/// CC003 for one unknown field; past the cap on findings it is only counted (no message, no
/// suggestion, no fix is built).
fn unknown_field(ctx: &mut Ctx, obj: &Object, kind: SchemaKind, u: &sch::UnknownField) {
    let (field, parent) = (u.field, u.parent);
    // a claim template: a StatefulSet's, or a generic ephemeral volume's in any kind
    let template_top = (kind == SchemaKind::StatefulSet && is_claim_template_pointer(parent))
        || parent.ends_with("/ephemeral/volumeClaimTemplate");
    if template_top && PVC_SPEC_FIELDS.contains(&field) {
        return; // CC201 explains this one
    }
    // while fixing, only a fix that is applied matters: a rename is safe only for a
    // snake_case spelling of a known field (below), else unsafe
    let best_fix = || {
        Some(if sch::snake_to_camel(field).is_some() {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        })
    };
    if !ctx.wants_details_if(obj, &CC003, best_fix) {
        // past the cap on findings (or, fixing, no fix to apply): only counted
        ctx.report(obj, &CC003, u.pointer, String::new(), None);
        return;
    }
    let suggestion = u.suggestion();
    // `access_modes`: an SDK's snake_case spelling of a known field. At the top of a
    // claim template it is a PVC spec field: renamed here, moved under `spec:` by CC201.
    let camel = sch::snake_to_camel(field);
    let spec_field_at_top = template_top
        && camel
            .as_deref()
            .is_some_and(|c| PVC_SPEC_FIELDS.contains(&c));
    let suggestion = if spec_field_at_top {
        camel.clone()
    } else {
        suggestion
    };
    let snake = camel.is_some() && suggestion == camel;
    let where_ = describe(parent);
    let parent_node = obj.node.pointer(parent);
    let already = |s: &str| parent_node.and_then(|p| p.get(s)).is_some();
    let mut message = format!("unknown field `{field}` in {where_}");
    let mut fix_ = None;
    if let Some(s) = suggestion.as_deref() {
        message.push_str(&format!("; did you mean `{s}`?"));
        if spec_field_at_top {
            message.push_str(" (a PVC spec field: it belongs under `spec:`)");
        }
        let in_spec = spec_field_at_top
            && parent_node
                .and_then(|p| p.get("spec"))
                .and_then(|sp| sp.get(s))
                .is_some();
        if already(s) || in_spec {
            let set = if in_spec {
                format!("spec.{s}")
            } else {
                s.to_string()
            };
            message.push_str(&format!(" (`{set}` is also set: remove one)"));
        } else {
            let applicability = if snake {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            fix_ = rename_fix(obj, parent_node, parent, field, s, applicability);
        }
    }
    message.push_str(&format!(
        " Strict field validation rejects the {}.",
        kind.name()
    ));
    ctx.report(obj, &CC003, u.pointer, message, fix_);
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
    applicability: Applicability,
) -> Option<Fix> {
    let entry = parent?.entry(from)?;
    let edit = fix::rename_key(obj.text, entry, to)?;
    crate::fix::make(
        &CC003,
        applicability,
        format!("Rename `{from}` to `{to}`"),
        vec![edit],
        vec![PatchOp::Move {
            from: obj.ptr(&crate::rule::join(parent_ptr, from)),
            path: obj.ptr(&crate::rule::join(parent_ptr, to)),
        }],
    )
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
            // a plain scalar holding a flow indicator, a comment mark, a colon or a line
            // break may not read the same inside `[...]`: quote it there
            let item = if node.style == Style::Plain
                && raw.contains(['[', ']', '{', '}', ',', '#', ':', '\n', '\r'])
            {
                fix::json_string(s)
            } else {
                raw.to_string()
            };
            (format!("[{item}]"), serde_json::json!([s]))
        }
        _ => return None,
    };
    if node.copied {
        return None;
    }
    crate::fix::make(
        &CC004,
        Applicability::Unsafe,
        format!("Write `{raw}` as `{replacement}`"),
        vec![crate::diagnostic::TextEdit::replace(node.span, replacement)],
        vec![PatchOp::Replace {
            path: obj.ptr(ptr),
            value,
        }],
    )
}

/// One step of the path from the object to a node: a key or a list index.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks the object for quantities. `path` holds the segments down to `node`; a pointer string
/// is built only for a quantity that does not parse (a clean object builds none).
fn check_quantities<'n>(
    ctx: &mut Ctx,
    obj: &Object,
    node: &'n Node,
    path: &mut Vec<Seg<'n>>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            // whether the members are quantities by the place of this mapping (the same for
            // each: a mapping of 300,000 labels asks once)
            let quantities = is_quantity_map(path);
            for e in entries {
                if let Value::Str(s) = &e.value.value {
                    // (a string holds nothing to walk)
                    if (quantities || e.key == "sizeLimit") && quantity::Quantity::parse(s).is_err()
                    {
                        path.push(Seg::Key(&e.key));
                        let mut ptr = String::new();
                        for seg in path.iter() {
                            ptr.push('/');
                            match seg {
                                Seg::Key(k) => crate::source::push_pointer_segment(&mut ptr, k),
                                Seg::Index(i) => ptr.push_str(&i.to_string()),
                            }
                        }
                        path.pop();
                        check_quantity(ctx, obj, &e.value, &ptr, s);
                    }
                    continue;
                }
                path.push(Seg::Key(&e.key));
                check_quantities(ctx, obj, &e.value, path, depth + 1);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                check_quantities(ctx, obj, it, path, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether every member of the mapping at `path` is a quantity by its place: `.../resources/
/// requests`, `.../resources/limits` or `.../overhead` (with `sizeLimit` anywhere, the
/// places of [`is_quantity_path`]; the last two segments of `path` compared unescaped: the
/// names compared contain no `~` or `/`, so escaping changes nothing).
fn is_quantity_map(path: &[Seg]) -> bool {
    let key = |from_end: usize| match path.len().checked_sub(from_end).map(|i| path[i]) {
        Some(Seg::Key(k)) => Some(k),
        // an index, or the empty segment before the first `/`
        _ => None,
    };
    matches!(
        (key(1), key(2)),
        (Some("requests" | "limits"), Some("resources")) | (Some("overhead"), _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::fields::is_quantity_path;

    /// The segments' answer is the pointer's.
    #[test]
    fn quantity_paths_by_segments() {
        for p in [
            "/spec/resources/requests/storage",
            "/spec/template/spec/containers/0/resources/limits/cpu",
            "/spec/template/spec/volumes/0/emptyDir/sizeLimit",
            "/spec/resources/claims",
            "/metadata/labels/requests",
            "/overhead/cpu",
            "/sizeLimit",
            "/a/overhead/0/x",
            "/resources/requests",
            "/requests/x",
            "/a~1b/resources/requests/x",
        ] {
            let segs: Vec<String> = p.split('/').skip(1).map(|s| s.replace("~1", "/")).collect();
            let path: Vec<Seg> = segs
                .iter()
                .map(|s| match s.parse::<usize>() {
                    Ok(i) => Seg::Index(i),
                    Err(_) => Seg::Key(s),
                })
                .collect();
            let (last, map) = path.split_last().expect("a segment");
            let by_segments = is_quantity_map(map) || matches!(last, Seg::Key("sizeLimit"));
            assert_eq!(by_segments, is_quantity_path(p), "{p}");
        }
    }

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
