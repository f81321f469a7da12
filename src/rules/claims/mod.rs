//! Claim templates: the shape of a StatefulSet's `volumeClaimTemplates` entries and of the
//! `ephemeral.volumeClaimTemplate` of pod volumes in every workload kind.

use std::collections::BTreeSet;

use crate::model::claim_spec::bare_spec_fields;
use crate::model::volumes::{ephemeral_templates, unmatched_mounts, volume_names};
use crate::model::workload::{
    claim_templates, pod_consequence, template_consequence, template_name, WorkloadKind,
};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::Node;

mod template_is_bare_spec;
mod template_name_missing;

pub use template_is_bare_spec::CC201;
use template_is_bare_spec::{check_bare_spec, BareTemplate};
use template_name_missing::check_unnamed;
pub use template_name_missing::CC202;

pub const RULES: &[RuleMeta] = &[CC201, CC202];

/// The name an unnamed template must have: the single name that mounts use but nothing provides.
fn derived_name(sts: &Node, templates: &[(usize, &Node)]) -> Option<String> {
    // the volumes are looked at only when exactly one template has no name
    if templates
        .iter()
        .filter(|(_, t)| template_name(t).is_none())
        .count()
        != 1
    {
        return None;
    }
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
    let Some(kind) = obj.workload() else {
        return;
    };
    check_ephemeral(ctx, obj, kind);
    if kind != WorkloadKind::StatefulSet {
        return;
    }
    let sts = obj.node;
    let templates = claim_templates(sts);
    if templates.is_empty() {
        return;
    }
    let derived = derived_name(sts, &templates);
    let consequence = template_consequence(ctx.options.kubernetes_version, "claim and pod");
    for (i, tpl) in templates {
        let misplaced = bare_spec_fields(tpl);
        if !misplaced.is_empty() {
            let site = BareTemplate {
                ptr: format!("/spec/volumeClaimTemplates/{i}"),
                label: format!("claim template {i}"),
                ephemeral: false,
            };
            check_bare_spec(
                ctx,
                obj,
                &site,
                tpl,
                &misplaced,
                derived.as_deref(),
                &consequence,
            );
            continue;
        }
        if template_name(tpl).is_none() {
            check_unnamed(ctx, obj, (i, tpl), derived.as_deref(), &consequence);
        }
    }
}

/// CC201 for the generic ephemeral volumes of the pod spec: a `volumeClaimTemplate` that is a
/// bare PVC spec. Such a template takes no name (the claim is `<pod>-<volume>`), so moving
/// the fields under `spec:` is always safe.
fn check_ephemeral(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let templates = ephemeral_templates(obj.node, kind);
    if templates.is_empty() {
        return;
    }
    let consequence = pod_consequence(kind, ctx.options.kubernetes_version);
    for e in templates {
        let misplaced = bare_spec_fields(e.template);
        if misplaced.is_empty() {
            continue;
        }
        let label = match e.volume {
            Some(n) => format!("the ephemeral volumeClaimTemplate of pod volume `{n}`"),
            None => format!(
                "the ephemeral volumeClaimTemplate of pod volume {}",
                e.index
            ),
        };
        let site = BareTemplate {
            ptr: e.pointer(kind.pod_spec_pointer()),
            label,
            ephemeral: true,
        };
        check_bare_spec(ctx, obj, &site, e.template, &misplaced, None, &consequence);
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
