//! CC207 access-mode-duplicate: The same access mode listed twice.

crate::declare_rule! {
    /// ## What it does
    /// Finds an access mode that appears more than once in `accessModes`. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// The API server accepts it and the repeat means nothing. It often hides a mistake: the author meant a different second mode, or a merge of two manifests went wrong.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [ReadWriteOnce, ReadWriteOnce]
    /// ```
    ///
    /// ## Fix safety
    /// Removing the repeat is safe: a list with the mode once means exactly the same.
    pub CC207 {
        name: "access-mode-duplicate",
        severity: Warning,
        fix: Safe,
        summary: "The same access mode listed twice",
    }
}
