//! CC110 long-name: StatefulSet name longer than 52 characters.

crate::declare_rule! {
    /// ## What it does
    /// Reports StatefulSet names longer than 52 characters (that are otherwise valid), CronJob names longer than 52 and Job names longer than 63.
    ///
    /// ## Why is this bad?
    /// The controller labels every pod it creates with `controller-revision-hash: <name>-<hash>`: the name of the ControllerRevision, which is the StatefulSet's name, a dash and the revision's hash, a 32-bit FNV hash written in decimal and mapped to letters and digits (`rand.SafeEncodeString`), so up to 10 characters. The name is not shortened. A label value may have at most 63 characters, so with a name of 53 characters any hash of 10 characters (about 77% of all hashes) makes the label too long, with 54 characters any hash of 9 or more (about 98%); pod validation then rejects every pod of that revision (`metadata.labels: Invalid value: … must be no more than 63 characters`) and the StatefulSet never gets a pod. Kubernetes does not check this when the StatefulSet is stored (kubernetes/kubernetes#64023, open), in any version.
    ///
    /// A CronJob names each Job `<name>-<scheduled time in minutes since the epoch>` (up to 11 more characters), so `ValidateCronJobCreate` rejects names over 52 characters ("must be no more than 52 characters"). A Job's name becomes the value of its pods' `batch.kubernetes.io/job-name` and `job-name` labels, so a name over 63 characters is rejected; the API server reports it at the pod template's labels (the registry adds them to `spec.template` before validation), so claimcheck reports it both at the name and at `spec.template`.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: my-company-analytics-platform-event-ingestion-primary-store
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a StatefulSet cannot be renamed; a shorter name is a new StatefulSet, with new claims.
    pub CC110 {
        name: "long-name",
        severity: Error,
        fix: None,
        summary: "A StatefulSet or CronJob name longer than 52 characters, or a Job name longer than 63: a label derived from it overflows",
    }
}
