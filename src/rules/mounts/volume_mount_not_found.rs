//! CC301 volume-mount-not-found: A volumeMount names no pod volume and no claim template.

use std::collections::HashSet;

use super::{likely_meant, name_hint, name_hint_draw, rename, sentence, unmounted, PodRef};
use crate::model::volumes::VolumeNames;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `volumeMounts[].name` of every container, init container and ephemeral container of a workload's pod template names a pod volume or, in a StatefulSet, a claim template (`volumeClaimTemplates[].metadata.name`). Volumes that pod validation rejects (an invalid name, a configMap without its name, …) do not count, as in Kubernetes.
    ///
    /// ## Why is this bad?
    /// Until Kubernetes 1.34 the API server accepts such a StatefulSet and the controller then fails to create every pod (`spec.containers[0].volumeMounts[0].name: Not found`), visible only as `FailedCreate` events. From 1.34 the StatefulSet itself is rejected. Typical causes: the claim template has no name (a bare PVC spec was passed as the template), the mount uses the generated PVC name (`data-web-0`) or the ConfigMap's name instead of the volume's, or a letter-case slip. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts:
    ///       - name: www-data   # the template is named `www`
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: www
    /// ```
    ///
    /// ## Fix safety
    /// Renaming the mount is unsafe: it is offered when exactly one volume or claim template is not mounted by anything and the name is close, since the author may instead have meant to add a volume.
    pub CC301 {
        name: "volume-mount-not-found",
        severity: Error,
        fix: Unsafe,
        summary: "A volumeMount names no pod volume and no claim template",
    }
}

/// CC301: mounts whose name matches no usable volume.
pub(super) fn check_unmatched_mounts(
    ctx: &mut Ctx,
    obj: &Object,
    pod: &PodRef,
    vols: &VolumeNames,
    consequence: &str,
) {
    let unmatched = pod.unmatched;
    if unmatched.is_empty() {
        return;
    }
    let free = unmounted(pod, vols);
    // built when a suggestion first needs it (most runs past the cap never do)
    let mut free_set: Option<HashSet<&str>> = None;
    let candidates: Vec<&str> = vols.usable.iter().copied().collect();
    // how many different names match nothing
    let distinct = pod.unmatched_names.len();
    for u in unmatched {
        if !ctx.wants_details(obj, &CC301) {
            // only counted past the cap: no message or fix, but the same "did you mean"
            // questions, in the same order, as a listed finding asks (they draw on the
            // run's budget, which decides the suggestions of later findings)
            let asks = !vols.broken.contains_key(u.name)
                && (vols.unnamed_templates.is_empty() || distinct != 1)
                && !u.name.is_empty();
            if asks && likely_meant(u.name, &candidates, &free, distinct).is_none() {
                name_hint_draw(u.name, &candidates);
            }
            ctx.report(obj, &CC301, &u.pointer, String::new(), None);
            continue;
        }
        let mut message = if u.name.is_empty() {
            let mut m = format!("a volumeMount of {} has no `name`", u.container);
            if let [only] = free.as_slice() {
                m.push_str(&format!(" (the only volume nothing mounts is `{only}`)"));
            }
            m
        } else {
            format!(
                "volumeMount `{}` of {} {}",
                u.name,
                u.container,
                pod.nothing_matches(false)
            )
        };
        let mut fix_ = None;
        if let Some(why) = vols.broken.get(u.name) {
            message.push_str(&format!(" ({why})"));
        } else if !vols.unnamed_templates.is_empty() && distinct == 1 {
            let i = vols.unnamed_templates[0];
            message.push_str(&format!(
                " (claim template {i} has no `metadata.name`; naming it `{}` would match)",
                u.name
            ));
        } else if !u.name.is_empty() {
            if let Some(g) = likely_meant(u.name, &candidates, &free, distinct) {
                message.push_str(&format!("; did you mean `{g}`?"));
                if free_set
                    .get_or_insert_with(|| free.iter().copied().collect())
                    .contains(g)
                {
                    fix_ = rename(&CC301, obj, u.mount, &u.pointer, u.name, g, "Mount");
                }
            } else {
                message.push_str(&name_hint(u.name, &candidates).0);
            }
        }
        ctx.report(
            obj,
            &CC301,
            &u.pointer,
            sentence(message, consequence),
            fix_,
        );
    }
}
