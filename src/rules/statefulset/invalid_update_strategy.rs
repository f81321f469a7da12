//! CC105 invalid-update-strategy: updateStrategy with an unknown type, rollingUpdate with OnDelete, or an invalid maxUnavailable.

crate::declare_rule! {
    /// ## What it does
    /// Checks a StatefulSet's `spec.updateStrategy`: `type` must be `RollingUpdate` (the default) or `OnDelete`; `rollingUpdate` is only allowed with `RollingUpdate`; `rollingUpdate.maxUnavailable` must be a positive number or a percentage from 1% to 100%. Checks a Deployment's `spec.strategy` the same way (`Recreate` or `RollingUpdate`; no `rollingUpdate` with `Recreate`; `maxUnavailable` and `maxSurge` non-negative numbers or percentages, `maxUnavailable` at most 100%, not both 0) and a DaemonSet's `spec.updateStrategy` (`RollingUpdate` or `OnDelete`; exactly one of `maxUnavailable` (default 1) and `maxSurge` (default 0) non-zero, neither above 100%).
    ///
    /// ## Why is this bad?
    /// The API server rejects the object. `type: Rolling` or `RollingUpdates` are common slips; a `rollingUpdate.partition` left over after switching to `OnDelete` is rejected too ("only allowed for updateStrategy 'RollingUpdate'").
    ///
    /// ## Example
    /// ```yaml
    /// updateStrategy:
    ///   type: OnDelete
    ///   rollingUpdate:
    ///     partition: 2
    /// ```
    ///
    /// ## Fix safety
    /// A `type` that differs from a valid one only in letter case or surrounding spaces is corrected (safe). Removing `rollingUpdate` next to `OnDelete` is unsafe: the author may rather have meant `RollingUpdate` with a partition.
    pub CC105 {
        name: "invalid-update-strategy",
        severity: Error,
        fix: Sometimes,
        summary: "An update strategy (a StatefulSet's or DaemonSet's updateStrategy, a Deployment's strategy) that the API server rejects",
    }
}
