//! CC504 claim-immutable-field: An update changes a PersistentVolumeClaim field that cannot change.

crate::declare_rule! {
    /// ## What it does
    /// Compares a PersistentVolumeClaim with its live version and reports each changed spec field other than those Kubernetes lets an update change: the storage request of a bound claim, `volumeAttributesClassName`, `volumeName` while the claim is not yet bound to a volume, and `storageClassName` when the live claim has none. A changed `metadata.name` or `metadata.namespace` is reported too. A field that the new manifest leaves out while the live claim has it (`volumeName`, `storageClassName`, filled in by the cluster) counts as unchanged, as `kubectl apply` keeps it.
    ///
    /// ## Why is this bad?
    /// The API server rejects the update (`spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims`). A claim still Pending cannot even be resized.
    ///
    /// ## Example
    /// Live claim, bound:
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 5Gi
    /// status:
    ///   phase: Bound
    ///   capacity:
    ///     storage: 5Gi
    /// ```
    /// New manifest: `accessModes: [ReadWriteMany]`.
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteMany]
    ///   resources:
    ///     requests:
    ///       storage: 5Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a claim with other access modes, class or volume mode is a new claim; create it and move the data.
    pub CC504 {
        name: "claim-immutable-field",
        severity: Error,
        fix: None,
        summary: "An update changes a PersistentVolumeClaim field that cannot change",
    }
}
