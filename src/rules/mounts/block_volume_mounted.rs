//! CC309 block-volume-mounted: A volume mounted and attached as a device at once, or a volume mode that does not fit its use.

use super::container::{Container, Item};
use super::{sentence, Site};
use crate::diagnostic::Severity;
use crate::model::volumes::VolumeNames;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Reports a volume that one container lists both in `volumeMounts` and in `volumeDevices` (an error: pod validation rejects it), and, as a warning, a claim template or generic ephemeral volume with `volumeMode: Block` used in `volumeMounts`, or a `Filesystem` one (the default mode) used in `volumeDevices`.
    ///
    /// ## Why is this bad?
    /// A volume is either a file system mounted at a directory or a raw block device; pod validation refuses a pod that asks for both (`must not already exist in volumeDevices`), so no pod is created. A mode mismatch passes validation, but the kubelet cannot set up the volume and the pod never starts. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself for the errors (the warnings pass validation there too).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeMounts:
    ///       - name: raw          # a Block claim: use volumeDevices
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: raw
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// No fix: moving between `volumeMounts` and `volumeDevices` changes what the application sees.
    pub CC309 {
        name: "block-volume-mounted",
        severity: Error,
        fix: None,
        summary: "A volume mounted and attached as a device at once, or a volume mode that does not fit its use",
    }
}

/// CC309 for a volumeMount: the volume is also a device of the container, or it mounts a
/// Block claim template.
pub(super) fn check_mount(
    ctx: &mut Ctx,
    obj: &Object,
    cont: &Container,
    m: &Item,
    site: &Site,
    vols: &VolumeNames,
) {
    let (name, label, who) = (m.name, &m.label, site.who);
    if !name.is_empty() && cont.device_names.contains(name) {
        ctx.report(
            obj,
            &CC309,
            &format!("{}/name", m.at),
            sentence(
                format!("{who} lists `{name}` both in volumeMounts and in volumeDevices; a volume is either mounted as a file system or attached as a block device, not both"),
                site.consequence,
            ),
            None,
        );
    } else if let Some((i, true)) = vols.templates.get(name) {
        ctx.report_as(obj, &CC309, Severity::Warning, &format!("{}/name", m.at), format!("{label} mounts claim template `{name}` (volumeMode Block, template {i}) as a file system: the kubelet cannot mount a raw block volume, so the pod never starts. Attach it under `volumeDevices` with a `devicePath`, or give the template `volumeMode: Filesystem`"), None);
    } else if let Some((i, true)) = vols.ephemeral.get(name) {
        ctx.report_as(obj, &CC309, Severity::Warning, &format!("{}/name", m.at), format!("{label} mounts the generic ephemeral volume `{name}` (volume {i}), whose claim has volumeMode Block, as a file system: the kubelet cannot mount a raw block volume, so the pod never starts. Attach it under `volumeDevices` with a `devicePath`, or drop `volumeMode: Block` from its claim template"), None);
    }
}

/// CC309 for a volumeDevice: the volume is also mounted by the container, or it attaches a
/// Filesystem claim template.
pub(super) fn check_device(
    ctx: &mut Ctx,
    obj: &Object,
    cont: &Container,
    d: &Item,
    site: &Site,
    vols: &VolumeNames,
) {
    let (name, label, who) = (d.name, &d.label, site.who);
    let name_ptr = format!("{}/name", d.at);
    if !name.is_empty() && cont.mount_names.contains(name) {
        ctx.report(
            obj,
            &CC309,
            &name_ptr,
            sentence(
                format!("{who} lists `{name}` both in volumeDevices and in volumeMounts; a volume is either attached as a block device or mounted as a file system, not both"),
                site.consequence,
            ),
            None,
        );
    } else if let Some((i, false)) = vols.templates.get(name) {
        ctx.report_as(obj, &CC309, Severity::Warning, &name_ptr, format!("{label} attaches claim template `{name}` (template {i}) as a raw block device, but the template's volumeMode is Filesystem (the default): the kubelet cannot attach it as a device, so the pod never starts. Set `volumeMode: Block` in the template, or mount it under `volumeMounts`"), None);
    } else if let Some((i, false)) = vols.ephemeral.get(name) {
        ctx.report_as(obj, &CC309, Severity::Warning, &name_ptr, format!("{label} attaches the generic ephemeral volume `{name}` (volume {i}) as a raw block device, but its claim's volumeMode is Filesystem (the default): the kubelet cannot attach it as a device, so the pod never starts. Set `volumeMode: Block` in its claim template, or mount it under `volumeMounts`"), None);
    }
}
