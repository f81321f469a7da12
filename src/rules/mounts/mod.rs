//! Mounts and volumes (CC3xx): what the containers of a workload's pod spec mount and attach,
//! and the pod volumes (and a StatefulSet's claim templates) behind those names — the checks
//! pod validation makes, plus the mistakes it lets through. Every kind with a pod template or
//! pod spec is checked ([`crate::model::workload::WorkloadKind`]); what a fault costs depends on
//! the kind: the API server rejects the object when it validates the pod template on submit,
//! a StatefulSet before Kubernetes 1.34 is stored and its pod creations fail.

use std::collections::{BTreeSet, HashSet};

use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::names;
use crate::model::volumes::{unmatched_mounts_of, volume_names_of, Unmatched, VolumeNames};
use crate::model::workload::{
    container_label, containers, pod_consequence, PodSpecView, WorkloadKind,
};
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
pub use invalid_sub_path::CC306;
pub use invalid_volume_mount::CC311;
pub use mount_path_missing::CC307;
use template_not_mounted::check_unmounted_templates;
pub use template_not_mounted::CC305;
pub use template_shadows_volume::CC304;
use volume_device_not_found::DeviceCandidates;
pub use volume_device_not_found::CC302;
use volume_mount_not_found::check_unmatched_mounts;
pub use volume_mount_not_found::CC301;
pub use volume_name_duplicate::CC308;
mod pod_volumes;
use pod_volumes::check_pod_volumes;
mod container;
use container::check_container;

pub const RULES: &[RuleMeta] = &[
    CC301, CC302, CC303, CC304, CC305, CC306, CC307, CC308, CC309, CC310, CC311,
];

/// The pod spec of the object being checked ([`PodSpecView`]): its kind, where it is, and the
/// mapping itself (absent when the object has none, e.g. a StatefulSet without a template,
/// whose claim templates are still checked).
#[derive(Clone, Copy)]
struct PodRef<'a> {
    kind: WorkloadKind,
    spec: Option<&'a Node>,
    /// Object-relative pointer of the pod spec.
    base: &'static str,
    /// Names that some container mounts or attaches as a device ([`used_names`]), and the
    /// usable volumes that none does ([`unmounted`]): worked out once per object.
    used: &'a HashSet<&'a str>,
    free: &'a [&'a str],
    /// The mounts that match no usable volume ([`unmatched_mounts_of`]), and their names,
    /// each once, in name order.
    unmatched: &'a [Unmatched<'a>],
    unmatched_names: &'a [&'a str],
}

impl<'a> PodRef<'a> {
    fn is_statefulset(&self) -> bool {
        self.kind == WorkloadKind::StatefulSet
    }

    /// Which pods, for messages: "for every pod of the Job", "for the Pod".
    fn for_pods(&self) -> String {
        match self.kind {
            WorkloadKind::Pod => "for the Pod".to_string(),
            WorkloadKind::PodTemplate => "for every pod made from the template".to_string(),
            k => format!("for every pod of the {}", k.name()),
        }
    }

    /// "matches no pod volume and no claim template" or, without claim templates, "matches no
    /// pod volume".
    fn nothing_matches(&self, device: bool) -> &'static str {
        match (self.is_statefulset(), device) {
            (true, false) => "matches no pod volume and no claim template",
            (true, true) => "matches no claim template and no pod volume",
            (false, _) => "matches no pod volume",
        }
    }
}

/// Names that some container mounts or attaches as a device.
fn used_names(spec: Option<&Node>) -> HashSet<&str> {
    let lists = ["volumeMounts", "volumeDevices"];
    let items: Vec<&[Node]> = spec
        .map(containers)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(_, c)| lists.map(|l| c.get(l).and_then(Node::as_seq).unwrap_or(&[])))
        .collect();
    // sized up front: growing a table of thousands of names rehashes every one
    let mut used = HashSet::with_capacity(items.iter().map(|l| l.len()).sum());
    for m in items.into_iter().flatten() {
        if let Some(n) = m.str_at(&["name"]) {
            used.insert(n);
        }
    }
    used
}

