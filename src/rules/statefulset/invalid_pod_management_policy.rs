//! CC104 invalid-pod-management-policy: podManagementPolicy is not OrderedReady or Parallel.

use super::REJECTS;
use crate::model::enums::{bad_enum, enum_report};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Checks `spec.podManagementPolicy` against the two values Kubernetes knows, `OrderedReady` (the default) and `Parallel`.
    ///
    /// ## Why is this bad?
    /// The API server rejects any other value ("must be 'OrderedReady' or 'Parallel'"). The values are case-sensitive, so `parallel` is rejected too.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   podManagementPolicy: parallel
    /// ```
    ///
    /// ## Fix safety
    /// When the value differs from a valid one only in letter case or surrounding spaces, it is corrected; this is safe. Other values get a "did you mean" at most.
    pub CC104 {
        name: "invalid-pod-management-policy",
        severity: Error,
        fix: Safe,
        summary: "podManagementPolicy is not OrderedReady or Parallel",
    }
}

// ---------------------------------------------------------------------------------------------
// CC104: podManagementPolicy

pub(super) const POD_MANAGEMENT_POLICIES: &[&str] = &["OrderedReady", "Parallel"];

pub(super) fn check_pod_management_policy(ctx: &mut Ctx, obj: &Object) {
    let node = obj.node.path(&["spec", "podManagementPolicy"]);
    let (Some(node), Some(bad)) = (node, bad_enum(node, POD_MANAGEMENT_POLICIES)) else {
        return;
    };
    let ptr = "/spec/podManagementPolicy";
    let (message, fix_) = enum_report(
        &CC104,
        obj,
        node,
        ptr,
        "podManagementPolicy",
        &bad,
        POD_MANAGEMENT_POLICIES,
        REJECTS,
    );
    ctx.report(obj, &CC104, ptr, message, fix_);
}
