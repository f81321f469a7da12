//! Claim templates: the shape of `volumeClaimTemplates` entries.

use std::collections::BTreeSet;

use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::volumes::{unmatched_mounts, volume_names};
use crate::model::workload::{claim_templates, template_consequence, template_name};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style};

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates whose top level holds fields of a PVC *spec* (`accessModes`, `resources`, `storageClassName`, …) instead of a PVC object with `metadata` and `spec`. This is what you get by passing `pvc.spec` where a PVC is expected, e.g. `volumeClaimTemplates: [pvc.spec]` in Pulumi or CDK8s.
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
    /// Moving the fields under `spec:` keeps their meaning. The fix is safe when the template already has a name, or when the name follows from the pod template: exactly one volumeMount matches nothing and exactly one template is unnamed. Otherwise the move is offered as unsafe and the name is left for you.
    pub CC201 {
        name: "template-is-bare-spec",
        severity: Error,
        fix: Sometimes,
        summary: "A claim template holds PVC spec fields at its top level",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates with no `metadata.name` (or an empty one), including `null` entries in the list.
    ///
    /// ## Why is this bad?
    /// The claim name is `<template>-<statefulset>-<ordinal>`; with no template name it starts with a dash, which is not a valid name, so the controller cannot create the claim. The pod volume for the template has no name either, so no volumeMount can use it.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - spec:
    ///       accessModes: [ReadWriteOnce]
    /// ```
    ///
    /// ## Fix safety
    /// Adding the name is safe when it follows from the pod template (exactly one volumeMount matches nothing and exactly one template is unnamed); otherwise no fix is offered.
    pub CC202 {
        name: "template-name-missing",
        severity: Error,
        fix: Sometimes,
        summary: "A claim template without metadata.name",
    }
}

pub const RULES: &[RuleMeta] = &[CC201, CC202];

/// The name an unnamed template must have: the single name that mounts use but nothing provides.
fn derived_name(sts: &Node) -> Option<String> {
    let vols = volume_names(sts);
    if vols.unnamed_templates.len() != 1 {
        return None;
    }
    let names: BTreeSet<&str> = unmatched_mounts(sts, &vols)
        .iter()
        .map(|u| u.name)
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() == 1 && vols.broken.is_empty() {
        let n = names.into_iter().next()?;
        if crate::model::names::dns1123_label(n).is_empty() {
            return Some(n.to_string());
        }
    }
    None
}

pub fn check(ctx: &mut Ctx, obj: &Object) {
    if !obj.is_statefulset() {
        return;
    }
    let sts = obj.node;
    let templates = claim_templates(sts);
    if templates.is_empty() {
        return;
    }
    let derived = derived_name(sts);
    let consequence = template_consequence(ctx.options.kubernetes_version, "claim and pod");
    for (i, tpl) in templates {
        let ptr = format!("/spec/volumeClaimTemplates/{i}");
        let misplaced: Vec<usize> = tpl
            .as_map()
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter(|(_, e)| PVC_SPEC_FIELDS.contains(&e.key.as_str()))
            .map(|(k, _)| k)
            .collect();
        let name = template_name(tpl);
        if !misplaced.is_empty() {
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
                "claim template {i} {what}: {} {verb} under `spec:`",
                fields.join(", ")
            );
            if name.is_none() {
                message.push_str(" and the template has no `metadata.name`");
            }
            message.push_str(&format!(
                ". Strict decoding rejects these fields; without it they are dropped and {consequence}."
            ));
            let name_to_add = if name.is_none() {
                derived.as_deref()
            } else {
                None
            };
            if let Some(n) = name_to_add {
                message.push_str(&format!(
                    " The pod template mounts `{n}`, which nothing else provides: that is this template's name."
                ));
            }
            let safe = name.is_some() || name_to_add.is_some();
            let fix_ = wrap_fix(obj, tpl, &ptr, &misplaced, name_to_add, safe);
            ctx.report(obj, &CC201, &ptr, message, fix_);
            continue;
        }
        if name.is_none() {
            let what = if tpl.is_null() {
                format!("claim template {i} is null: it has no name, no access modes and no storage request")
            } else {
                format!("claim template {i} has no `metadata.name`: its claims would be named `-{}-<ordinal>`, which is invalid, and no volumeMount can refer to it", obj.name.unwrap_or("<name>"))
            };
            let mut message = format!("{what}. {consequence}.");
            let fix_ = derived.as_deref().and_then(|n| {
                message.push_str(&format!(
                    " The pod template mounts `{n}`, which nothing else provides."
                ));
                name_fix(obj, tpl, &ptr, n)
            });
            ctx.report(obj, &CC202, &format!("{ptr}/metadata/name"), message, fix_);
        }
    }
}

fn name_patch(obj: &Object, tpl: &Node, ptr: &str, name: &str) -> PatchOp {
    match tpl.get("metadata") {
        Some(m) if m.as_map().is_some() => PatchOp::Add {
            path: obj.ptr(&format!("{ptr}/metadata/name")),
            value: serde_json::Value::String(name.into()),
        },
        _ => PatchOp::Add {
            path: obj.ptr(&format!("{ptr}/metadata")),
            value: serde_json::json!({ "name": name }),
        },
    }
}

/// Adds `metadata.name` to a template.
fn name_fix(obj: &Object, tpl: &Node, ptr: &str, name: &str) -> Option<Fix> {
    let text = obj.text;
    let edit = match tpl.get("metadata") {
        Some(m) if m.as_map().is_some_and(|e| !e.is_empty()) || m.style == Style::Flow => {
            fix::add_entry(text, m, "name", &fix::yaml_string(name))?
        }
        Some(_) => return None,
        None => match tpl.style {
            Style::Block => {
                let first = tpl.as_map()?.first()?;
                let ind = " ".repeat(fix::column(text, first.key_span.start));
                let nl = fix::newline(text);
                TextEdit::insert(
                    first.key_span.start,
                    format!(
                        "metadata:{nl}{ind}  name: {}{nl}{ind}",
                        fix::yaml_string(name)
                    ),
                )
            }
            Style::Flow => {
                let json = fix::is_json_style(text, tpl);
                let v = if json {
                    format!("{{\"name\": {}}}", fix::json_string(name))
                } else {
                    format!("{{name: {}}}", fix::yaml_string(name))
                };
                let key = if json { "\"metadata\"" } else { "metadata" };
                let at = tpl.span.start + 1;
                let sep = if tpl.as_map().is_some_and(|e| !e.is_empty()) {
                    ", "
                } else {
                    ""
                };
                TextEdit::insert(at, format!("{key}: {v}{sep}"))
            }
            _ => return None,
        },
    };
    Some(Fix {
        applicability: Applicability::Safe,
        title: format!("Name the claim template `{name}`"),
        edits: vec![edit],
        patch: vec![name_patch(obj, tpl, ptr, name)],
    })
}

/// Moves the misplaced spec fields under `spec:` (and names the template when `name` is given).
fn wrap_fix(
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
    Some(Fix {
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        title,
        edits,
        patch,
    })
}
