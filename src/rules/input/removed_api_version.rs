//! CC005 removed-api-version: A workload or PVC under an API version that the API server no longer serves.

crate::declare_rule! {
    /// ## What it does
    /// Finds StatefulSets written as `apps/v1beta1` or `apps/v1beta2` (removed in Kubernetes 1.16) and other removed group versions of the kinds claimcheck checks: Deployments, ReplicaSets and DaemonSets under `extensions/v1beta1`, `apps/v1beta1` or `apps/v1beta2` (1.16), CronJobs under `batch/v1beta1` (1.25) or `batch/v2alpha1`.
    ///
    /// ## Why is this bad?
    /// The API server answers `no matches for kind "StatefulSet" in version "apps/v1beta2"`: nothing is created.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1beta2
    /// kind: StatefulSet
    /// ```
    /// Use `apps/v1`, which also requires `spec.selector`.
    ///
    /// ## Fix safety
    /// No automatic fix yet: moving to `apps/v1` may need a selector that must match the pod labels.
    pub CC005 {
        name: "removed-api-version",
        severity: Error,
        fix: None,
        summary: "A workload or PVC under an API version that the API server no longer serves",
    }
}
