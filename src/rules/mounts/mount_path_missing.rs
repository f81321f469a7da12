//! CC307 mount-path-missing: A volumeMount without mountPath, or a volumeDevice without devicePath.

use super::container::Item;
use super::{sentence, Site};
use crate::model::volumes::string_field;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds volumeMounts whose `mountPath` is missing or empty and volumeDevices whose `devicePath` is missing or empty. A misspelt key (`mountpath`, `path`) counts as missing, since the API server does not read it.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`volumeMounts[0].mountPath: Required value`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data   # the key is `mountPath`
    /// ```
    ///
    /// ## Fix safety
    /// No fix here; CC003 offers the rename of a misspelt key.
    pub CC307 {
        name: "mount-path-missing",
        severity: Error,
        fix: None,
        summary: "A volumeMount without mountPath, or a volumeDevice without devicePath",
    }
}

/// CC307 for a volumeMount.
pub(super) fn check_mount(ctx: &mut Ctx, obj: &Object, m: &Item, site: &Site) {
    if !matches!(string_field(m.node, "mountPath"), Ok(None) | Ok(Some(""))) {
        return;
    }
    let hint = match m.node.as_map().and_then(|e| {
        e.iter()
            .find(|e| e.key != "mountPath" && e.key.eq_ignore_ascii_case("mountPath"))
    }) {
        Some(e) => format!(" (`{}` is not read: the key is `mountPath`)", e.key),
        None => String::new(),
    };
    ctx.report(
        obj,
        &CC307,
        &format!("{}/mountPath", m.at),
        sentence(
            format!(
                "{} has no `mountPath`{hint}; pod validation requires the directory to mount at",
                m.label
            ),
            site.consequence,
        ),
        None,
    );
}

/// CC307 for a volumeDevice.
pub(super) fn check_device(ctx: &mut Ctx, obj: &Object, d: &Item, site: &Site) {
    if matches!(string_field(d.node, "devicePath"), Ok(None) | Ok(Some(""))) {
        ctx.report(
            obj,
            &CC307,
            &format!("{}/devicePath", d.at),
            sentence(
                format!("{} has no `devicePath`; pod validation requires the path at which the device appears in the container", d.label),
                site.consequence,
            ),
            None,
        );
    }
}
