//! CC208 read-write-once-pod-exclusive: ReadWriteOncePod combined with another access mode.

crate::declare_rule! {
    /// ## What it does
    /// Reports `accessModes` lists that hold `ReadWriteOncePod` together with another supported mode. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// `ReadWriteOncePod` promises that a single pod uses the volume; any other mode contradicts that. Validation forbids the combination (`may not use ReadWriteOncePod with other access modes`): a standalone claim is rejected, and a claim template's claims cannot be created.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [ReadWriteOncePod, ReadWriteOnce]
    /// ```
    ///
    /// ## Fix safety
    /// Keeping only `ReadWriteOncePod` is unsafe: it is the strictest mode and the one that was written deliberately, but you may have wanted the other modes instead.
    pub CC208 {
        name: "read-write-once-pod-exclusive",
        severity: Error,
        fix: Unsafe,
        summary: "ReadWriteOncePod combined with another access mode",
    }
}
