//! CC503 claim-shrink: An update lowers a bound claim's storage request where Kubernetes forbids it.

crate::declare_rule! {
    /// ## What it does
    /// Reports a bound PersistentVolumeClaim whose new `resources.requests.storage` is below the live request, where Kubernetes refuses it: from Kubernetes 1.32 when the new request is at or below the capacity recorded in the live claim's `status.capacity` (a request may only come down to recover from a failed expansion, and stay above the capacity); before 1.32 whenever it is below the old request.
    ///
    /// ## Why is this bad?
    /// Volumes cannot shrink. The API server rejects the update (`spec.resources.requests.storage: Forbidden: field can not be less than status.capacity`), and a GitOps tool keeps retrying it.
    ///
    /// ## Example
    /// Live claim, bound, with `status.capacity.storage: 5Gi`:
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
    /// New manifest: `requests.storage: 2Gi`.
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 2Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: to use less space, create a smaller claim and copy the data.
    pub CC503 {
        name: "claim-shrink",
        severity: Error,
        fix: None,
        summary: "An update lowers a bound claim's storage request where Kubernetes forbids it",
    }
}
