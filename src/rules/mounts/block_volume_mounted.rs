//! CC309 block-volume-mounted: A volume mounted and attached as a device at once, or a volume mode that does not fit its use.

crate::declare_rule! {
    /// ## What it does
    /// Reports a volume that one container lists both in `volumeMounts` and in `volumeDevices` (an error: pod validation rejects it), and, as a warning, a claim template with `volumeMode: Block` used in `volumeMounts` or a `Filesystem` claim template (the default mode) used in `volumeDevices`.
    ///
    /// ## Why is this bad?
    /// A volume is either a file system mounted at a directory or a raw block device; pod validation refuses a pod that asks for both (`must not already exist in volumeDevices`), so no pod is created. A mode mismatch passes validation, but the kubelet cannot set up the volume and the pod never starts. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeMounts:
    ///       - name: raw          # a Block claim: use volumeDevices
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: raw
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// No fix: moving between `volumeMounts` and `volumeDevices` changes what the application sees.
    pub CC309 {
        name: "block-volume-mounted",
        severity: Error,
        fix: None,
        summary: "A volume mounted and attached as a device at once, or a volume mode that does not fit its use",
    }
}
