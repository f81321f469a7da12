//! CC210 storage-request-not-positive: A storage request of zero or less.

crate::declare_rule! {
    /// ## What it does
    /// Reports a `resources.requests.storage` that is zero or negative, including the forms that decode to zero: `null`, and a unit without digits such as `Gi`. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation requires the request to be greater than zero (`must be greater than zero`). A standalone claim is rejected; for a claim template every claim creation fails.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: Gi   # meant 1Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the size is yours to choose.
    pub CC210 {
        name: "storage-request-not-positive",
        severity: Error,
        fix: None,
        summary: "A storage request of zero or less",
    }
}
