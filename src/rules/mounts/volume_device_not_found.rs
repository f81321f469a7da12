//! CC302 volume-device-not-found: A volumeDevice names no claim-backed volume.

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `volumeDevices[].name` (raw block devices) names a claim template or a pod volume backed by a claim (`persistentVolumeClaim` or `ephemeral`). A device that names nothing, or names an `emptyDir`, `configMap`, `hostPath` or other volume, is reported.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod: `volumeDevices[0].name: Not found`, or `can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode`. Before Kubernetes 1.34 the StatefulSet is accepted and every pod creation fails; from 1.34 the StatefulSet is rejected. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeDevices:
    ///       - name: raw        # no volume or claim template is called `raw`
    ///         devicePath: /dev/xvdb
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: block
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// Renaming the device is unsafe: it is offered only when the name is close to a claim-backed volume that nothing else uses.
    pub CC302 {
        name: "volume-device-not-found",
        severity: Error,
        fix: Unsafe,
        summary: "A volumeDevice names no claim-backed volume",
    }
}
