//! CC305 template-not-mounted: No container mounts a claim template.

use std::collections::{BTreeSet, HashMap};

use super::{likely_meant, unmatched_devices, unmounted, PodRef};
use crate::model::volumes::VolumeNames;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates that no container, init container or ephemeral container uses in `volumeMounts` or `volumeDevices`, and likewise generic ephemeral volumes (`volumes[].ephemeral`) in the pod template of any workload kind.
    ///
    /// ## Why is this bad?
    /// The controller still creates one claim per replica from the template, so volumes are provisioned and paid for while no process writes to them. A generic ephemeral volume is the same: the ephemeral-volume controller creates a claim for every pod that lists the volume, mounted or not. It usually means a mount was forgotten or its name is misspelt (see CC301).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts:
    ///       - name: data
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///   - metadata:
    ///       name: logs    # nothing mounts `logs`
    /// ```
    ///
    /// ## Fix safety
    /// No fix: mount the template where it is needed, or delete it.
    pub CC305 {
        name: "template-not-mounted",
        severity: Warning,
        fix: None,
        summary: "No container mounts a claim template",
    }
}

/// CC305: claim templates nothing uses.
pub(super) fn check_unmounted_templates(
    ctx: &mut Ctx,
    obj: &Object,
    pod: &PodRef,
    vols: &VolumeNames,
) {
    if vols.templates.is_empty() && vols.ephemeral.is_empty() {
        return;
    }
    let used = pod.used;
    // A template that a misspelt mount or device most likely meant is CC301's or CC302's story.
    let free = unmounted(pod, vols);
    let mut explained = BTreeSet::new();
    let mounts = pod.unmatched_names;
    let usable: Vec<&str> = vols.usable.iter().copied().collect();
    for n in mounts {
        explained.extend(likely_meant(n, &usable, &free, mounts.len()));
    }
    let devices: BTreeSet<&str> = unmatched_devices(pod, vols)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    // (only when some device matches nothing: thousands of free volumes are common)
    let (claims, free_claims): (Vec<&str>, Vec<&str>) = if devices.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            vols.claim_backed.iter().copied().collect(),
            free.iter()
                .copied()
                .filter(|f| vols.claim_backed.contains(f))
                .collect(),
        )
    };
    for n in &devices {
        explained.extend(likely_meant(n, &claims, &free_claims, devices.len()));
    }
    let unexplained = |n: &str| !used.contains(n) && !explained.contains(n);
    let sts = obj.name.unwrap_or("<name>");
    for (name, i) in by_index(&vols.templates, &unexplained) {
        ctx.report(
            obj,
            &CC305,
            &format!("/spec/volumeClaimTemplates/{i}/metadata/name"),
            format!(
                "no container mounts claim template `{name}`: the controller still creates and binds a claim `{name}-{sts}-<ordinal>` for every replica, which nothing uses. Add a volumeMount named `{name}` where the data belongs, or remove the template"
            ),
            None,
        );
    }
    // Generic ephemeral volumes: each pod gets its own claim, mounted or not.
    for (name, i) in by_index(&vols.ephemeral, &unexplained) {
        ctx.report(
            obj,
            &CC305,
            &format!("{}/volumes/{i}/name", pod.base),
            format!(
                "no container mounts the generic ephemeral volume `{name}`: a claim `<pod name>-{name}` is still created and provisioned {}, and nothing uses it. Add a volumeMount named `{name}` where the data belongs, or remove the volume",
                pod.for_pods()
            ),
            None,
        );
    }
}

/// The names of `named` (name → index, …) that `keep` keeps, with their indices, in index order
/// (one index per name).
fn by_index<'a>(
    named: &HashMap<&'a str, (usize, bool)>,
    keep: &dyn Fn(&str) -> bool,
) -> Vec<(&'a str, usize)> {
    let mut out: Vec<(&str, usize)> = named
        .iter()
        .filter(|(n, _)| keep(n))
        .map(|(n, (i, _))| (*n, *i))
        .collect();
    out.sort_unstable_by_key(|&(_, i)| i);
    out
}
