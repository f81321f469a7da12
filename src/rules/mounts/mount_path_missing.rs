//! CC307 mount-path-missing: A volumeMount without mountPath, or a volumeDevice without devicePath.

crate::declare_rule! {
    /// ## What it does
    /// Finds volumeMounts whose `mountPath` is missing or empty and volumeDevices whose `devicePath` is missing or empty. A misspelt key (`mountpath`, `path`) counts as missing, since the API server does not read it.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`volumeMounts[0].mountPath: Required value`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data   # the key is `mountPath`
    /// ```
    ///
    /// ## Fix safety
    /// No fix here; CC003 offers the rename of a misspelt key.
    pub CC307 {
        name: "mount-path-missing",
        severity: Error,
        fix: None,
        summary: "A volumeMount without mountPath, or a volumeDevice without devicePath",
    }
}
