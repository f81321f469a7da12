//! CC108 invalid-name: The StatefulSet name is not a DNS-1123 label, or its pod names exceed 63 characters.

crate::declare_rule! {
    /// ## What it does
    /// Checks the StatefulSet's `metadata.name` (or `generateName`): it must be a DNS-1123 label (lower-case letters, digits and `-`, at most 63 characters), and `<name>-<ordinal>` must stay within 63 characters for the largest ordinal (`ordinals.start + replicas - 1`). The names of the other workload kinds (Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate) must be DNS-1123 subdomains (dots allowed, at most 253 characters); their length limits beyond that are CC110's.
    ///
    /// ## Why is this bad?
    /// The API server rejects a name that is not a DNS-1123 label (capitals, dots, more than 63 characters). Each pod is named `<name>-<ordinal>`, and that name is also the pod's hostname and the value of its `statefulset.kubernetes.io/pod-name` label, both limited to 63 characters: with a longer name the controller cannot create the pod.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: Web.v1
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a StatefulSet creates a new one, with new claims.
    pub CC108 {
        name: "invalid-name",
        severity: Error,
        fix: None,
        summary: "A workload's name is not valid for its kind (a StatefulSet's: a DNS-1123 label whose pod names fit in 63 characters)",
    }
}
