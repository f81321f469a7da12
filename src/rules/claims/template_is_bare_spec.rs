//! CC201 template-is-bare-spec: A claim template holds PVC spec fields at its top level.

use super::name_patch;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::workload::template_name;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style};

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates whose top level holds fields of a PVC *spec* (`accessModes`, `resources`, `storageClassName`, …) instead of a PVC object with `metadata` and `spec`. This is what you get by passing `pvc.spec` where a PVC is expected, e.g. `volumeClaimTemplates: [pvc.spec]` in Pulumi or CDK8s. The `ephemeral.volumeClaimTemplate` of a generic ephemeral volume, in the pod template of any workload kind, is checked the same way.
    ///
    /// ## Why is this bad?
    /// Strict field validation rejects the fields as unknown. Without it they are dropped: the template has no name (its claims would be called `-<sts>-0`), no access modes and no storage request, so the controller cannot create the claims and every pod fails; the volumeMount that was meant for it matches nothing.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - accessModes: [ReadWriteOnce]
    ///     resources:
    ///       requests:
    ///         storage: 1Gi
    /// ```
    /// becomes
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///     spec:
    ///       accessModes: [ReadWriteOnce]
    ///       resources:
    ///         requests:
    ///           storage: 1Gi
    /// ```
    ///
    /// ## Fix safety
    /// Moving the fields under `spec:` keeps their meaning. The fix is safe when the template already has a name, or when the name follows from the pod template: exactly one volumeMount matches nothing and exactly one template is unnamed. Otherwise the move is offered as unsafe and the name is left for you. For a generic ephemeral volume the move is always safe: its claim takes no name (it is `<pod>-<volume>`), and the API server rejects the workload until the fields are under `spec:`.
    pub CC201 {
        name: "template-is-bare-spec",
        severity: Error,
        fix: Sometimes,
        summary: "A claim template holds PVC spec fields at its top level",
    }
}

/// A claim template that may be a bare spec: where it is and how messages name it.
pub(super) struct BareTemplate {
    /// Object-relative pointer of the template.
    pub ptr: String,
    /// "claim template 0", "the ephemeral volumeClaimTemplate of pod volume `scratch`".
    pub label: String,
    /// A generic ephemeral volume's template, which takes no name.
    pub ephemeral: bool,
}

/// CC201: a template with PVC spec fields at its top level.
pub(super) fn check_bare_spec(
    ctx: &mut Ctx,
    obj: &Object,
    site: &BareTemplate,
    tpl: &Node,
    misplaced: &[usize],
    derived: Option<&str>,
    consequence: &str,
) {
    let ptr = site.ptr.as_str();
    let name = template_name(tpl);
    let fields: Vec<String> = misplaced
        .iter()
        .filter_map(|k| tpl.as_map().and_then(|m| m.get(*k)))
        .map(|e| format!("`{}`", e.key))
        .collect();
    let what = if tpl.get("metadata").is_some() || tpl.get("spec").is_some() {
        "has PVC spec fields at its top level"
    } else {
        "is a bare PVC spec"
    };
    let verb = if fields.len() == 1 {
        "belongs"
    } else {
        "belong"
    };
    let mut message = format!(
        "{} {what}: {} {verb} under `spec:`",
        site.label,
        fields.join(", ")
    );
    if site.ephemeral {
        message.push_str(&format!(
            ". {consequence}: strict decoding rejects these fields, and without it they are dropped from the claim."
        ));
    } else {
        if name.is_none() {
            message.push_str(" and the template has no `metadata.name`");
        }
        message.push_str(&format!(
            ". Strict decoding rejects these fields; without it they are dropped and {consequence}."
        ));
    }
    let name_to_add = if name.is_none() { derived } else { None };
    if let Some(n) = name_to_add {
        message.push_str(&format!(
                " The pod template mounts `{n}`, which nothing else provides: that is this template's name."
            ));
    }
    // An ephemeral volume's claim takes its name from the pod: nothing to name.
    let safe = site.ephemeral || name.is_some() || name_to_add.is_some();
    let fix_ = wrap_fix(obj, tpl, ptr, misplaced, name_to_add, safe);
    ctx.report(obj, &CC201, ptr, message, fix_);
}

