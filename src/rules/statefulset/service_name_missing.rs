//! CC111 service-name-missing: No serviceName: the pods get no stable network identity.

crate::declare_rule! {
    /// ## What it does
    /// Warns about StatefulSets without `spec.serviceName` (or with an empty one).
    ///
    /// ## Why is this bad?
    /// Kubernetes accepts it, but the pods get no `subdomain`, so there are no stable DNS names such as `web-0.nginx.default.svc.cluster.local`: peers of a database or consensus cluster cannot find each other, one of the main reasons to use a StatefulSet. The field cannot be changed after creation, so adding it later means re-creating the StatefulSet.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: 3
    ///   # no serviceName
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `serviceName` to the StatefulSet's name, which is a guess; it is unsafe. A headless Service of that name must then exist (CC401 reports it when the input does not hold it).
    pub CC111 {
        name: "service-name-missing",
        severity: Warning,
        fix: Unsafe,
        summary: "No serviceName: the pods get no stable network identity",
    }
}
