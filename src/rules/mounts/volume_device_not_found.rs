//! CC302 volume-device-not-found: A volumeDevice names no claim-backed volume.

use super::container::Item;
use super::{likely_meant, name_hint, rename, sentence, Site};
use crate::model::volumes::VolumeNames;
use crate::rule::{Ctx, Object};
use std::collections::HashSet;

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `volumeDevices[].name` (raw block devices) names a claim template or a pod volume backed by a claim (`persistentVolumeClaim` or `ephemeral`). A device that names nothing, or names an `emptyDir`, `configMap`, `hostPath` or other volume, is reported.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod: `volumeDevices[0].name: Not found`, or `can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode`. Before Kubernetes 1.34 the StatefulSet is accepted and every pod creation fails; from 1.34 the StatefulSet is rejected. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeDevices:
    ///       - name: raw        # no volume or claim template is called `raw`
    ///         devicePath: /dev/xvdb
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: block
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// Renaming the device is unsafe: it is offered only when the name is close to a claim-backed volume that nothing else uses.
    pub CC302 {
        name: "volume-device-not-found",
        severity: Error,
        fix: Unsafe,
        summary: "A volumeDevice names no claim-backed volume",
    }
}

/// CC302 for one volumeDevice: a name that matches no usable volume (with a did-you-mean, and
/// a rename when the meant claim-backed volume is free), or names a volume no claim backs.
pub(super) fn check_device(
    ctx: &mut Ctx,
    obj: &Object,
    d: &Item,
    site: &Site,
    vols: &VolumeNames,
    names: &DeviceCandidates,
) {
    let (name, label, consequence) = (d.name, &d.label, site.consequence);
    let name_ptr = format!("{}/name", d.at);
    if name.is_empty() {
        ctx.report(
            obj,
            &CC302,
            &name_ptr,
            sentence(format!("{label} has no `name`"), consequence),
            None,
        );
    } else if !vols.is_usable(name) {
        let mut what = format!("{label} {}", site.pod.nothing_matches(true));
        let mut fix_ = None;
        if let Some(why) = vols.broken.get(name) {
            what.push_str(&format!(" ({why})"));
        } else {
            match likely_meant(
                name,
                &names.claims,
                &names.free_claims,
                names.distinct_unmatched,
            ) {
                Some(g) => {
                    what.push_str(&format!("; did you mean `{g}`?"));
                    if names.free_claims_set.contains(g) {
                        fix_ = rename(&CC302, obj, d.node, &name_ptr, name, g, "Attach");
                    }
                }
                None => what.push_str(&name_hint(name, &names.claims).0),
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
}

/// What the name checks of volumeDevices compare against, computed once per object.
pub(super) struct DeviceCandidates<'a> {
    /// Usable claim-backed volumes.
    pub claims: Vec<&'a str>,
    /// Those that nothing mounts or attaches.
    pub free_claims: Vec<&'a str>,
    pub free_claims_set: HashSet<&'a str>,
    /// How many distinct device names match no usable volume.
    pub distinct_unmatched: usize,
}

impl<'a> DeviceCandidates<'a> {
    /// `used`: the names some container mounts or attaches. (The free claim-backed volumes,
    /// in name order: the claim-backed names, all usable, that nothing uses — a lookup per
    /// claim-backed name, not one per free volume.)
    pub fn new(vols: &VolumeNames<'a>, used: &HashSet<&str>, distinct_unmatched: usize) -> Self {
        let free_claims: Vec<&str> = vols
            .claim_backed
            .iter()
            .copied()
            .filter(|n| !used.contains(n))
            .collect();
        DeviceCandidates {
            claims: vols.claim_backed.iter().copied().collect(),
            free_claims_set: free_claims.iter().copied().collect(),
            free_claims,
            distinct_unmatched,
        }
    }
}
