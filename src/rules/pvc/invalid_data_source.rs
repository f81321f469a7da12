//! CC215 invalid-data-source: A dataSource or dataSourceRef that validation rejects.

use super::Claim;
use crate::model::claim_spec::{data_source_faults, data_source_faults_as_submitted};
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks `dataSource` and `dataSourceRef` of claim specs the way the API server does after its own adjustments: a `dataSource` that is neither a PersistentVolumeClaim nor a `snapshot.storage.k8s.io` VolumeSnapshot is dropped when no `dataSourceRef` is set, then each field is copied into the other when only one is set. What remains must have a `kind` and a `name`, a `kind` of `PersistentVolumeClaim` when `apiGroup` is empty, an `apiGroup` that is a DNS subdomain, and the two must name the same object. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// The API server rejects a standalone claim; for a claim template every claim creation fails. A common slip is `kind: VolumeSnapshot` in a `dataSourceRef` without `apiGroup: snapshot.storage.k8s.io`.
    ///
    /// ## Example
    /// ```yaml
    /// dataSourceRef:
    ///   kind: VolumeSnapshot
    ///   name: db-snap
    /// ```
    /// Add `apiGroup: snapshot.storage.k8s.io`.
    ///
    /// ## Fix safety
    /// No fix: the message says what is missing, but which object to clone from is yours to decide.
    pub CC215 {
        name: "invalid-data-source",
        severity: Error,
        fix: None,
        summary: "A dataSource or dataSourceRef that validation rejects",
    }
}

// ---------------------------------------------------------------------------------------------
// dataSource / dataSourceRef (CC215)

pub(super) fn check_data_source(ctx: &mut Ctx, obj: &Object, c: &Claim, spec: &Node) {
    // pointer → message; one diagnostic per place even when both fields carry the fault
    let faults = if c.ephemeral {
        data_source_faults_as_submitted(spec)
    } else {
        data_source_faults(spec)
    };
    for (rel, what) in faults {
        let message = format!("{}: {what}. {}.", c.label(), c.consequence);
        ctx.report(obj, &CC215, &c.ptr(&rel), message, None);
    }
}
