//! CC206 access-mode-invalid: An access mode that Kubernetes does not know.

use super::access_modes::ItemFinding;
use super::{finish, Claim, ACCESS_MODES, RWOP};
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::names;
use crate::patch::PatchOp;
use crate::rule::Object;
use crate::source::{Node, Style};

crate::declare_rule! {
    /// ## What it does
    /// Checks each entry of `accessModes` against the four modes Kubernetes supports: `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` and `ReadWriteOncePod`. It recognises the short forms that `kubectl get pvc` prints (`RWO`, `ROX`, `RWX`, `RWOP`), wrong letter case, stray spaces and several modes written in one string. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation rejects any other value (`Unsupported value`). A standalone claim is refused; for a claim template every claim creation fails.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [RWO]
    /// ```
    /// Write `ReadWriteOnce`.
    ///
    /// ## Fix safety
    /// The fix is safe when only letter case or surrounding spaces differ, since the meaning is certain. Expanding a short form, correcting a typo or splitting `ReadWriteOnce,ReadOnlyMany` into two entries is unsafe: it is the likely intent, not the only one. One fix splits every such entry of a list.
    pub CC206 {
        name: "access-mode-invalid",
        severity: Error,
        fix: Sometimes,
        summary: "An access mode that Kubernetes does not know",
    }
}

/// CC206: the access mode `item` (at `ip`), `s`, is no access mode Kubernetes knows: the
/// finding, with the fix that writes the mode meant (the fix that splits `A,B` into items, for
/// every such item of the list, is [`split_fix`]).
pub(super) fn invalid_mode(
    obj: &Object,
    c: &Claim,
    (item, ip): (&Node, &str),
    s: &str,
) -> ItemFinding {
    let shown = if s.is_empty() {
        "an empty access mode".to_string()
    } else {
        format!("access mode `{s}`")
    };
    let mut message = format!("{}: {shown} is not supported", c.label());
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
        fix_ = fix::replace_string(obj.text, item, m).and_then(|edit| {
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
                    path: obj.ptr(ip),
                    value: serde_json::Value::String(m.into()),
                }],
            )
        });
    } else {
        message.push_str(
            ": use `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`",
        );
    }
    ItemFinding {
        rule: &CC206,
        pointer: ip.to_string(),
        message: finish(message, &c.consequence),
        fix: fix_,
        shifts,
    }
}

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

/// Splits `ReadWriteOnce,ReadOnlyMany` into one item per mode, for each of the items `splits`
/// (`(index, item)`, ascending) of the access modes `seq` at `ptr`: one fix, so that a list
/// with many such items is fixed in one round.
pub(super) fn split_fix(
    obj: &Object,
    seq: &Node,
    ptr: &str,
    splits: &[(usize, &Node)],
) -> Option<Fix> {
    let text = obj.text;
    if seq.copied {
        return None;
    }
    let mut edits = Vec::new();
    let mut patch = Vec::new();
    // how many items are split, and the parts of the (last) one
    let (mut count, mut one) = (0, String::new());
    // from the last item back: each index holds when its operations run
    for k in (0..splits.len()).rev() {
        let Some(&(i, item)) = splits.get(k) else {
            continue;
        };
        let Some(parts) = item
            .as_str()
            .and_then(split_access_modes)
            .filter(|p| !p.is_empty() && !item.copied)
        else {
            continue;
        };
        let rendered: Vec<String> = parts.iter().map(|p| scalar_like(item, p)).collect();
        let replacement = match seq.style {
            Style::Flow => rendered.join(", "),
            Style::Block => {
                let start = fix::line_start(text, item.span.start);
                let Some(before) = text.get(start..item.span.start).filter(|b| b.trim() == "-")
                else {
                    continue;
                };
                let dash = " ".repeat(before.len() - before.trim_start().len());
                let nl = fix::newline(text);
                rendered.join(&format!("{nl}{dash}- "))
            }
            _ => return None,
        };
        for (j, p) in parts.iter().enumerate() {
            let path = obj.ptr(&format!("{ptr}/{}", i + j));
            let value = serde_json::Value::String((*p).into());
            patch.push(if j == 0 {
                PatchOp::Replace { path, value }
            } else {
                PatchOp::Add { path, value }
            });
        }
        edits.push(TextEdit::replace(item.span, replacement));
        count += 1;
        one = parts.join(", ");
    }
    let title = match count {
        0 => return None,
        1 => format!("Write the modes as separate items: {one}"),
        n => format!("Write the modes of {n} items as separate items"),
    };
    crate::fix::make(&CC206, Applicability::Unsafe, title, edits, patch)
}
