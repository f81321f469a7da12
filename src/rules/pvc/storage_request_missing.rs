//! CC209 storage-request-missing: A claim spec without resources.requests.storage.

crate::declare_rule! {
    /// ## What it does
    /// Reports claim specs that do not request storage: `resources`, `resources.requests` or its `storage` key is missing. A `limits.storage` alone does not count, and resource names are case-sensitive (`Storage` is not `storage`). The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation requires the request (`spec.resources[storage]: Required value`): it is the size the provisioner creates. A standalone claim is rejected; for a claim template every claim creation fails.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     limits:
    ///       storage: 1Gi
    /// ```
    /// Move the size under `requests`.
    ///
    /// ## Fix safety
    /// No fix: the size is yours to choose.
    pub CC209 {
        name: "storage-request-missing",
        severity: Error,
        fix: None,
        summary: "A claim spec without resources.requests.storage",
    }
}
