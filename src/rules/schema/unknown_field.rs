//! CC003 unknown-field: A field that the schema of the object's kind does not define.

crate::declare_rule! {
    /// ## What it does
    /// Checks every field of StatefulSets, PersistentVolumeClaims and the other kinds with a pod template (Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate) against the schema of the Kubernetes API types and reports fields that do not exist, with a "did you mean" for near misses such as `mountpath`, `acessModes` or `volumeClaimTemplate`.
    ///
    /// A snake_case name whose camelCase form is a known field at that place (`access_modes`, `storage_class_name`) is the spelling an SDK written in Python leaks — for instance Pulumi's `pvc.spec` placed in a raw dictionary — and gets that field as its suggestion; at the top of a claim template the camelCase forms of PVC spec fields count too (CC201 then moves them under `spec:`).
    ///
    /// ## Why is this bad?
    /// kubectl's default strict field validation rejects the whole object (`unknown field`). With validation turned off the field is silently dropped: a misspelt `acessModes` leaves the claim without access modes and a misspelt `volumeMounts` leaves the container without its volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data
    /// ```
    /// Use `mountPath`.
    ///
    /// ## Fix safety
    /// The rename from snake_case to the camelCase form of the same words is safe: it is the only field those words can name. Other renames to the suggested field are unsafe: the suggestion is a guess from spelling. A rename is only offered when the suggested field is not already set.
    pub CC003 {
        name: "unknown-field",
        severity: Error,
        fix: Sometimes,
        summary: "A field that the schema of the object's kind does not define",
    }
}
