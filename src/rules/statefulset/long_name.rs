//! CC110 long-name: StatefulSet name longer than 52 characters.

crate::declare_rule! {
    /// ## What it does
    /// Warns about StatefulSet names longer than 52 characters (that are otherwise valid).
    ///
    /// ## Why is this bad?
    /// The controller labels every pod with `controller-revision-hash: <name>-<hash>`, where the hash has up to 10 characters. Label values are limited to 63 characters, so with a longer name the label can overflow and the controller's pod creation for a revision fails, typically at the first rollout. Kubernetes does not check this when the StatefulSet is stored.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: my-company-analytics-platform-event-ingestion-primary-store
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a StatefulSet creates a new one, with new claims.
    pub CC110 {
        name: "long-name",
        severity: Warning,
        fix: None,
        summary: "StatefulSet name longer than 52 characters",
    }
}
