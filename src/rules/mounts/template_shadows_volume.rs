//! CC304 template-shadows-volume: A claim template and a pod volume share a name.

crate::declare_rule! {
    /// ## What it does
    /// Finds pod volumes (`spec.template.spec.volumes`) whose name is also the name of a claim template.
    ///
    /// ## Why is this bad?
    /// When the controller builds a pod it adds one volume per claim template and drops every pod volume of the same name, without a word. Whatever the pod volume says (an `emptyDir`, a ConfigMap, a claim name) is ignored, so a reader of the manifest is misled about what the containers get.
    ///
    /// ## Example
    /// ```yaml
    /// template:
    ///   spec:
    ///     volumes:
    ///       - name: data
    ///         emptyDir: {}     # ignored: the claim template `data` wins
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    /// ```
    ///
    /// ## Fix safety
    /// No fix: remove the pod volume, or rename one of the two and its mounts.
    pub CC304 {
        name: "template-shadows-volume",
        severity: Warning,
        fix: None,
        summary: "A claim template and a pod volume share a name",
    }
}
