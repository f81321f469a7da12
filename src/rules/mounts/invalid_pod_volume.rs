//! CC310 invalid-pod-volume: A pod volume that pod validation rejects.

crate::declare_rule! {
    /// ## What it does
    /// Checks the pod volumes of a workload's pod template the way pod validation does: a DNS-1123 label as name, at most one volume source, and the required fields of the common sources (`configMap.name`, `secret.secretName`, `persistentVolumeClaim.claimName`, `hostPath.path`, `nfs.server` and an absolute `nfs.path`, `csi.driver`, `ephemeral.volumeClaimTemplate`), relative item paths without `..`, file modes within `0777`, a non-negative `emptyDir.sizeLimit`, and an ephemeral volume's claim template whose `metadata` sets anything but `labels` and `annotations` (`cannot be set for a template`) or has an invalid label or annotation key or label value (faults of its claim spec are the claim rules', CC205–CC216).
    ///
    /// ## Why is this bad?
    /// Before Kubernetes 1.34 the API server does not validate a StatefulSet's pod template: it stores the StatefulSet, and the controller then fails to create every pod (`volumes[0].configMap.name: Required value`). From 1.34 the StatefulSet is rejected. A mount of the broken volume also fails (CC301), since Kubernetes drops the volume. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: config
    ///     configMap: {}      # which ConfigMap?
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the missing values are the author's to choose.
    pub CC310 {
        name: "invalid-pod-volume",
        severity: Error,
        fix: None,
        summary: "A pod volume that pod validation rejects",
    }
}