/// Moves the misplaced spec fields under `spec:` (and names the template when `name` is given).
pub(super) fn wrap_fix(
    obj: &Object,
    tpl: &Node,
    ptr: &str,
    misplaced: &[usize],
    name: Option<&str>,
    safe: bool,
) -> Option<Fix> {
    let text = obj.text;
    let entries = tpl.as_map()?;
    if fix::has_duplicate_keys(tpl)
        || tpl.get("spec").is_some_and(fix::has_duplicate_keys)
        || tpl.get("metadata").is_some_and(fix::has_duplicate_keys)
    {
        return None;
    }
    if tpl.copied
        || misplaced
            .iter()
            .any(|k| entries.get(*k).is_none_or(|e| e.merged || e.value.copied))
    {
        return None;
    }
    let has_spec = tpl.get("spec").is_some();
    let has_metadata = tpl.get("metadata").is_some();
    let mut patch = Vec::new();
    if !has_spec {
        patch.push(PatchOp::Add {
            path: obj.ptr(&format!("{ptr}/spec")),
            value: serde_json::json!({}),
        });
    }
    for k in misplaced {
        let key = &entries[*k].key;
        patch.push(PatchOp::Move {
            from: obj.ptr(&crate::rule::join(ptr, key)),
            path: obj.ptr(&crate::rule::join(&format!("{ptr}/spec"), key)),
        });
    }
    let mut edits = Vec::new();
    match tpl.style {
        Style::Block if !has_spec => {
            // contiguous run of misplaced entries
            let (lo, hi) = (*misplaced.first()?, *misplaced.last()?);
            if hi - lo + 1 != misplaced.len() {
                return None;
            }
            let first = &entries[lo];
            let last = &entries[hi];
            let ind = " ".repeat(fix::column(text, first.key_span.start));
            let nl = fix::newline(text);
            let mut prefix = String::new();
            if let Some(n) = name {
                if !has_metadata {
                    prefix.push_str(&format!(
                        "metadata:{nl}{ind}  name: {}{nl}{ind}",
                        fix::yaml_string(n)
                    ));
                }
            }
            prefix.push_str(&format!("spec:{nl}{ind}  "));
            edits.push(TextEdit::insert(first.key_span.start, prefix));
            let end = last.value.span.end.max(last.key_span.end);
            edits.extend(fix::indent_lines(text, first.key_span.start + 1, end, 2));
        }
        Style::Flow if !has_spec => {
            let json = fix::is_json_style(text, tpl);
            let q = |k: &str| {
                if json {
                    fix::json_string(k)
                } else {
                    k.to_string()
                }
            };
            let mut kept = Vec::new();
            let mut moved = Vec::new();
            for (k, e) in entries.iter().enumerate() {
                let t = fix::entry_text(text, e)?;
                if misplaced.contains(&k) {
                    moved.push(t.to_string());
                } else {
                    kept.push(t.to_string());
                }
            }
            if let Some(n) = name {
                if !has_metadata {
                    let v = if json {
                        fix::json_string(n)
                    } else {
                        fix::yaml_string(n)
                    };
                    kept.push(format!("{}: {{{}: {v}}}", q("metadata"), q("name")));
                }
            }
            kept.push(format!("{}: {{{}}}", q("spec"), moved.join(", ")));
            edits.push(TextEdit::replace(
                tpl.span,
                format!("{{{}}}", kept.join(", ")),
            ));
        }
        Style::Block => {
            // spec exists: move each field to the end of the spec mapping
            let spec = tpl.get("spec")?;
            let spec_entries = spec.as_map()?;
            if spec.style != Style::Block || spec_entries.is_empty() {
                return None;
            }
            let target_col = fix::column(text, spec_entries.first()?.key_span.start);
            let mut moved_text = String::new();
            for k in misplaced {
                let e = &entries[*k];
                if spec.get(&e.key).is_some() {
                    return None;
                }
                edits.push(fix::remove_entry(text, tpl, *k)?);
                let start = fix::line_start(text, e.key_span.start);
                let end =
                    fix::line_end(text, e.value.span.end.max(e.key_span.end).saturating_sub(1));
                let col = fix::column(text, e.key_span.start);
                for line in text.get(start..end)?.split_inclusive('\n') {
                    let trimmed = line.trim_start_matches(' ');
                    let lead = line.len() - trimmed.len();
                    if trimmed.trim().is_empty() {
                        moved_text.push_str(line);
                        continue;
                    }
                    let new_lead = (lead + target_col).saturating_sub(col);
                    moved_text.push_str(&" ".repeat(new_lead));
                    moved_text.push_str(trimmed);
                }
                if !moved_text.ends_with('\n') {
                    moved_text.push('\n');
                }
            }
            let last = spec_entries.last()?;
            let at = fix::line_end(
                text,
                last.value.span.end.max(last.key_span.end).saturating_sub(1),
            );
            edits.push(TextEdit::insert(at, moved_text));
        }
        Style::Flow => {
            // spec exists (JSON, flow YAML): rebuild the template with the fields appended to it
            let spec = tpl.get("spec")?;
            if spec.style != Style::Flow || spec.copied {
                return None;
            }
            let mut inner = Vec::new();
            for e in spec.as_map()? {
                inner.push(fix::entry_text(text, e)?);
            }
            for k in misplaced {
                let e = &entries[*k];
                if spec.get(&e.key).is_some() {
                    return None;
                }
                inner.push(fix::entry_text(text, e)?);
            }
            let mut kept = Vec::new();
            for (k, e) in entries.iter().enumerate() {
                if e.key == "spec" {
                    let key = text.get(e.key_span.start..e.key_span.end)?;
                    kept.push(format!("{key}: {{{}}}", inner.join(", ")));
                } else if !misplaced.contains(&k) {
                    kept.push(fix::entry_text(text, e)?.to_string());
                }
            }
            if let (Some(n), false) = (name, has_metadata) {
                let json = fix::is_json_style(text, tpl);
                kept.push(if json {
                    format!("\"metadata\": {{\"name\": {}}}", fix::json_string(n))
                } else {
                    format!("metadata: {{name: {}}}", fix::yaml_string(n))
                });
            }
            edits.push(TextEdit::replace(
                tpl.span,
                format!("{{{}}}", kept.join(", ")),
            ));
        }
        _ => return None,
    }
    if let (Some(n), true) = (name, has_metadata) {
        let m = tpl.get("metadata")?;
        if tpl.style == Style::Flow {
            return None;
        }
        edits.push(fix::add_entry(text, m, "name", &fix::yaml_string(n))?);
    }
    if let Some(n) = name {
        patch.push(name_patch(obj, tpl, ptr, n));
    }
    let title = match name {
        Some(n) => format!("Move the spec fields under `spec:` and name the template `{n}`"),
        None => "Move the spec fields under `spec:`".to_string(),
    };
    crate::fix::make(
        &CC201,
        if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        title,
        edits,
        patch,
    )
}
