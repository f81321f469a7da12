//! CC202 template-name-missing: A claim template without metadata.name.

use super::name_patch;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style};

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

/// CC202: a template without a name.
pub(super) fn check_unnamed(
    ctx: &mut Ctx,
    obj: &Object,
    (i, tpl): (usize, &Node),
    derived: Option<&str>,
    consequence: &str,
) {
    let ptr = format!("/spec/volumeClaimTemplates/{i}");
    let what = if tpl.is_null() {
        format!(
            "claim template {i} is null: it has no name, no access modes and no storage request"
        )
    } else {
        format!("claim template {i} has no `metadata.name`: its claims would be named `-{}-<ordinal>`, which is invalid, and no volumeMount can refer to it", obj.name.unwrap_or("<name>"))
    };
    let mut message = format!("{what}. {consequence}.");
    let fix_ = derived.and_then(|n| {
        message.push_str(&format!(
            " The pod template mounts `{n}`, which nothing else provides."
        ));
        name_fix(obj, tpl, &ptr, n)
    });
    ctx.report(obj, &CC202, &format!("{ptr}/metadata/name"), message, fix_);
}

/// Adds `metadata.name` to a template.
pub(super) fn name_fix(obj: &Object, tpl: &Node, ptr: &str, name: &str) -> Option<Fix> {
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
    crate::fix::make(
        &CC202,
        Applicability::Safe,
        format!("Name the claim template `{name}`"),
        vec![edit],
        vec![name_patch(obj, tpl, ptr, name)],
    )
}
