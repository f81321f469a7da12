//! CC406 shared-rwo-claim: Several replicas mount one standalone ReadWriteOnce claim.

use std::collections::{HashMap, HashSet};

use crate::model::claim_usage::{
    all_together, controller_uid, exclusive, pinned_node, pod_spec_of, ClaimUsage, ClaimUse,
    Exclusive, Placement,
};
use crate::model::workload::{max_pods, WorkloadKind};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds a PersistentVolumeClaim of the input whose only access modes are `ReadWriteOnce` or `ReadWriteOncePod` and that several pods mount at once through `persistentVolumeClaim.claimName`: the pods of one workload that runs more than one (a StatefulSet, Deployment, ReplicaSet or ReplicationController with `replicas` above 1, a DaemonSet, a Job or CronJob with `parallelism` above 1), or the pods of two or more different workloads (any kinds, bare Pods included). Objects that stand for the same pods are counted once: a ReplicaSet or Pod whose controller (`ownerReferences` with `controller: true`) is in the input is represented by it, as in `kubectl get -o yaml` dumps; the Pods of one controller that is not in the input count together. A PodTemplate and a workload scaled to 0 run no pods. For `ReadWriteOnce`, pods that are all tied to one node are fine: pinned to it (`nodeName`, or a `kubernetes.io/hostname` node selector), or required to run beside each other (`podAffinity.requiredDuringSchedulingIgnoredDuringExecution` on `topologyKey: kubernetes.io/hostname` selecting the other workload's pod labels, or their own), as a backup CronJob beside its database is.
    ///
    /// Until this version the rule looked only at one workload's replicas; the meaning is unchanged ("several pods mount one standalone ReadWriteOnce claim"), it now also sees the pods of different workloads. `ReadWriteOncePod` used to be reported as an error: the API server accepts every one of these objects and the pods are created, they only never start, so it is a warning like the rest (with its own message).
    ///
    /// ## Why is this bad?
    /// A `ReadWriteOnce` volume can be attached to a single node. The attach-detach controller refuses to attach it to a second node while it is attached to the first (it allows that only for volumes whose access modes include `ReadWriteMany` or `ReadOnlyMany`): pods that land on other nodes stay in `ContainerCreating` with `FailedAttachVolume` / `Multi-Attach error for volume … Volume is already used by pod(s) …` events, and they only work when the scheduler happens to put every pod on the same node. Mounting it `readOnly` does not help: attachment follows the access modes. A `ReadWriteOncePod` claim (Kubernetes 1.29 GA) can be used by one pod in the whole cluster: the scheduler's VolumeRestrictions plugin leaves every other pod that uses it `Pending` (`node(s) unavailable due to PersistentVolumeClaim with ReadWriteOncePod access mode already in-use by another pod`; older versions say `node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode`), even on the same node. A StatefulSet that wants a volume per replica should use `volumeClaimTemplates`, which give each pod its own claim (`data-web-0`, `data-web-1`, …). Two workloads that must share data need a `ReadWriteMany` class, or must run on one node (a required pod affinity, a `kubernetes.io/hostname` node selector).
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     spec:
    ///       volumes:
    ///         - name: data
    ///           persistentVolumeClaim:
    ///             claimName: data
    /// ```
    /// or a Deployment and a CronJob (a backup job) that both mount the same `ReadWriteOnce` claim.
    ///
    /// ## Fix safety
    /// No fix: a claim template gives each replica empty storage of its own, which is right for databases and wrong for data the replicas must share.
    pub CC406 {
        name: "shared-rwo-claim",
        severity: Warning,
        fix: None,
        summary: "Several pods (one workload's replicas, or different workloads) mount one standalone ReadWriteOnce claim",
    }
}

/// The pods of one workload (or of one controller that is not in the input) that use a claim.
struct Unit<'u, 'o, 'a> {
    first: &'u ClaimUse<'o, 'a>,
    /// How many pods at once: `None` for one per node (a DaemonSet).
    pods: Option<i64>,
    /// How messages name it: "Deployment `api`", "3 Pods of ReplicaSet `api-7d9`".
    label: String,
    /// Where its pods run (the node they are pinned to, pod affinity).
    placement: Placement<'a>,
}

impl Unit<'_, '_, '_> {
    fn many(&self) -> bool {
        self.pods.is_none_or(|n| n > 1)
    }
    /// Its pods described for messages, when there is more than one.
    fn pods_text(&self) -> String {
        match (self.first.kind, self.pods) {
            (_, None) => "the pods it runs on every node".to_string(),
            (WorkloadKind::Job | WorkloadKind::CronJob, Some(n)) => {
                format!("its {n} parallel pods")
            }
            (WorkloadKind::Pod, Some(n)) => format!("{n} pods"),
            (_, Some(n)) => format!("its {n} replicas"),
        }
    }
}

