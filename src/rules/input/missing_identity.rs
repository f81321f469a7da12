//! CC006 missing-identity: A document without apiVersion, kind, or a name.

crate::declare_rule! {
    /// ## What it does
    /// Reports documents that are not Kubernetes objects: no `apiVersion`, no `kind`, neither `metadata.name` nor `metadata.generateName`, or a document that is a list or a scalar rather than a mapping.
    ///
    /// ## Why is this bad?
    /// kubectl refuses objects without `apiVersion` or `kind`, and the API server refuses objects without a name (`name or generateName is required`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// spec: {}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: names and kinds cannot be guessed.
    pub CC006 {
        name: "missing-identity",
        severity: Error,
        fix: None,
        summary: "A document without apiVersion, kind, or a name",
    }
}
