//! CC204 template-name-duplicate: Two claim templates share a name.

use std::collections::HashMap;

use super::{check_spec, check_template_extras, check_template_name, Claim};
use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::workload::{claim_templates, template_consequence, template_name};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates whose `metadata.name` repeats the name of an earlier template.
    ///
    /// ## Why is this bad?
    /// The API server accepts it, but the controller keeps one claim per template name: the last template with the name wins and the others are silently ignored. A volume you expect (and perhaps size or class you chose) never exists.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata: {name: data}
    ///     spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    ///   - metadata: {name: data}   # meant `logs`?
    ///     spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only you know which name the second template should have.
    pub CC204 {
        name: "template-name-duplicate",
        severity: Warning,
        fix: None,
        summary: "Two claim templates share a name",
    }
}

pub(super) fn check_statefulset(ctx: &mut Ctx, obj: &Object) {
    let sts = obj.node;
    let templates = claim_templates(sts);
    if templates.is_empty() {
        return;
    }
    let v = ctx.options.kubernetes_version;
    let consequence = template_consequence(v, "claim");
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, tpl) in &templates {
        if let Some(n) = template_name(tpl) {
            first.entry(n).or_insert(*i);
            last.insert(n, *i);
        }
    }
    for (i, tpl) in &templates {
        let i = *i;
        if tpl.as_map().is_none() {
            continue; // null entries are CC202's, other types CC004's
        }
        let ptr = format!("/spec/volumeClaimTemplates/{i}");
        let name = template_name(tpl);
        let mut shadowed = false;
        if let Some(n) = name {
            check_template_name(ctx, obj, tpl, i, n, &consequence);
            let (f, l) = (
                first.get(n).copied().unwrap_or(i),
                last.get(n).copied().unwrap_or(i),
            );
            if f != i {
                ctx.report(
                    obj,
                    &CC204,
                    &format!("{ptr}/metadata/name"),
                    format!(
                        "claim template {i} repeats the name `{n}` of claim template {f}: the controller makes one claim per template name from the last template with it (template {l}); the others are silently ignored"
                    ),
                    None,
                );
            }
            // Before 1.34 nothing ever looks at a template that a later one replaces.
            shadowed = l != i && !v.validates_templates_at_submit();
        }
        check_template_extras(ctx, obj, tpl, &ptr, name, i);
        if shadowed {
            continue;
        }
        let spec = tpl.get("spec");
        if spec.is_some_and(|s| s.as_map().is_none() && !s.is_null()) {
            continue; // CC004
        }
        let misplaced = |k: &str| {
            PVC_SPEC_FIELDS.contains(&k)
                && tpl.as_map().is_some_and(|m| m.iter().any(|e| e.key == k))
        };
        let claim = Claim {
            base: format!("{ptr}/spec"),
            spec: spec.filter(|s| !s.is_null()),
            holder: tpl,
            label: match name {
                Some(n) => format!("claim template `{n}`"),
                None => format!("claim template {i}"),
            },
            consequence: consequence.clone(),
            misplaced_access_modes: misplaced("accessModes"),
            misplaced_resources: misplaced("resources"),
        };
        check_spec(ctx, obj, &claim);
    }
}