/// CC406: the uses of one standalone claim (`pvc`) by pods of the input.
pub(super) fn shared_claim(ctx: &mut Ctx, usage: &ClaimUsage, pvc: &Object, uses: &[&ClaimUse]) {
    let Some(excl) = exclusive(pvc.node) else {
        return;
    };
    let claim_name = pvc.name.unwrap_or("<unnamed>");
    let mut units: Vec<Unit> = Vec::new();
    let mut seen: HashSet<*const Object> = HashSet::new();
    let mut groups: HashMap<&str, usize> = HashMap::new();
    for u in uses {
        if u.kind == WorkloadKind::PodTemplate
            || usage.owner_in_input(u.user)
            || !seen.insert(std::ptr::from_ref(u.user))
        {
            continue;
        }
        let pods = max_pods(u.user.node, u.kind);
        if pods.is_some_and(|n| n < 1) {
            continue;
        }
        if u.kind == WorkloadKind::Pod {
            if let Some(uid) = controller_uid(u.user) {
                if let Some(&i) = groups.get(uid) {
                    if let Some(unit) = units.get_mut(i) {
                        unit.pods = unit.pods.map(|n| n.saturating_add(1));
                        unit.label =
                            format!("{} Pods of {}", unit.pods.unwrap_or(0), owner_label(u.user));
                        let node = pod_spec_of(u).and_then(pinned_node);
                        if unit.placement.node != node {
                            unit.placement.node = None;
                        }
                    }
                    continue;
                }
                groups.insert(uid, units.len());
            }
        }
        units.push(Unit {
            first: u,
            pods,
            label: ticked(u.user),
            placement: Placement::of(u),
        });
    }
    // ReadWriteOnce allows any number of pods on the node the volume is attached to
    let on_one_node = |units: &[Unit]| {
        excl == Exclusive::Node
            && match units {
                [one] => one.placement.alone_together(),
                several => {
                    let placements: Vec<&Placement> =
                        several.iter().map(|u| &u.placement).collect();
                    all_together(&placements)
                }
            }
    };
    let what_mode = match excl {
        Exclusive::Pod => "ReadWriteOncePod: only one pod in the cluster may use it at a time, so the other pods are never scheduled and stay Pending (even on the same node)",
        Exclusive::Node => "ReadWriteOnce: its volume attaches to one node at a time, so pods scheduled on other nodes hang in ContainerCreating with Multi-Attach errors",
    };
    match units.as_slice() {
        [] => {}
        [one] => {
            if !one.many() || on_one_node(&units) {
                return;
            }
            let u = one.first;
            let what = if u.kind == WorkloadKind::Pod {
                format!(
                    "{} share claim `{claim_name}` (pod volume `{}`)",
                    one.label, u.volume
                )
            } else {
                format!(
                    "{} shares claim `{claim_name}` (pod volume `{}`) among {}",
                    one.label,
                    u.volume,
                    one.pods_text()
                )
            };
            let advice = match u.kind {
                WorkloadKind::StatefulSet => "To give each replica its own volume, move the claim's spec into `volumeClaimTemplates` and drop this pod volume; for data the replicas must share, use a ReadWriteMany class",
                WorkloadKind::DaemonSet => "Use a ReadWriteMany class for shared data, or node-local storage (a hostPath or generic ephemeral volume) for a per-node cache",
                WorkloadKind::Job | WorkloadKind::CronJob => "Run the pods one at a time (`parallelism: 1`) or use a ReadWriteMany class",
                _ => "Run one replica, use a ReadWriteMany class, or use a StatefulSet with a claim template per replica",
            };
            let message = format!("{what}, but the claim is {what_mode}. {advice}");
            ctx.report(u.user, &CC406, &u.claim_pointer(), message, None);
        }
        several => {
            if on_one_node(several) {
                return;
            }
            for (i, unit) in several.iter().enumerate() {
                if !ctx.wants_details(unit.first.user, &CC406) {
                    // only counted past the cap
                    let u = unit.first;
                    ctx.report(u.user, &CC406, &u.claim_pointer(), String::new(), None);
                    continue;
                }
                // at most five others by name, so that the messages stay linear in the input
                let others: Vec<&str> = several
                    .iter()
                    .take(6)
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, o)| o.label.as_str())
                    .take(5)
                    .collect();
                let more = several.len() - 1 - others.len();
                let mut named = others.join(", ");
                if more > 0 {
                    named.push_str(&format!(" and {more} more"));
                }
                let also = if unit.many() {
                    format!(", and {} share it among themselves", unit.pods_text())
                } else {
                    String::new()
                };
                let u = unit.first;
                let verb = if unit.first.kind == WorkloadKind::Pod && unit.pods > Some(1) {
                    "mount"
                } else {
                    "mounts"
                };
                let message = format!(
                    "{} {verb} claim `{claim_name}` (pod volume `{}`), which {} also mount{}{also}, but the claim is {what_mode}. Use a ReadWriteMany class for data several workloads share, or keep their pods on one node (a required pod affinity)",
                    unit.label,
                    u.volume,
                    named,
                    if several.len() == 2 { "s" } else { "" },
                );
                ctx.report(u.user, &CC406, &u.claim_pointer(), message, None);
            }
        }
    }
}

/// "ReplicaSet `api-7d9`" from a Pod's controller reference.
fn owner_label(pod: &Object) -> String {
    let r = pod
        .node
        .path(&["metadata", "ownerReferences"])
        .and_then(crate::source::Node::as_seq)
        .and_then(|refs| {
            refs.iter().find(|r| {
                matches!(
                    r.get("controller").map(|c| &c.value),
                    Some(crate::source::Value::Bool(true))
                )
            })
        });
    let kind = r.and_then(|r| r.str_at(&["kind"])).unwrap_or("controller");
    let name = r.and_then(|r| r.str_at(&["name"])).unwrap_or("<unnamed>");
    format!("{kind} `{name}`")
}

/// "Deployment `api`".
fn ticked(obj: &Object) -> String {
    format!("{} `{}`", obj.kind, obj.name.unwrap_or("<unnamed>"))
}
