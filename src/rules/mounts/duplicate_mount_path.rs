//! CC303 duplicate-mount-path: Two mounts of one container share a mountPath.

crate::declare_rule! {
    /// ## What it does
    /// Finds two `volumeMounts` of the same container with the same `mountPath`, a `devicePath` used twice, and a path used both as a `mountPath` and a `devicePath`. When two mount paths differ only by a trailing slash (`/data` and `/data/`) it reports a warning instead.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects identical paths (`mountPath: Invalid value: "/data": must be unique`), so the controller cannot create any pod (from Kubernetes 1.34 the StatefulSet itself is rejected). Paths that differ only by a trailing slash pass validation but name the same directory: one volume hides the other, or the container fails to start. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /var/lib/app
    ///   - name: cache
    ///     mountPath: /var/lib/app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two mounts should move is the author's decision.
    pub CC303 {
        name: "duplicate-mount-path",
        severity: Error,
        fix: None,
        summary: "Two mounts of one container share a mountPath",
    }
}
