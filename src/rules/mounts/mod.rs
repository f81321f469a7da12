//! Mounts and volumes (CC3xx): what the containers of a StatefulSet's pod template mount and
//! attach, and the pod volumes and claim templates behind those names — the checks pod
//! validation makes when the controller creates each pod, plus the mistakes it lets through.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::{Applicability, Fix, Severity};
use crate::fix;
use crate::model::names;
use crate::model::volumes::{
    has_backstep, set_field, string_field, volume_issues, volume_names, VolumeNames, VOLUME_SOURCES,
};
use crate::model::workload::{
    claim_templates, container_label, containers, template_consequence, template_name,
};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::{Node, Value};

mod block_volume_mounted;
mod duplicate_mount_path;
mod invalid_pod_volume;
mod invalid_sub_path;
mod invalid_volume_mount;
mod mount_path_missing;
mod template_not_mounted;
mod template_shadows_volume;
mod volume_device_not_found;
mod volume_mount_not_found;
mod volume_name_duplicate;

pub use block_volume_mounted::CC309;
pub use duplicate_mount_path::CC303;
pub use invalid_pod_volume::CC310;
use invalid_sub_path::check_sub_path;
pub use invalid_sub_path::CC306;
use invalid_volume_mount::check_mount_options;
pub use invalid_volume_mount::CC311;
pub use mount_path_missing::CC307;
use template_not_mounted::check_unmounted_templates;
pub use template_not_mounted::CC305;
pub use template_shadows_volume::CC304;
pub use volume_device_not_found::CC302;
use volume_mount_not_found::check_unmatched_mounts;
pub use volume_mount_not_found::CC301;
pub use volume_name_duplicate::CC308;

pub const RULES: &[RuleMeta] = &[
    CC301, CC302, CC303, CC304, CC305, CC306, CC307, CC308, CC309, CC310, CC311,
];

/// Names that some container mounts or attaches as a device.
fn used_names(sts: &Node) -> BTreeSet<&str> {
    let mut used = BTreeSet::new();
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (_, c) in containers(pod) {
            for list in ["volumeMounts", "volumeDevices"] {
                for m in c.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(n) = m.str_at(&["name"]) {
                        used.insert(n);
                    }
                }
            }
        }
    }
    used
}

/// volumeDevice names that match no usable volume, with the pointer of each `name`.
fn unmatched_devices<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (cptr, c) in containers(pod) {
            for (j, d) in c
                .get("volumeDevices")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let name = d.str_at(&["name"]).unwrap_or("");
                if !name.is_empty() && !vols.usable.contains(name) {
                    out.push((
                        format!("/spec/template/spec{cptr}/volumeDevices/{j}/name"),
                        name,
                    ));
                }
            }
        }
    }
    out
}

/// The volume a name that matches nothing most likely meant: a close spelling, or else the
/// only unused volume when only one name is unmatched.
fn likely_meant<'a>(
    wanted: &str,
    candidates: &[&'a str],
    free: &[&'a str],
    distinct_unmatched: usize,
) -> Option<&'a str> {
    names::did_you_mean(wanted, candidates.iter().copied()).or(
        if free.len() == 1 && distinct_unmatched == 1 {
            free.first().copied()
        } else {
            None
        },
    )
}

/// Names of usable volumes that no container mounts (or attaches as a device).
fn unmounted<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<&'a str> {
    let used = used_names(sts);
    vols.usable
        .iter()
        .copied()
        .filter(|n| !used.contains(n))
        .collect()
}

pub fn check(ctx: &mut Ctx, obj: &Object, _bundle: &Bundle) {
    if !obj.is_statefulset() {
        return;
    }
    let sts = obj.node;
    let vols = volume_names(sts);
    let consequence = template_consequence(ctx.options.kubernetes_version, "pod");
    check_unmatched_mounts(ctx, obj, &vols, &consequence);
    check_pod_volumes(ctx, obj, &consequence);
    check_unmounted_templates(ctx, obj, &vols);
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        let free = unmounted(sts, &vols);
        let distinct_devices: BTreeSet<&str> = unmatched_devices(sts, &vols)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        for (cptr, c) in containers(pod) {
            let base = format!("/spec/template/spec{cptr}");
            let who = container_label(c, &cptr);
            let site = Site {
                base: &base,
                who: &who,
                consequence: &consequence,
            };
            check_mounts(ctx, obj, c, &site, &vols);
            check_devices(ctx, obj, c, &site, &vols, &free, distinct_devices.len());
        }
    }
}

