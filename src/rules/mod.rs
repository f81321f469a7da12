//! The rules, one module per family. Each module declares its rules' metadata in `RULES`
//! (the registry reads them from there) and checks objects in `check`.

use crate::engine::{Bundle, Ctx, KubeVersion, Object};
use crate::registry::RuleMeta;
use crate::source::Node;

pub mod bundle;
pub mod claims;
pub mod input;
pub mod metadata;
pub mod mounts;
pub mod pod;
pub mod pvc;
pub mod schema;
pub mod statefulset;
pub mod updates;

/// Every family's rule list; the registry flattens it.
pub static FAMILIES: &[&[RuleMeta]] = &[
    input::RULES,
    metadata::RULES,
    schema::RULES,
    statefulset::RULES,
    pod::RULES,
    claims::RULES,
    pvc::RULES,
    mounts::RULES,
    bundle::RULES,
    updates::RULES,
];

/// Rules that look at one object at a time.
pub fn check_object(ctx: &mut Ctx, obj: &Object, bundle: &Bundle) {
    input::check_object(ctx, obj);
    metadata::check(ctx, obj);
    schema::check(ctx, obj);
    statefulset::check(ctx, obj);
    pod::check(ctx, obj);
    claims::check(ctx, obj);
    pvc::check(ctx, obj);
    mounts::check(ctx, obj, bundle);
}

/// Rules that look across the objects of the input.
pub fn check_bundle(ctx: &mut Ctx, bundle: &Bundle) {
    bundle::check(ctx, bundle);
}

/// What a pod- or claim-template problem means in the chosen Kubernetes version.
pub fn template_consequence(v: KubeVersion, what: &str) -> String {
    if v.validates_templates_at_submit() {
        format!("Kubernetes {v} rejects the StatefulSet")
    } else {
        format!(
            "Kubernetes {v} accepts the StatefulSet, then every {what} creation fails (FailedCreate events)"
        )
    }
}

/// The claim templates of a StatefulSet, with their indices.
pub fn claim_templates(sts: &Node) -> Vec<(usize, &Node)> {
    sts.path(&["spec", "volumeClaimTemplates"])
        .and_then(Node::as_seq)
        .map(|s| s.iter().enumerate().collect())
        .unwrap_or_default()
}

/// The name of a claim template, when it has a non-empty one.
pub fn template_name(tpl: &Node) -> Option<&str> {
    tpl.str_at(&["metadata", "name"]).filter(|s| !s.is_empty())
}

/// Every container of a pod spec (containers, initContainers, ephemeralContainers) with its
/// pointer relative to the pod spec, e.g. `/containers/0`.
pub fn containers(pod_spec: &Node) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        if let Some(items) = pod_spec.get(list).and_then(Node::as_seq) {
            for (i, c) in items.iter().enumerate() {
                out.push((format!("/{list}/{i}"), c));
            }
        }
    }
    out
}

/// A container's display name for messages.
pub fn container_label(c: &Node, ptr: &str) -> String {
    match c.str_at(&["name"]) {
        Some(n) if !n.is_empty() => format!("container `{n}`"),
        _ => format!("the container at {ptr}"),
    }
}
