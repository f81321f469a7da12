//! CC101 selector-missing: spec.selector is absent or selects nothing in particular.

crate::declare_rule! {
    /// ## What it does
    /// Reports a StatefulSet, Deployment, ReplicaSet or DaemonSet (or a Job with `manualSelector: true`) without `spec.selector`, or with a selector that has neither `matchLabels` nor `matchExpressions` (including one whose only key is misspelt, such as `matchlabels`).
    ///
    /// ## Why is this bad?
    /// `apps/v1` requires the selector, and the API server rejects an empty one ("empty selector is invalid for statefulset", "… for deployment", "… for daemonset"): the object would otherwise claim every pod of the namespace. A ReplicationController's selector defaults to its template's labels, so it is reported only when the template has none either. Manifests converted from `apps/v1beta1`, where the selector was derived from the template, often lack it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceName: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    /// ```
    /// Add
    /// ```yaml
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes a `matchLabels` with the pod template's labels, which is exactly what the selector of an `apps/v1beta1` StatefulSet defaulted to. It is offered only when the template has labels and they are all valid, and only when the selector is absent or written as an empty mapping.
    pub CC101 {
        name: "selector-missing",
        severity: Error,
        fix: Safe,
        summary: "spec.selector is absent or selects nothing in particular",
    }
}
