//! CC303 duplicate-mount-path: Two mounts of one container share a mountPath.

use super::container::{Container, Item};
use super::{sentence, Site};
use crate::diagnostic::Severity;
use crate::model::volumes::{has_backstep, string_field};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds two `volumeMounts` of the same container with the same `mountPath`, a `devicePath` used twice, and a path used both as a `mountPath` and a `devicePath`. When two mount paths differ only by a trailing slash (`/data` and `/data/`) it reports a warning instead.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects identical paths (`mountPath: Invalid value: "/data": must be unique`), so the controller cannot create any pod (from Kubernetes 1.34 the StatefulSet itself is rejected). Paths that differ only by a trailing slash pass validation but name the same directory: one volume hides the other, or the container fails to start. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself for the errors (the warnings pass validation there too).
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /var/lib/app
    ///   - name: cache
    ///     mountPath: /var/lib/app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two mounts should move is the author's decision.
    pub CC303 {
        name: "duplicate-mount-path",
        severity: Error,
        fix: None,
        summary: "Two mounts of one container share a mountPath",
    }
}

/// CC303 for a volumeMount: a mountPath used before in the container (or, apart from a
/// trailing slash, a warning), or used as a devicePath.
pub(super) fn check_mount(ctx: &mut Ctx, obj: &Object, cont: &Container, m: &Item, site: &Site) {
    let (j, label, who, consequence) = (m.j, &m.label, site.who, site.consequence);
    let Some(Some(p)) = cont.mount_paths.get(j) else {
        return;
    };
    let at = &m.at;
    let earlier_same = cont.mount_first.get(p).copied().filter(|k| *k < j);
    // the first earlier mount at the same directory spelt otherwise (`/data` and `/data/`)
    let earlier_spelling = || {
        cont.mount_spellings
            .get(p.trim_end_matches('/'))
            .into_iter()
            .flatten()
            .filter(|(k, q)| *k < j && q != p)
            .min_by_key(|(k, _)| *k)
            .copied()
    };
    if let Some(k) = earlier_same {
        ctx.report(
            obj,
            &CC303,
            &format!("{at}/mountPath"),
            sentence(
                format!("{label} uses the mountPath `{p}` of volumeMount {k} again; pod validation requires each mountPath of a container to be unique"),
                consequence,
            ),
            None,
        );
    } else if let Some((k, other)) = earlier_spelling() {
        ctx.report_as(obj, &CC303, Severity::Warning, &format!("{at}/mountPath"), format!("{label} mounts at `{p}`, the same directory as volumeMount {k} (`{other}`) apart from the trailing slash: Kubernetes accepts it, but one volume hides the other or the container fails to start"), None);
    }
    if cont.device_first.contains_key(p) {
        ctx.report(
            obj,
            &CC303,
            &format!("{at}/mountPath"),
            sentence(
                format!("{label} mounts at `{p}`, which {who} also uses as a devicePath"),
                consequence,
            ),
            None,
        );
    }
}

/// CC303 for a volumeDevice: a devicePath used before in the container, or used as a
/// mountPath. (A path with `..` is CC311's; it is not compared.)
pub(super) fn check_device(ctx: &mut Ctx, obj: &Object, cont: &Container, d: &Item, site: &Site) {
    let (label, who, consequence) = (&d.label, site.who, site.consequence);
    let Ok(Some(p)) = string_field(d.node, "devicePath") else {
        return;
    };
    if p.is_empty() {
        return; // CC307
    }
    let path_ptr = format!("{}/devicePath", d.at);
    if !has_backstep(p) {
        if let Some(k) = cont.device_first.get(p).copied().filter(|k| *k < d.j) {
            ctx.report(
                obj,
                &CC303,
                &path_ptr,
                sentence(
                    format!("{label} uses the devicePath `{p}` of volumeDevice {k} again; each devicePath of a container must be unique"),
                    consequence,
                ),
                None,
            );
        }
    }
    if cont.mount_first.contains_key(p) {
        ctx.report(
            obj,
            &CC303,
            &path_ptr,
            sentence(
                format!(
                    "{label} uses `{p}` as its devicePath, which {who} also uses as a mountPath"
                ),
                consequence,
            ),
            None,
        );
    }
}
