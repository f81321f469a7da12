//! CC206 access-mode-invalid: An access mode that Kubernetes does not know.

crate::declare_rule! {
    /// ## What it does
    /// Checks each entry of `accessModes` against the four modes Kubernetes supports: `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` and `ReadWriteOncePod`. It recognises the short forms that `kubectl get pvc` prints (`RWO`, `ROX`, `RWX`, `RWOP`), wrong letter case, stray spaces and several modes written in one string. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation rejects any other value (`Unsupported value`). A standalone claim is refused; for a claim template every claim creation fails.
    ///
    /// ## Example
    /// ```yaml
    /// accessModes: [RWO]
    /// ```
    /// Write `ReadWriteOnce`.
    ///
    /// ## Fix safety
    /// The fix is safe when only letter case or surrounding spaces differ, since the meaning is certain. Expanding a short form, correcting a typo or splitting `ReadWriteOnce,ReadOnlyMany` into two entries is unsafe: it is the likely intent, not the only one.
    pub CC206 {
        name: "access-mode-invalid",
        severity: Error,
        fix: Sometimes,
        summary: "An access mode that Kubernetes does not know",
    }
}
