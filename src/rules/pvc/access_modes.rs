//! The access-mode walk of a claim spec: reports CC205 (missing), CC206 (invalid), CC207 (duplicate) and CC208 (ReadWriteOncePod combined), each entry once.

use super::{finish, Claim, ACCESS_MODES, CC205, CC206, CC207, CC208, RWOP};
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::names;
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Span, Style, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Access modes (CC205–CC208)

/// What an invalid access mode most likely meant, and whether that is certain.
pub(super) fn suggest_access_mode(s: &str) -> Option<(&'static str, bool)> {
    let t = s.trim();
    if let Some(m) = ACCESS_MODES.iter().find(|m| m.eq_ignore_ascii_case(t)) {
        return Some((m, true));
    }
    let short = match t.to_ascii_lowercase().as_str() {
        "rwo" => Some("ReadWriteOnce"),
        "rox" | "rom" | "ro" => Some("ReadOnlyMany"),
        "rwx" | "rwm" => Some("ReadWriteMany"),
        "rwop" => Some(RWOP),
        _ => None,
    };
    if let Some(m) = short {
        return Some((m, false));
    }
    let squeezed: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .collect();
    if let Some(m) = ACCESS_MODES
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&squeezed))
    {
        return Some((m, false));
    }
    names::did_you_mean(t, ACCESS_MODES.iter().copied()).map(|m| (m, false))
}

/// Modes written as one string: `ReadWriteOnce,ReadOnlyMany`.
pub(super) fn split_access_modes(s: &str) -> Option<Vec<&'static str>> {
    if !s.contains(',') {
        return None;
    }
    s.split(',')
        .map(|p| {
            let p = p.trim();
            ACCESS_MODES.iter().copied().find(|m| *m == p).or_else(|| {
                suggest_access_mode(p)
                    .filter(|(_, safe)| *safe)
                    .map(|(m, _)| m)
            })
        })
        .collect()
}

/// Writes a string in the quoting style of `like` (a scalar of the same sequence).
pub(super) fn scalar_like(like: &Node, s: &str) -> String {
    match like.style {
        Style::DoubleQuoted => fix::json_string(s),
        Style::SingleQuoted if !s.contains('\'') => format!("'{s}'"),
        _ => fix::yaml_string(s),
    }
}

/// Removes item `index` of a sequence with the whole line it takes (block) or with its
/// separator (flow). `None` when that cannot be done cleanly.
pub(super) fn remove_item(text: &str, seq: &Node, index: usize) -> Option<TextEdit> {
    if seq.copied {
        return None;
    }
    let items = seq.as_seq()?;
    let item = items.get(index)?;
    if item.copied || items.len() < 2 {
        return None;
    }
    match seq.style {
        Style::Flow => {
            if let Some(next) = items.get(index + 1) {
                Some(TextEdit::delete(Span::new(
                    item.span.start,
                    next.span.start,
                )))
            } else {
                let prev = items.get(index.checked_sub(1)?)?;
                Some(TextEdit::delete(Span::new(prev.span.end, item.span.end)))
            }
        }
        Style::Block => {
            let start = fix::line_start(text, item.span.start);
            let before = text.get(start..item.span.start)?;
            if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n') {
                return None;
            }
            let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
            Some(TextEdit::delete(Span::new(start, end)))
        }
        _ => None,
    }
}

/// One access-mode finding and its fix, before the fixes of one list are reconciled.
pub(super) struct ItemFinding {
    rule: &'static RuleMeta,
    pointer: String,
    message: String,
    fix: Option<Fix>,
    /// The fix adds or removes list items, moving the indices of later items.
    shifts: bool,
}

