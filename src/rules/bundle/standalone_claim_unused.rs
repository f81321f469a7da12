//! CC407 standalone-claim-unused: A PersistentVolumeClaim in the input that no pod uses.

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
    // StatefulSets by the names of their claim templates and volume mounts (the first in
    // input order of each namespace), so that each claim looks only at the one StatefulSet
    // that explains it; `true` for a claim template's name
    let mut mentions: FirstSeen<(&Object, bool)> = FirstSeen::default();
    for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
        let mut names: Vec<(&str, bool)> = claim_templates(sts.node)
            .iter()
            .filter_map(|(_, t)| template_name(t))
            .map(|n| (n, true))
            .collect();
        let unmatched = crate::model::volumes::unmatched_mounts(
            sts.node,
            &crate::model::volumes::volume_names(sts.node),
        );
        names.extend(unmatched.iter().map(|u| (u.name, false)));
        // a template's name before a mount's of the same name
        names.sort_unstable_by_key(|&(n, template)| (n, !template));
        names.dedup_by_key(|&mut (n, _)| n);
        for (n, template) in names {
            mentions.add(sts, n, (sts, template));
        }
    }
    // other workloads by the names they mount that are no pod volume of theirs
    let mut mounted_elsewhere: FirstSeen<&Object> = FirstSeen::default();
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
            mounted_elsewhere.add(obj, n, obj);
        }
    }
    for pvc in unused {
        let Some(name) = pvc.name else { continue };
        let mut message =
            format!("PersistentVolumeClaim `{name}` is not used by any pod in this input");
        if let Some(&(sts, is_template)) = mentions.visible(pvc, name) {
            let sts_name = sts.name.unwrap_or("<name>");
            if is_template {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` has a claim template `{name}`, from which the controller creates `{name}-{sts_name}-0`, `{name}-{sts_name}-1`, …, never `{name}` itself"
                ));
            } else {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` mounts `{name}`, but a mount names a pod volume or a claim template, not a PVC; to give each replica its own volume make `{name}` a claim template (its spec belongs in `volumeClaimTemplates`)"
                ));
            }
        }
        let explained = message.contains(": ");
        if let Some(w) = mounted_elsewhere.visible(pvc, name).filter(|_| !explained) {
            message.push_str(&format!(
                ": {} `{}` mounts `{name}`, but a volumeMount names a pod volume, not a claim; add a pod volume with `persistentVolumeClaim: {{claimName: {name}}}` and mount that",
                w.kind,
                w.name.unwrap_or("<unnamed>")
            ));
        }
        ctx.report(pvc, &CC407, "/metadata/name", message, None);
    }
}

/// Values by name, the first one (in input order) of each namespace, so that "the first one a
/// claim can see" (see `same_namespace`) is two hashed lookups, however many objects share a
/// name in other namespaces.
struct FirstSeen<'a, T> {
    /// (namespace, "" for none; name) → (order, value)
    by_key: HashMap<(&'a str, &'a str), (usize, T)>,
    /// name → (order, value), of any namespace
    by_name: HashMap<&'a str, (usize, T)>,
    next: usize,
}

impl<T> Default for FirstSeen<'_, T> {
    fn default() -> Self {
        FirstSeen {
            by_key: HashMap::new(),
            by_name: HashMap::new(),
            next: 0,
        }
    }
}

impl<'a, T: Copy> FirstSeen<'a, T> {
    fn add(&mut self, owner: &Object<'a>, name: &'a str, value: T) {
        let order = self.next;
        self.next += 1;
        self.by_key
            .entry((owner.namespace.unwrap_or(""), name))
            .or_insert((order, value));
        self.by_name.entry(name).or_insert((order, value));
    }

    /// The first value of `name` whose owner shares a namespace with `obj`.
    fn visible(&self, obj: &Object<'a>, name: &'a str) -> Option<&T> {
        let ns = obj.namespace.unwrap_or("");
        if ns.is_empty() {
            return self.by_name.get(name).map(|(_, v)| v);
        }
        let own = self.by_key.get(&(ns, name));
        let none = self.by_key.get(&("", name));
        match (own, none) {
            (Some(a), Some(b)) => Some(if a.0 < b.0 { &a.1 } else { &b.1 }),
            (a, b) => a.or(b).map(|(_, v)| v),
        }
    }
}
