//! CC204 template-name-duplicate: Two claim templates share a name.

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates whose `metadata.name` repeats the name of an earlier template.
    ///
    /// ## Why is this bad?
    /// The API server accepts it, but the controller keeps one claim per template name: the last template with the name wins and the others are silently ignored. A volume you expect (and perhaps size or class you chose) never exists.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata: {name: data}
    ///     spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    ///   - metadata: {name: data}   # meant `logs`?
    ///     spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only you know which name the second template should have.
    pub CC204 {
        name: "template-name-duplicate",
        severity: Warning,
        fix: None,
        summary: "Two claim templates share a name",
    }
}
