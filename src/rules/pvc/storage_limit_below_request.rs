//! CC211 storage-limit-below-request: A storage limit below the storage request, or negative.

crate::declare_rule! {
    /// ## What it does
    /// Compares `resources.limits.storage` with `resources.requests.storage` and reports a limit that is smaller than the request, or negative. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind.
    ///
    /// ## Why is this bad?
    /// The API server does not check storage limits, so the claim is accepted, but a volume cannot be both at least the request and at most the limit. Provisioners use the request and ignore the limit; the limit only misleads readers and quota tooling.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 2Gi
    ///   limits:
    ///     storage: 1Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either number may be the mistake.
    pub CC211 {
        name: "storage-limit-below-request",
        severity: Warning,
        fix: None,
        summary: "A storage limit below the storage request, or negative",
    }
}
