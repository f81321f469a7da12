//! Mounts and volumes (CC3xx): what the containers of a StatefulSet's pod template mount and
//! attach, and the pod volumes and claim templates behind those names — the checks pod
//! validation makes when the controller creates each pod, plus the mistakes it lets through.

use std::collections::BTreeSet;

use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::names;
use crate::model::volumes::{volume_names, VolumeNames};
use crate::model::workload::{container_label, containers, template_consequence};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::Node;

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
mod pod_volumes;
use pod_volumes::check_pod_volumes;
mod mount_fields;
use mount_fields::{check_mounts, paths_of};
mod devices;
use devices::check_devices;

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

#[cfg(test)]
mod tests;

/// Renames a mount's or device's `name` to `to`.
fn rename(
    rule: &RuleMeta,
    obj: &Object,
    item: &Node,
    pointer: &str,
    from: &str,
    to: &str,
    verb: &str,
) -> Option<Fix> {
    let node = item.get("name")?;
    let edit = fix::replace_string(obj.text, node, to)?;
    crate::fix::make(
        rule,
        Applicability::Unsafe,
        format!("{verb} `{to}` instead of `{from}`"),
        vec![edit],
        vec![PatchOp::Replace {
            path: obj.ptr(pointer),
            value: serde_json::Value::String(to.to_string()),
        }],
    )
}
