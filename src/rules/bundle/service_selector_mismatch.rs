//! CC403 service-selector-mismatch: The governing Service does not select the StatefulSet's pods.

crate::declare_rule! {
    /// ## What it does
    /// Compares the selector of the Service named by a StatefulSet's `serviceName` with the labels of the StatefulSet's pod template, and reports a Service that has no selector or whose selector asks for a label the pods do not carry (or carry with another value).
    ///
    /// ## Why is this bad?
    /// The endpoints of a Service, and with them the per-pod DNS records of a headless Service, come from the pods its selector matches. If the selector misses the StatefulSet's pods, `web-0.web` does not resolve and peers cannot find each other, although every pod is running. A Service without selector gets no endpoints at all unless someone maintains them by hand.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: nginx      # the pods are labelled app: web
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either the selector or the pod labels may be the one that is wrong, and changing pod labels also touches the StatefulSet's own selector.
    pub CC403 {
        name: "service-selector-mismatch",
        severity: Warning,
        fix: None,
        summary: "The governing Service does not select the StatefulSet's pods",
    }
}