/// The names of `unmatched` mounts, each once, in name order. (Each asks "did you mean" in
/// turn, and the run's suggestion budget makes the order matter: name order, as the other name
/// sets here.)
fn distinct_names<'a>(unmatched: &[Unmatched<'a>]) -> Vec<&'a str> {
    let mut names: Vec<&str> = unmatched.iter().map(|u| u.name).collect();
    // (the stable sort takes runs already in order as they are: lists of names often have
    // long ones)
    names.sort();
    names.dedup();
    names
}

/// volumeDevice names that match no usable volume, with the pointer of each `name`.
fn unmatched_devices<'a>(pod_ref: &PodRef<'a>, vols: &VolumeNames<'a>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    if let Some(pod) = pod_ref.spec {
        for (cptr, c) in containers(pod) {
            for (j, d) in c
                .get("volumeDevices")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let name = d.str_at(&["name"]).unwrap_or("");
                if !name.is_empty() && !vols.is_usable(name) {
                    out.push((
                        format!("{}{cptr}/volumeDevices/{j}/name", pod_ref.base),
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

/// Names of usable volumes (of `vols`, the object's) that no container mounts (or attaches
/// as a device).
fn unmounted<'a>(pod: &PodRef<'a>, _vols: &VolumeNames<'a>) -> Vec<&'a str> {
    pod.free.to_vec()
}

pub fn check(ctx: &mut Ctx, obj: &Object, _bundle: &Bundle) {
    let Some(kind) = obj.workload() else {
        return;
    };
    let spec = PodSpecView::of(obj.node, kind).map(|v| v.spec);
    let vols = volume_names_of(obj.node, kind);
    let used = used_names(spec);
    let free: Vec<&str> = vols
        .usable
        .iter()
        .copied()
        .filter(|n| !used.contains(n))
        .collect();
    let unmatched = unmatched_mounts_of(obj.node, kind, &vols);
    let unmatched_names = distinct_names(&unmatched);
    let pod_ref = PodRef {
        kind,
        spec,
        base: kind.pod_spec_pointer(),
        used: &used,
        free: &free,
        unmatched: &unmatched,
        unmatched_names: &unmatched_names,
    };
    let consequence = pod_consequence(kind, ctx.options.kubernetes_version);
    check_unmatched_mounts(ctx, obj, &pod_ref, &vols, &consequence);
    check_pod_volumes(ctx, obj, &pod_ref, &vols, &consequence);
    check_unmounted_templates(ctx, obj, &pod_ref, &vols);
    if let Some(pod) = pod_ref.spec {
        let distinct_devices: BTreeSet<&str> = unmatched_devices(&pod_ref, &vols)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        let device_names = DeviceCandidates::new(&vols, &used, distinct_devices.len());
        for (cptr, c) in containers(pod) {
            let base = format!("{}{cptr}", pod_ref.base);
            let who = container_label(c, cptr);
            let site = Site {
                base: &base,
                who: &who,
                consequence: &consequence,
                pod: pod_ref,
            };
            check_container(ctx, obj, c, &site, &vols, &device_names);
        }
    }
}

/// Where a container's findings go and how messages name it.
struct Site<'s> {
    base: &'s str,
    who: &'s str,
    consequence: &'s str,
    pod: PodRef<'s>,
}

/// A "; did you mean …" / "; the pod's volumes are …" tail for a name that matched nothing.
fn name_hint(wanted: &str, candidates: &[&str]) -> (String, Option<String>) {
    if let Some(g) = names::did_you_mean(wanted, candidates.iter().copied()) {
        return (format!("; did you mean `{g}`?"), Some(g.to_string()));
    }
    if candidates.is_empty() {
        return (String::new(), None);
    }
    // A message lists a bounded number of names, whatever the number of volumes.
    let list = crate::model::suggest::listed(candidates, 10);
    (format!("; the pod's volumes are {list}"), None)
}

/// What [`name_hint`] asks of the run's suggestion budget, without building its text (for a
/// finding that is only counted).
fn name_hint_draw(wanted: &str, candidates: &[&str]) {
    let _ = names::did_you_mean(wanted, candidates.iter().copied());
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
