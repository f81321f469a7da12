//! CC109 invalid-service-name: serviceName is not a DNS-1123 label.

crate::declare_rule! {
    /// ## What it does
    /// Checks `spec.serviceName`, the governing Service of the StatefulSet: it must be a DNS-1123 label (lower-case letters, digits and `-`, at most 63 characters).
    ///
    /// ## Why is this bad?
    /// The controller sets each pod's `subdomain` to the service name, and pod validation requires a DNS-1123 label there. Until Kubernetes 1.34 the StatefulSet is accepted and every pod creation fails (`FailedCreate` events); from 1.34 the StatefulSet is rejected. A Service name never contains dots, so `nginx.default.svc` is a mistake too.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceName: nginx.svc
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the name must match an existing Service.
    pub CC109 {
        name: "invalid-service-name",
        severity: Error,
        fix: None,
        summary: "serviceName is not a DNS-1123 label",
    }
}
