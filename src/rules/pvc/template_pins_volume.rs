//! CC218 template-pins-volume: A claim template sets spec.volumeName or carries a claim's status.

// RULES.md lists this rule as an error; Kubernetes' verdicts (the claims are created) make
// it a warning — see the report of the change that added it.
crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates that pin `spec.volumeName`, and templates carrying a `status` with more than the `phase: Pending` that the API server writes into exported StatefulSets (a sign that a live claim was copied in).
    ///
    /// ## Why is this bad?
    /// Every replica's claim asks for the same PersistentVolume. The claims are created, but a volume binds to one claim only: the first replica gets it and the others stay Pending forever, and so do their pods. A copied `status` is dropped by the API server and only misleads readers.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata: {name: data}
    ///     spec:
    ///       volumeName: pv-0001   # one volume for all replicas
    /// ```
    /// Let a StorageClass provision one volume per replica, or select pre-provisioned volumes with a `selector`.
    ///
    /// ## Fix safety
    /// Removing `volumeName` (or `status`) is unsafe: with a single replica pinning a volume can be deliberate, and without the pin the claim may bind to another volume or provision a new one.
    pub CC218 {
        name: "template-pins-volume",
        severity: Warning,
        fix: Unsafe,
        summary: "A claim template sets spec.volumeName or carries a claim's status",
    }
}
