//! Claim templates: the shape of `volumeClaimTemplates` entries.

use std::collections::BTreeSet;

use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::volumes::{unmatched_mounts, volume_names};
use crate::model::workload::{claim_templates, template_consequence, template_name};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::Node;

mod template_is_bare_spec;
mod template_name_missing;

use template_is_bare_spec::check_bare_spec;
pub use template_is_bare_spec::CC201;
use template_name_missing::check_unnamed;
pub use template_name_missing::CC202;

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
        let misplaced: Vec<usize> = tpl
            .as_map()
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter(|(_, e)| PVC_SPEC_FIELDS.contains(&e.key.as_str()))
            .map(|(k, _)| k)
            .collect();
        if !misplaced.is_empty() {
            check_bare_spec(
                ctx,
                obj,
                (i, tpl),
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
