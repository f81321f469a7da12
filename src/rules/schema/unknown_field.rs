//! CC003 unknown-field: A field that the StatefulSet or PersistentVolumeClaim schema does not define.

crate::declare_rule! {
    /// ## What it does
    /// Checks every field of StatefulSets and PersistentVolumeClaims against the schema of the Kubernetes API types and reports fields that do not exist, with a "did you mean" for near misses such as `mountpath`, `acessModes` or `volumeClaimTemplate`.
    ///
    /// ## Why is this bad?
    /// kubectl's default strict field validation rejects the whole object (`unknown field`). With validation turned off the field is silently dropped: a misspelt `acessModes` leaves the claim without access modes and a misspelt `volumeMounts` leaves the container without its volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data
    /// ```
    /// Use `mountPath`.
    ///
    /// ## Fix safety
    /// The rename to the suggested field is unsafe: the suggestion is a guess from spelling, and it is only offered when exactly one known field is close and it is not already set.
    pub CC003 {
        name: "unknown-field",
        severity: Error,
        fix: Unsafe,
        summary: "A field that the StatefulSet or PersistentVolumeClaim schema does not define",
    }
}
