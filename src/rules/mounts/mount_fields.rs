//! Each volumeMount's fields: reports CC303, CC307 and CC309.

use super::{check_mount_options, check_sub_path, sentence, Site, CC303, CC307, CC309};
use crate::diagnostic::Severity;
use crate::model::volumes::{string_field, VolumeNames};
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};
use std::collections::BTreeSet;

/// The mountPath values of a container, by index.
pub(super) fn paths_of<'a>(items: &'a [Node], key: &str) -> Vec<Option<&'a str>> {
    items
        .iter()
        .map(|m| {
            string_field(m, key)
                .ok()
                .flatten()
                .filter(|p| !p.is_empty())
        })
        .collect()
}

/// CC303, CC306, CC307, CC309, CC311 for the volumeMounts of one container.
pub(super) fn check_mounts(ctx: &mut Ctx, obj: &Object, c: &Node, site: &Site, vols: &VolumeNames) {
    let Some(mounts) = c.get("volumeMounts").and_then(Node::as_seq) else {
        return;
    };
    let devices = c.get("volumeDevices").and_then(Node::as_seq).unwrap_or(&[]);
    let device_names: BTreeSet<&str> = devices
        .iter()
        .filter_map(|d| d.str_at(&["name"]))
        .filter(|n| !n.is_empty())
        .collect();
    let device_paths = paths_of(devices, "devicePath");
    let mount_paths = paths_of(mounts, "mountPath");
    let privileged =
        c.path(&["securityContext", "privileged"]).map(|p| &p.value) == Some(&Value::Bool(true));
    let (base, who, consequence) = (site.base, site.who, site.consequence);
    for (j, m) in mounts.iter().enumerate() {
        let at = format!("{base}/volumeMounts/{j}");
        let name = m.str_at(&["name"]).unwrap_or("");
        let label = if name.is_empty() {
            format!("volumeMount {j} of {who}")
        } else {
            format!("volumeMount `{name}` of {who}")
        };
        // CC307
        if matches!(string_field(m, "mountPath"), Ok(None) | Ok(Some(""))) {
            let hint = match m.as_map().and_then(|e| {
                e.iter()
                    .find(|e| e.key != "mountPath" && e.key.eq_ignore_ascii_case("mountPath"))
            }) {
                Some(e) => format!(" (`{}` is not read: the key is `mountPath`)", e.key),
                None => String::new(),
            };
            ctx.report(
                obj,
                &CC307,
                &format!("{at}/mountPath"),
                sentence(
                    format!("{label} has no `mountPath`{hint}; pod validation requires the directory to mount at"),
                    consequence,
                ),
                None,
            );
        }
        // CC303
        if let Some(Some(p)) = mount_paths.get(j) {
            let earlier = mount_paths.get(..j).unwrap_or(&[]);
            if let Some(k) = earlier.iter().position(|q| *q == Some(*p)) {
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
            } else if let Some(k) = earlier.iter().position(|q| {
                q.is_some_and(|q| q != *p && q.trim_end_matches('/') == p.trim_end_matches('/'))
            }) {
                let other = earlier.get(k).copied().flatten().unwrap_or("");
                ctx.report_as(obj, &CC303, Severity::Warning, &format!("{at}/mountPath"), format!("{label} mounts at `{p}`, the same directory as volumeMount {k} (`{other}`) apart from the trailing slash: Kubernetes accepts it, but one volume hides the other or the container fails to start"), None);
            }
            if device_paths.contains(&Some(*p)) {
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
        // CC309
        if !name.is_empty() && device_names.contains(name) {
            ctx.report(
                obj,
                &CC309,
                &format!("{at}/name"),
                sentence(
                    format!("{who} lists `{name}` both in volumeMounts and in volumeDevices; a volume is either mounted as a file system or attached as a block device, not both"),
                    consequence,
                ),
                None,
            );
        } else if let Some((i, true)) = vols.templates.get(name) {
            ctx.report_as(obj, &CC309, Severity::Warning, &format!("{at}/name"), format!("{label} mounts claim template `{name}` (volumeMode Block, template {i}) as a file system: the kubelet cannot mount a raw block volume, so the pod never starts. Attach it under `volumeDevices` with a `devicePath`, or give the template `volumeMode: Filesystem`"), None);
        }
        // CC306
        check_sub_path(ctx, obj, m, &at, &label, consequence);
        // CC311
        check_mount_options(ctx, obj, m, &at, &label, privileged, consequence);
    }
}
