//! CC001 parse-error: The text is not valid YAML or JSON, or exceeds a reading limit.

crate::declare_rule! {
    /// ## What it does
    /// Reports YAML or JSON syntax errors, with the line and column where reading stopped, and input that exceeds claimcheck's limits (size, nesting depth, alias expansion).
    ///
    /// ## Why is this bad?
    /// kubectl cannot read the file at all, so nothing in it is applied. Documents before the error are still checked.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector: {matchLabels: {app: web}
    /// ```
    /// The flow mapping is never closed.
    ///
    /// ## Fix safety
    /// No fix: the intent of broken syntax cannot be known.
    pub CC001 {
        name: "parse-error",
        severity: Error,
        fix: None,
        summary: "The text is not valid YAML or JSON, or exceeds a reading limit",
    }
}
