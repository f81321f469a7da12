//! CC406 shared-rwo-claim: Several replicas mount one standalone ReadWriteOnce claim.

use crate::diagnostic::Severity;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Finds pod templates of workloads that run more than one pod (a StatefulSet, Deployment, ReplicaSet or ReplicationController with `replicas` above 1, a DaemonSet, a Job or CronJob with `parallelism` above 1) that mount a PersistentVolumeClaim of the input through `persistentVolumeClaim.claimName` when that claim's only access mode is `ReadWriteOnce` or `ReadWriteOncePod`. `ReadWriteOncePod` is an error.
    ///
    /// ## Why is this bad?
    /// All replicas share the one claim. A `ReadWriteOnce` volume can be attached to a single node: replicas that land on other nodes stay in `ContainerCreating` with `Multi-Attach error` events, and they only work when the scheduler happens to put every replica on the same node. A `ReadWriteOncePod` claim can be used by one pod in the whole cluster, so every other replica stays `Pending`. A StatefulSet that wants a volume per replica should use `volumeClaimTemplates`, which give each pod its own claim (`data-web-0`, `data-web-1`, …).
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
    ///
    /// ## Fix safety
    /// No fix: a claim template gives each replica empty storage of its own, which is right for databases and wrong for data the replicas must share.
    pub CC406 {
        name: "shared-rwo-claim",
        severity: Warning,
        fix: None,
        summary: "Several replicas mount one standalone ReadWriteOnce claim",
    }
}

pub(super) const RWO: &str = "ReadWriteOnce";

pub(super) const RWOP: &str = "ReadWriteOncePod";

/// How many pods a workload runs at once, when that is more than one, described for messages.
pub(super) fn many_pods(obj: &Object) -> Option<String> {
    let count = |n: Option<&Node>| n.and_then(Node::as_i64).unwrap_or(1);
    match obj.kind {
        "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController" => {
            let r = count(obj.node.path(&["spec", "replicas"]));
            (r > 1).then(|| format!("its {r} replicas"))
        }
        "DaemonSet" => Some("the pods it runs on every node".into()),
        "Job" => {
            let p = count(obj.node.path(&["spec", "parallelism"]));
            (p > 1).then(|| format!("its {p} parallel pods"))
        }
        "CronJob" => {
            let p = count(
                obj.node
                    .path(&["spec", "jobTemplate", "spec", "parallelism"]),
            );
            (p > 1).then(|| format!("its {p} parallel pods"))
        }
        _ => None,
    }
}

pub(super) fn shared_claim(
    ctx: &mut Ctx,
    obj: &Object,
    pvc: &Object,
    rel: &str,
    volume: &str,
    claim_name: &str,
) {
    let Some(pods) = many_pods(obj) else {
        return;
    };
    let modes: Vec<&str> = pvc
        .node
        .path(&["spec", "accessModes"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect();
    if modes.is_empty() || modes.iter().any(|m| *m != RWO && *m != RWOP) {
        return;
    }
    let what = format!(
        "{} `{}` shares claim `{claim_name}` (pod volume `{volume}`) among {pods}",
        obj.kind,
        obj.name.unwrap_or("<unnamed>")
    );
    let advice = match obj.kind {
        "StatefulSet" => "To give each replica its own volume, move the claim's spec into `volumeClaimTemplates` and drop this pod volume; for data the replicas must share, use a ReadWriteMany class",
        "DaemonSet" => "Use a ReadWriteMany class for shared data, or node-local storage (a hostPath or generic ephemeral volume) for a per-node cache",
        "Job" | "CronJob" => "Run the pods one at a time (`parallelism: 1`) or use a ReadWriteMany class",
        _ => "Run one replica, use a ReadWriteMany class, or use a StatefulSet with a claim template per replica",
    };
    if modes.contains(&RWOP) {
        let message = format!("{what}, but the claim is ReadWriteOncePod: only one pod in the cluster may use it, so the other pods are never scheduled and stay Pending. {advice}");
        ctx.report_as(obj, &CC406, Severity::Error, rel, message, None);
    } else {
        let message = format!("{what}, but the claim is ReadWriteOnce: its volume attaches to one node, so pods scheduled on other nodes hang in ContainerCreating with Multi-Attach errors. {advice}");
        ctx.report(obj, &CC406, rel, message, None);
    }
}
