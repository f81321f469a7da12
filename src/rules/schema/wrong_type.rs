//! CC004 wrong-type: A value of the wrong JSON type for its field.

crate::declare_rule! {
    /// ## What it does
    /// Reports values whose JSON type differs from the field's type: `replicas: "3"`, `accessModes: ReadWriteOnce` (a string where a list is expected), `volumeClaimTemplates` written as a map.
    ///
    /// ## Why is this bad?
    /// The API server cannot decode the object (`cannot unmarshal string into Go struct field ... of type int32`) and rejects it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: "3"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe coercions are offered where no information is lost: a quoted integer becomes a number, a single string becomes a one-item list, a number becomes the string that was written.
    pub CC004 {
        name: "wrong-type",
        severity: Error,
        fix: Unsafe,
        summary: "A value of the wrong JSON type for its field",
    }
}
