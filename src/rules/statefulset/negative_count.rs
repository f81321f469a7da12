//! CC103 negative-count: replicas, minReadySeconds, ordinals.start or rollingUpdate.partition below 0.

use super::REJECTS;

use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Reports negative values of `spec.replicas`, `spec.minReadySeconds`, `spec.ordinals.start` and `spec.updateStrategy.rollingUpdate.partition` of a StatefulSet, and the counts the other kinds validate the same way: a Deployment's `replicas`, `minReadySeconds`, `revisionHistoryLimit` and `progressDeadlineSeconds` (which must also exceed `minReadySeconds`), a ReplicaSet's or ReplicationController's `replicas` and `minReadySeconds`, a DaemonSet's `minReadySeconds` and `revisionHistoryLimit`, a Job's `parallelism`, `completions`, `activeDeadlineSeconds`, `backoffLimit`, `backoffLimitPerIndex`, `maxFailedIndexes` and `ttlSecondsAfterFinished`, a CronJob's `startingDeadlineSeconds`, history limits and its job template's counts.
    ///
    /// ## Why is this bad?
    /// The API server rejects each of them ("must be greater than or equal to 0"). Negative values usually come from templating arithmetic. (A StatefulSet's `revisionHistoryLimit: -1` is not reported: Kubernetes accepts it, with a warning, and keeps every revision; a Deployment's or DaemonSet's is rejected.)
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: -1
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the intended number is unknown.
    pub CC103 {
        name: "negative-count",
        severity: Error,
        fix: None,
        summary: "A count the API server requires to be 0 or more (replicas, minReadySeconds, parallelism, backoffLimit, …) is negative",
    }
}

/// An integer field, as Go decodes it (`None` when absent, null or of another type).
pub(super) fn int_at(n: &Node, path: &[&str]) -> Option<i64> {
    n.path(path)?.as_i64()
}

// ---------------------------------------------------------------------------------------------
// CC103: counts

pub(super) fn check_counts(ctx: &mut Ctx, obj: &Object) {
    let Some(spec) = obj.node.get("spec") else {
        return;
    };
    let fields: [(&[&str], &str, &str); 3] = [
        (&["replicas"], "/spec/replicas", "`replicas`"),
        (
            &["minReadySeconds"],
            "/spec/minReadySeconds",
            "`minReadySeconds`",
        ),
        (
            &["ordinals", "start"],
            "/spec/ordinals/start",
            "`ordinals.start`",
        ),
    ];
    for (path, ptr, what) in fields {
        if let Some(n) = int_at(spec, path).filter(|n| *n < 0) {
            ctx.report(
                obj,
                &CC103,
                ptr,
                format!("{what} is {n}, but it must be 0 or more. {REJECTS}"),
                None,
            );
        }
    }
}
