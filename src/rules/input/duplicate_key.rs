//! CC002 duplicate-key: A mapping repeats a key.

crate::declare_rule! {
    /// ## What it does
    /// Finds a key written twice in the same mapping.
    ///
    /// ## Why is this bad?
    /// With strict field validation (kubectl's default) the API server rejects the object (`duplicate field`). Tools that accept it silently keep the last value, so the first one is lost without a word.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 1Gi
    ///     storage: 10Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two values was meant is unknown.
    pub CC002 {
        name: "duplicate-key",
        severity: Error,
        fix: None,
        summary: "A mapping repeats a key",
    }
}
