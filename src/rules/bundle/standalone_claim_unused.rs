//! CC407 standalone-claim-unused: A PersistentVolumeClaim in the input that no pod uses.

use super::same_namespace;
use crate::model::claim_usage::{unmatched_mount_names, usage_kind};
use crate::model::workload::WorkloadKind;
use crate::model::workload::{claim_templates, template_name};
use crate::rule::{Bundle, Ctx, Object};
use std::collections::HashMap;

crate::declare_rule! {
    /// ## What it does
    /// Finds PersistentVolumeClaims that no pod spec in the input refers to through `persistentVolumeClaim.claimName` — the pod specs of every workload kind count (StatefulSet, Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate) — and says so loudly when the claim is named like a StatefulSet's claim template or mount. A claim named like one that a StatefulSet of the input creates from a claim template (`<template>-<statefulset>-<ordinal>`, such as `data-web-0` in a `kubectl get -o yaml` dump) is that StatefulSet's and is used; so is `<pod>-<volume>`, the claim of a Pod's generic ephemeral volume, and a claim with `ownerReferences` (its owner, not the pods of the input, decides its life). It only looks when the input holds at least one workload (a Pod, or an object with a pod template): a file of claims alone is meant for pods defined elsewhere. A claim whose StorageClass binds on first use (`WaitForFirstConsumer`) is CC412's instead, which says what that means.
    ///
    /// ## Why is this bad?
    /// A claim template `data` makes the controller create `data-<sts>-0`, `data-<sts>-1`, …; it never uses a claim called plain `data`. Creating that claim by hand provisions (and bills) a volume nobody mounts, and usually means the template itself is wrong.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: db
    ///           image: postgres:16
    ///           volumeMounts:
    ///             - name: data   # the claim template: claims data-<sts>-0, …
    ///               mountPath: /var/lib/postgresql/data
    ///   volumeClaimTemplates:
    ///     - metadata:
    ///         name: data
    /// ```
    ///
    /// ## Fix safety
    /// No fix: deleting a claim could delete data.
    pub CC407 {
        name: "standalone-claim-unused",
        severity: Hint,
        fix: None,
        summary: "A PersistentVolumeClaim in the input that no pod uses",
    }
}

/// CC407: the standalone claims that no pod of the input uses (`unused`, found by the caller).
pub(super) fn check_unused_claims(ctx: &mut Ctx, bundle: &Bundle, unused: &[&Object]) {
    if unused.is_empty() || !ctx.enabled(&CC407) {
        return;
    }
    // StatefulSets by the names of their claim templates and volume mounts (in input order),
    // so that each claim looks only at the StatefulSets that mention its name.
    let mut mentions: HashMap<&str, Vec<&Object>> = HashMap::new();
    for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
        let mut names: Vec<&str> = claim_templates(sts.node)
            .iter()
            .filter_map(|(_, t)| template_name(t))
            .collect();
        let unmatched = crate::model::volumes::unmatched_mounts(
            sts.node,
            &crate::model::volumes::volume_names(sts.node),
        );
        names.extend(unmatched.iter().map(|u| u.name));
        names.sort_unstable();
        names.dedup();
        for n in names {
            mentions.entry(n).or_default().push(sts);
        }
    }
    // other workloads by the names they mount that are no pod volume of theirs
    let mut mounted_elsewhere: HashMap<&str, Vec<&Object>> = HashMap::new();
    for obj in &bundle.objects {
        let Some(kind) = usage_kind(obj) else {
            continue;
        };
        if kind == WorkloadKind::StatefulSet {
            continue;
        }
        let Some(spec) = obj.node.path(kind.pod_spec_path()) else {
            continue;
        };
        for n in unmatched_mount_names(spec) {
            mounted_elsewhere.entry(n).or_default().push(obj);
        }
    }
    for pvc in unused {
        let Some(name) = pvc.name else { continue };
        let mut message =
            format!("PersistentVolumeClaim `{name}` is not used by any pod in this input");
        for sts in mentions
            .get(name)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|o| same_namespace(o, pvc))
        {
            let sts_name = sts.name.unwrap_or("<name>");
            let is_template = claim_templates(sts.node)
                .iter()
                .any(|(_, t)| template_name(t) == Some(name));
            let mounted = crate::model::volumes::unmatched_mounts(
                sts.node,
                &crate::model::volumes::volume_names(sts.node),
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
        let explained = message.contains(": ");
        if let Some(w) = mounted_elsewhere
            .get(name)
            .filter(|_| !explained)
            .and_then(|l| l.iter().find(|o| same_namespace(o, pvc)))
        {
            message.push_str(&format!(
                ": {} `{}` mounts `{name}`, but a volumeMount names a pod volume, not a claim; add a pod volume with `persistentVolumeClaim: {{claimName: {name}}}` and mount that",
                w.kind,
                w.name.unwrap_or("<unnamed>")
            ));
        }
        ctx.report(pvc, &CC407, "/metadata/name", message, None);
    }
}