/// Where a container's findings go and how messages name it.
struct Site<'s> {
    base: &'s str,
    who: &'s str,
    consequence: &'s str,
}

/// A "; did you mean …" / "; the pod's volumes are …" tail for a name that matched nothing.
fn name_hint(wanted: &str, candidates: &[&str]) -> (String, Option<String>) {
    if let Some(g) = names::did_you_mean(wanted, candidates.iter().copied()) {
        return (format!("; did you mean `{g}`?"), Some(g.to_string()));
    }
    if candidates.is_empty() {
        return (String::new(), None);
    }
    (
        format!(
            "; the pod's volumes are {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None,
    )
}

/// Joins a finding and its consequence into one message.
fn sentence(what: String, consequence: &str) -> String {
    let end = if what.ends_with(['.', '?']) { "" } else { "." };
    format!("{what}{end} {consequence}.")
}

/// CC304, CC308, CC310: the pod volumes themselves.
fn check_pod_volumes(ctx: &mut Ctx, obj: &Object, consequence: &str) {
    let sts = obj.node;
    let Some(vols) = sts
        .path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
    else {
        return;
    };
    let template_names: BTreeSet<&str> = claim_templates(sts)
        .iter()
        .filter_map(|(_, t)| template_name(t))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, v) in vols.iter().enumerate() {
        let ptr = format!("/spec/template/spec/volumes/{i}");
        let name = v.str_at(&["name"]).unwrap_or("");
        if !name.is_empty() && template_names.contains(name) {
            let what = if let Some(claim) = v
                .str_at(&["persistentVolumeClaim", "claimName"])
                .filter(|c| !c.is_empty())
            {
                format!("the claim `{claim}` it names is never used (each pod gets its own claim `{name}-{}-<ordinal>` from the template)", obj.name.unwrap_or("<name>"))
            } else {
                let source = VOLUME_SOURCES
                    .iter()
                    .find(|k| set_field(v, k).is_some())
                    .unwrap_or(&"emptyDir");
                format!("its `{source}` source is ignored and the mounts get the claim")
            };
            ctx.report(
                obj,
                &CC304,
                &format!("{ptr}/name"),
                format!(
                    "pod volume `{name}` has the name of a claim template, and the controller replaces it with the template's volume: {what}. Remove the pod volume or rename one of the two"
                ),
                None,
            );
            continue; // the controller drops it: pod validation never sees it
        }
        if !name.is_empty() {
            if let Some(first) = seen.get(name) {
                ctx.report(
                    obj,
                    &CC308,
                    &format!("{ptr}/name"),
                    sentence(
                        format!("pod volume `{name}` is defined twice (volumes {first} and {i}); pod validation rejects the repeat"),
                        consequence,
                    ),
                    None,
                );
                continue;
            }
            seen.insert(name, i);
        }
        for issue in volume_issues(v) {
            let label = if name.is_empty() {
                format!("pod volume {i}")
            } else {
                format!("pod volume `{name}`")
            };
            ctx.report(
                obj,
                &CC310,
                &format!("{ptr}{}", issue.rel),
                sentence(format!("{label}: {}", issue.what), consequence),
                None,
            );
        }
    }
}

/// The mountPath values of a container, by index.
fn paths_of<'a>(items: &'a [Node], key: &str) -> Vec<Option<&'a str>> {
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
fn check_mounts(ctx: &mut Ctx, obj: &Object, c: &Node, site: &Site, vols: &VolumeNames) {
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

/// CC302, CC303, CC307, CC309, CC311 for the volumeDevices of one container.
fn check_devices(
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
            let mut what = format!("{label} matches no claim template and no pod volume");
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
                            fix_ = rename(obj, d, &name_ptr, name, g, "Attach");
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
                    format!("{label} attaches pod volume `{name}` as a raw block device, but only claim-backed volumes (a claim template, `persistentVolumeClaim` or `ephemeral`) can be block devices; mount it under `volumeMounts` instead"),
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

/// Renames a mount's or device's `name` to `to`.
fn rename(
    obj: &Object,
    item: &Node,
    pointer: &str,
    from: &str,
    to: &str,
    verb: &str,
) -> Option<Fix> {
    let node = item.get("name")?;
    let edit = fix::replace_string(obj.text, node, to)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("{verb} `{to}` instead of `{from}`"),
        edits: vec![edit],
        patch: vec![PatchOp::Replace {
            path: obj.ptr(pointer),
            value: serde_json::Value::String(to.to_string()),
        }],
    })
}

#[cfg(test)]
mod tests;
