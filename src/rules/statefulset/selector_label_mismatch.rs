//! CC102 selector-label-mismatch: The selector does not select the pod template's labels.

crate::declare_rule! {
    /// ## What it does
    /// Evaluates `spec.selector` of a StatefulSet, Deployment, ReplicaSet, DaemonSet, ReplicationController or a Job with `manualSelector: true` (both `matchLabels` and `matchExpressions`, with Kubernetes' semantics for `In`, `NotIn`, `Exists` and `DoesNotExist`) against the labels of the pod template and reports when the template's pods would not be selected. A missing selector selects nothing, so Kubernetes reports this as well as CC101.
    ///
    /// ## Why is this bad?
    /// The API server rejects the object ("`selector` does not match template `labels`"): a controller whose selector does not cover its own pods would create pods forever. Typical causes are a label renamed in one place only, a template without `metadata.labels`, or a misspelt `labels` key in the template.
    ///
    /// ## Example
    /// ```yaml
    /// selector:
    ///   matchLabels:
    ///     app: web
    /// template:
    ///   metadata:
    ///     labels:
    ///       app: nginx
    /// ```
    ///
    /// ## Fix safety
    /// When the only problem is that the template lacks some `matchLabels` keys, the fix adds them to the template's labels. It is unsafe: the selector is immutable after creation while the template is not, so adding labels to the template is usually right, but the author may have meant to change the selector instead.
    pub CC102 {
        name: "selector-label-mismatch",
        severity: Error,
        fix: Unsafe,
        summary: "The selector does not select the pod template's labels",
    }
}
