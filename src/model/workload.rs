//! Views of a workload shared by several rules: its claim templates, its pod spec and
//! containers, and what a template problem means in a given Kubernetes version.

use crate::options::KubeVersion;
use crate::source::Node;

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
