//! CC308 volume-name-duplicate: Two pod volumes share a name.

crate::declare_rule! {
    /// ## What it does
    /// Finds pod volumes (`spec.template.spec.volumes`, or wherever the kind keeps its pod spec) whose name repeats an earlier volume's name. Volumes named like a claim template are left to CC304, since the controller drops them.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`volumes[1].name: Duplicate value: "cache"`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. Merged Helm values or Kustomize patches often produce the repeat. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: cache
    ///     emptyDir: {}
    ///   - name: cache
    ///     emptyDir:
    ///       medium: Memory
    /// ```
    ///
    /// ## Fix safety
    /// No fix: keep the one that is meant, or rename one and its mounts.
    pub CC308 {
        name: "volume-name-duplicate",
        severity: Error,
        fix: None,
        summary: "Two pod volumes share a name",
    }
}
