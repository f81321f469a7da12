//! CC205 access-modes-missing: A claim spec without access modes.

crate::declare_rule! {
    /// ## What it does
    /// Reports claim specs (of claim templates and standalone PersistentVolumeClaims) whose `accessModes` is missing, `null` or an empty list. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation requires at least one access mode (`at least 1 access mode is required`). The API server rejects a standalone claim; for a claim template the StatefulSet is accepted (before Kubernetes 1.34) and then every claim creation fails, so no pod starts.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   resources:
    ///     requests:
    ///       storage: 1Gi
    /// ```
    /// Add `accessModes: [ReadWriteOnce]`.
    ///
    /// ## Fix safety
    /// Adding `[ReadWriteOnce]` is unsafe: it is the most common mode, but a shared volume needs `ReadWriteMany` or `ReadOnlyMany`.
    pub CC205 {
        name: "access-modes-missing",
        severity: Error,
        fix: Unsafe,
        summary: "A claim spec without access modes",
    }
}
