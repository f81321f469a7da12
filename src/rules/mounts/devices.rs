//! Each volumeDevice: reports CC302 and its field problems (CC303, CC307, CC309, CC311).

use super::rename;
use super::{likely_meant, name_hint, paths_of, sentence, Site, CC302, CC303, CC307, CC309, CC311};
use crate::diagnostic::Severity;
use crate::model::volumes::{has_backstep, string_field, VolumeNames};
use crate::rule::{Ctx, Object};
use crate::source::Node;
use std::collections::{BTreeSet, HashMap};

/// CC302, CC303, CC307, CC309, CC311 for the volumeDevices of one container.
pub(super) fn check_devices(
    ctx: &mut Ctx,
    obj: &Object,
    c: &Node,
    site: &Site,
    vols: &VolumeNames,
    free: &[&str],
    distinct_unmatched: usize,
) {
    let Some(devices) = c.get("volumeDevices").and_then(Node::as_seq) else {
        return;
    };
    let mounts = c.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]);
    let mount_names: BTreeSet<&str> = mounts
        .iter()
        .filter_map(|m| m.str_at(&["name"]))
        .filter(|n| !n.is_empty())
        .collect();
    let mount_paths = paths_of(mounts, "mountPath");
    let device_paths = paths_of(devices, "devicePath");
    let (base, who, consequence) = (site.base, site.who, site.consequence);
    let mut seen_names: HashMap<&str, usize> = HashMap::new();
    for (j, d) in devices.iter().enumerate() {
        let at = format!("{base}/volumeDevices/{j}");
        let name = d.str_at(&["name"]).unwrap_or("");
        let label = if name.is_empty() {
            format!("volumeDevice {j} of {who}")
        } else {
            format!("volumeDevice `{name}` of {who}")
        };
        let name_ptr = format!("{at}/name");
        // CC302
        if name.is_empty() {
            ctx.report(
                obj,
                &CC302,
                &name_ptr,
                sentence(format!("{label} has no `name`"), consequence),
                None,
            );
        } else if !vols.usable.contains(name) {
            let mut what = format!("{label} {}", site.pod.nothing_matches(true));
            let mut fix_ = None;
            if let Some(why) = vols.broken.get(name) {
                what.push_str(&format!(" ({why})"));
            } else {
                let candidates: Vec<&str> = vols.claim_backed.iter().copied().collect();
                let free_claims: Vec<&str> = free
                    .iter()
                    .copied()
                    .filter(|f| vols.claim_backed.contains(f))
                    .collect();
                match likely_meant(name, &candidates, &free_claims, distinct_unmatched) {
                    Some(g) => {
                        what.push_str(&format!("; did you mean `{g}`?"));
                        if free_claims.contains(&g) {
                            fix_ = rename(&CC302, obj, d, &name_ptr, name, g, "Attach");
                        }
                    }
                    None => what.push_str(&name_hint(name, &candidates).0),
                }
            }
            ctx.report(obj, &CC302, &name_ptr, sentence(what, consequence), fix_);
        } else if !vols.claim_backed.contains(name) {
            ctx.report(
                obj,
                &CC302,
                &name_ptr,
                sentence(
                    format!(
                        "{label} attaches pod volume `{name}` as a raw block device, but only claim-backed volumes ({}`persistentVolumeClaim` or `ephemeral`) can be block devices; mount it under `volumeMounts` instead",
                        if site.pod.is_statefulset() { "a claim template, " } else { "" }
                    ),
                    consequence,
                ),
                None,
            );
        }
        // CC311: the same device twice
        if !name.is_empty() {
            if let Some(k) = seen_names.get(name) {
                ctx.report(
                    obj,
                    &CC311,
                    &name_ptr,
                    sentence(
                        format!("{label} attaches the same volume as volumeDevice {k}; each volume can be attached once per container"),
                        consequence,
                    ),
                    None,
                );
            } else {
                seen_names.insert(name, j);
            }
        }
        // CC309
        if !name.is_empty() && mount_names.contains(name) {
            ctx.report(
                obj,
                &CC309,
                &name_ptr,
                sentence(
                    format!("{who} lists `{name}` both in volumeDevices and in volumeMounts; a volume is either attached as a block device or mounted as a file system, not both"),
                    consequence,
                ),
                None,
            );
        } else if let Some((i, false)) = vols.templates.get(name) {
            ctx.report_as(obj, &CC309, Severity::Warning, &name_ptr, format!("{label} attaches claim template `{name}` (template {i}) as a raw block device, but the template's volumeMode is Filesystem (the default): the kubelet cannot attach it as a device, so the pod never starts. Set `volumeMode: Block` in the template, or mount it under `volumeMounts`"), None);
        }
        // CC307, CC303, CC311 on the device path
        let path_ptr = format!("{at}/devicePath");
        match string_field(d, "devicePath") {
            Ok(None) | Ok(Some("")) => ctx.report(
                obj,
                &CC307,
                &path_ptr,
                sentence(
                    format!("{label} has no `devicePath`; pod validation requires the path at which the device appears in the container"),
                    consequence,
                ),
                None,
            ),
            Ok(Some(p)) => {
                if has_backstep(p) {
                    ctx.report(
                        obj,
                        &CC311,
                        &path_ptr,
                        sentence(
                            format!("the devicePath `{p}` of {label} must not contain `..`"),
                            consequence,
                        ),
                        None,
                    );
                } else if let Some(k) = device_paths
                    .get(..j)
                    .unwrap_or(&[])
                    .iter()
                    .position(|q| *q == Some(p))
                {
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
                if mount_paths.contains(&Some(p)) {
                    ctx.report(
                        obj,
                        &CC303,
                        &path_ptr,
                        sentence(
                            format!("{label} uses `{p}` as its devicePath, which {who} also uses as a mountPath"),
                            consequence,
                        ),
                        None,
                    );
                }
            }
            Err(()) => {}
        }
    }
}