pub(super) fn check_access_modes(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    let text = obj.text;
    let ptr = c.ptr("/accessModes");
    let node = c.spec.and_then(|s| s.get("accessModes"));
    let items = match node.map(|n| &n.value) {
        None | Some(Value::Null) => None,
        Some(Value::Seq(items)) => Some(items.as_slice()),
        Some(_) => return, // CC004
    };
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        let what = if node.is_some_and(|n| n.as_seq().is_some()) {
            "an empty `accessModes` list"
        } else {
            "no `accessModes`"
        };
        let near = c.misspelt(c.spec, "", "accessModes");
        let message = format!(
            "{} has {what}{}: at least one access mode is required (usually `ReadWriteOnce`). {}.",
            c.label,
            near.as_deref().unwrap_or(""),
            c.consequence
        );
        // With a misspelt field, renaming it (CC003) is the fix; adding one would duplicate it.
        let fix_ = if near.is_some() {
            None
        } else {
            add_access_modes_fix(obj, c, node)
        };
        ctx.report(obj, &CC205, &ptr, message, fix_);
        return;
    };
    let seq = node.unwrap_or(&items[0]);
    let mut findings: Vec<ItemFinding> = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rwop = false;
    let mut others: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let s = match &item.value {
            Value::Str(s) => s.as_str(),
            Value::Null => "",
            _ => continue, // CC004
        };
        let ip = format!("{ptr}/{i}");
        if ACCESS_MODES.contains(&s) {
            if s == RWOP {
                rwop = true;
            } else if !others.contains(&s) {
                others.push(s);
            }
            if let Some(&f) = seen.get(s) {
                let message = format!(
                    "{} lists access mode `{s}` twice (first as item {f}): the repeat has no effect",
                    c.label
                );
                let fix_ = remove_item(text, seq, i).and_then(|edit| {
                    crate::fix::make(
                        &CC207,
                        Applicability::Safe,
                        format!("Remove the repeated `{s}`"),
                        vec![edit],
                        vec![PatchOp::Remove { path: obj.ptr(&ip) }],
                    )
                });
                findings.push(ItemFinding {
                    rule: &CC207,
                    pointer: ip,
                    message,
                    fix: fix_,
                    shifts: true,
                });
            } else {
                seen.insert(s, i);
            }
            continue;
        }
        let shown = if s.is_empty() {
            "an empty access mode".to_string()
        } else {
            format!("access mode `{s}`")
        };
        let mut message = format!("{}: {shown} is not supported", c.label);
        let mut fix_ = None;
        let mut shifts = false;
        if let Some(parts) = split_access_modes(s) {
            message.push_str(&format!(
                ": each mode is its own list item: {}",
                parts
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            fix_ = split_fix(obj, seq, i, item, &ip, &parts);
            shifts = true;
        } else if let Some((m, safe)) = suggest_access_mode(s) {
            let lower = s.trim().to_ascii_lowercase();
            if ["rwo", "rox", "rwx", "rwop"].contains(&lower.as_str()) {
                message.push_str(&format!(
                    " (`{}` is the short form `kubectl get pvc` prints; the API takes `{m}`)",
                    s.trim()
                ));
            } else {
                message.push_str(&format!("; did you mean `{m}`?"));
            }
            fix_ = fix::replace_string(text, item, m).and_then(|edit| {
                crate::fix::make(
                    &CC206,
                    if safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    format!("Write `{m}`"),
                    vec![edit],
                    vec![PatchOp::Replace {
                        path: obj.ptr(&ip),
                        value: serde_json::Value::String(m.into()),
                    }],
                )
            });
        } else {
            message.push_str(
                ": use `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`",
            );
        }
        let message = finish(message, &c.consequence);
        findings.push(ItemFinding {
            rule: &CC206,
            pointer: ip,
            message,
            fix: fix_,
            shifts,
        });
    }
    if rwop && !others.is_empty() {
        let list = others
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "{} combines `ReadWriteOncePod` with {list}: `ReadWriteOncePod` (one pod only) must be the only access mode. {}.",
            c.label, c.consequence
        );
        let fix_ = keep_rwop_fix(obj, seq, items, &ptr);
        ctx.report(obj, &CC208, &ptr, message, fix_);
    }
    // Fixes of one round are applied together and their patches in order: after a fix that
    // adds or removes an item, the pointers of later items are stale. Keep later fixes for
    // the next round.
    let mut shifted = false;
    for f in findings {
        let fix_ = if shifted { None } else { f.fix };
        if f.shifts && fix_.is_some() {
            shifted = true;
        }
        ctx.report(obj, f.rule, &f.pointer, f.message, fix_);
    }
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
                    let key_end = spec.entry("accessModes")?.key_span.end;
                    let colon = key_end + text.get(key_end..)?.find(':')?;
                    if text.get(key_end..colon)?.trim() != "" {
                        return None;
                    }
                    TextEdit::insert(colon + 1, format!(" {value}"))
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

/// Splits `ReadWriteOnce,ReadOnlyMany` into one item per mode.
pub(super) fn split_fix(
    obj: &Object,
    seq: &Node,
    i: usize,
    item: &Node,
    ip: &str,
    parts: &[&str],
) -> Option<Fix> {
    let text = obj.text;
    if seq.copied || item.copied || parts.is_empty() {
        return None;
    }
    let rendered: Vec<String> = parts.iter().map(|p| scalar_like(item, p)).collect();
    let replacement = match seq.style {
        Style::Flow => rendered.join(", "),
        Style::Block => {
            let start = fix::line_start(text, item.span.start);
            let before = text.get(start..item.span.start)?;
            if before.trim() != "-" {
                return None;
            }
            let dash = " ".repeat(before.len() - before.trim_start().len());
            let nl = fix::newline(text);
            rendered.join(&format!("{nl}{dash}- "))
        }
        _ => return None,
    };
    let parent = ip.rsplit_once('/').map(|(p, _)| p)?;
    let mut patch = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let value = serde_json::Value::String((*p).into());
        if k == 0 {
            patch.push(PatchOp::Replace {
                path: obj.ptr(ip),
                value,
            });
        } else {
            patch.push(PatchOp::Add {
                path: obj.ptr(&format!("{parent}/{}", i + k)),
                value,
            });
        }
    }
    crate::fix::make(
        &CC206,
        Applicability::Unsafe,
        format!("Write the modes as separate items: {}", parts.join(", ")),
        vec![TextEdit::replace(item.span, replacement)],
        patch,
    )
}

/// Keeps only `ReadWriteOncePod` in the list.
pub(super) fn keep_rwop_fix(obj: &Object, seq: &Node, items: &[Node], ptr: &str) -> Option<Fix> {
    let text = obj.text;
    if seq.copied || items.iter().any(|n| n.copied) {
        return None;
    }
    let keep = items.iter().position(|n| n.as_str() == Some(RWOP))?;
    let edits = match seq.style {
        Style::Flow => {
            let kept = text.get(items.get(keep)?.span.start..items.get(keep)?.span.end)?;
            vec![TextEdit::replace(seq.span, format!("[{kept}]"))]
        }
        Style::Block => {
            let mut edits = Vec::new();
            for k in (0..items.len()).filter(|k| *k != keep) {
                // line removals, computed on the original text
                let item = items.get(k)?;
                let start = fix::line_start(text, item.span.start);
                let before = text.get(start..item.span.start)?;
                if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n')
                {
                    return None;
                }
                let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
                edits.push(TextEdit::delete(Span::new(start, end)));
            }
            edits
        }
        _ => return None,
    };
    crate::fix::make(
        &CC208,
        Applicability::Unsafe,
        "Keep only `ReadWriteOncePod`",
        edits,
        vec![PatchOp::Replace {
            path: obj.ptr(ptr),
            value: serde_json::json!([RWOP]),
        }],
    )
}
