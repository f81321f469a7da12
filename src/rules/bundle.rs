//! Rules across the objects of one input: Services, standalone claims.

use crate::diagnostic::Severity;
use crate::engine::{Bundle, Ctx, Object};
use crate::registry::{FixAvailability, RuleMeta};
use crate::rules::{claim_templates, template_name};
use crate::source::Node;

pub const CC401: RuleMeta = RuleMeta {
    code: "CC401",
    name: "service-not-found",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    summary: "serviceName names no Service in the input",
    docs: "## What it does\nChecks that the Service named by a StatefulSet's `serviceName` is among the documents checked together. When the input holds no Service at all the finding is a hint (the Service may live elsewhere); when it holds Services but not this one, a warning.\n\n## Why is this bad?\nThe governing Service gives each pod its stable DNS name (`web-0.nginx.default.svc`). Without it the pods run, but peers cannot find each other by name, which is usually why a StatefulSet was chosen.\n\n## Example\n```yaml\nkind: StatefulSet\nspec:\n  serviceName: example   # no Service `example` anywhere\n```\nAdd a headless Service (`clusterIP: None`) named `example` selecting the pod labels.\n\n## Fix safety\nNo fix yet.\n",
};

pub const CC407: RuleMeta = RuleMeta {
    code: "CC407",
    name: "standalone-claim-unused",
    severity: Severity::Hint,
    fix: FixAvailability::None,
    summary: "A PersistentVolumeClaim in the input that no pod uses",
    docs: "## What it does\nFinds PersistentVolumeClaims that no pod template in the input refers to through `persistentVolumeClaim.claimName`, and says so loudly when the claim is named like a StatefulSet's claim template or mount.\n\n## Why is this bad?\nA claim template `data` makes the controller create `data-<sts>-0`, `data-<sts>-1`, …; it never uses a claim called plain `data`. Creating that claim by hand provisions (and bills) a volume nobody mounts, and usually means the template itself is wrong.\n\n## Example\n```yaml\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n---\nkind: StatefulSet\nspec:\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n```\n\n## Fix safety\nNo fix: deleting a claim could delete data.\n",
};

pub const RULES: &[RuleMeta] = &[CC401, CC407];

const WORKLOADS: &[&str] = &[
    "StatefulSet",
    "Deployment",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Pod",
];

/// The pod spec of a workload object.
pub fn pod_spec<'a>(obj: &Object<'a>) -> Option<&'a Node> {
    match obj.kind {
        "Pod" => obj.node.get("spec"),
        "CronJob" => obj
            .node
            .path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if WORKLOADS.contains(&k) => obj.node.path(&["spec", "template", "spec"]),
        _ => None,
    }
}

fn same_namespace(a: &Object, b: &Object) -> bool {
    let ns = |o: &Object| o.namespace.unwrap_or("").to_string();
    ns(a).is_empty() || ns(b).is_empty() || ns(a) == ns(b)
}

pub fn check(ctx: &mut Ctx, bundle: &Bundle) {
    let services: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| o.kind == "Service")
        .collect();
    for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
        let Some(svc) = sts.node.str_at(&["spec", "serviceName"]) else {
            continue;
        };
        if svc.is_empty() {
            continue;
        }
        let found = services
            .iter()
            .any(|s| s.name == Some(svc) && same_namespace(s, sts));
        if found {
            continue;
        }
        let sev = if services.is_empty() {
            Severity::Hint
        } else {
            Severity::Warning
        };
        let message = if services.is_empty() {
            format!("serviceName `{svc}` names a Service that is not in this input (it holds no Service at all); the pods get stable DNS names only if a headless Service `{svc}` exists")
        } else {
            let names: Vec<String> = services
                .iter()
                .filter_map(|s| s.name)
                .map(|n| format!("`{n}`"))
                .collect();
            format!(
                "serviceName `{svc}` names no Service in this input (it has {}): without the governing headless Service the pods get no stable DNS names",
                names.join(", ")
            )
        };
        let before = ctx.out.len();
        ctx.report(sts, &CC401, "/spec/serviceName", message, None);
        if !ctx.options.rules.severity.contains_key(CC401.code) {
            if let Some((_, d)) = ctx.out.get_mut(before) {
                d.severity = sev;
            }
        }
    }

    // claims used by pods
    let mut used: Vec<(&Object, &str)> = Vec::new();
    for o in &bundle.objects {
        let Some(spec) = pod_spec(o) else { continue };
        for v in spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(c) = v.str_at(&["persistentVolumeClaim", "claimName"]) {
                used.push((o, c));
            }
        }
    }
    for pvc in bundle.objects.iter().filter(|o| o.is_pvc()) {
        let Some(name) = pvc.name else { continue };
        if used
            .iter()
            .any(|(o, c)| *c == name && same_namespace(o, pvc))
        {
            continue;
        }
        let mut message =
            format!("PersistentVolumeClaim `{name}` is not used by any pod in this input");
        for sts in bundle
            .objects
            .iter()
            .filter(|o| o.is_statefulset() && same_namespace(o, pvc))
        {
            let sts_name = sts.name.unwrap_or("<name>");
            let is_template = claim_templates(sts.node)
                .iter()
                .any(|(_, t)| template_name(t) == Some(name));
            let mounted = crate::rules::mounts::unmatched_mounts(
                sts.node,
                &crate::rules::mounts::volume_names(sts.node),
            )
            .iter()
            .any(|u| u.name == name);
            if is_template {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` has a claim template `{name}`, from which the controller creates `{name}-{sts_name}-0`, `{name}-{sts_name}-1`, …, never `{name}` itself"
                ));
                break;
            } else if mounted {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` mounts `{name}`, but a mount names a pod volume or a claim template, not a PVC; to give each replica its own volume make `{name}` a claim template (its spec belongs in `volumeClaimTemplates`)"
                ));
                break;
            }
        }
        ctx.report(pvc, &CC407, "/metadata/name", message, None);
    }
}
