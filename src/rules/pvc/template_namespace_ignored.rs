//! CC217 template-namespace-ignored: A claim template sets metadata.namespace.

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates with a `metadata.namespace`.
    ///
    /// ## Why is this bad?
    /// The controller always creates the claims in the StatefulSet's own namespace and overwrites the template's. When the two differ, the author expects the volumes somewhere they will never be.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///       namespace: storage   # ignored
    /// ```
    ///
    /// ## Fix safety
    /// Removing the field is safe: the claims are created exactly as before.
    pub CC217 {
        name: "template-namespace-ignored",
        severity: Warning,
        fix: Safe,
        summary: "A claim template sets metadata.namespace",
    }
}
