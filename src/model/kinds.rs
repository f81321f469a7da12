//! What the API server requires of each workload kind's own spec (not its pod spec): the
//! fields of the spec, how its name is validated, which counts must not be negative, which
//! `restartPolicy` its pod template may use and how its selector is set. Facts from
//! `pkg/apis/apps/validation`, `pkg/apis/batch/validation` and `pkg/apis/core/validation`
//! (ValidateReplicationController, ValidatePodTemplate, ValidatePod) of Kubernetes 1.29–1.35.

use crate::model::workload::WorkloadKind;

/// Fields of a StatefulSet spec.
pub const STATEFULSET_SPEC_FIELDS: [&str; 11] = [
    "replicas",
    "selector",
    "template",
    "volumeClaimTemplates",
    "serviceName",
    "podManagementPolicy",
    "updateStrategy",
    "revisionHistoryLimit",
    "minReadySeconds",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
];

/// The fields of each kind's `spec` (fixes that add a field are withheld when an unknown field
/// may be a misspelling of it).
pub fn spec_fields(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::StatefulSet => &STATEFULSET_SPEC_FIELDS,
        WorkloadKind::Deployment => &[
            "replicas",
            "selector",
            "template",
            "strategy",
            "minReadySeconds",
            "revisionHistoryLimit",
            "paused",
            "progressDeadlineSeconds",
        ],
        WorkloadKind::ReplicaSet => &["replicas", "minReadySeconds", "selector", "template"],
        WorkloadKind::DaemonSet => &[
            "selector",
            "template",
            "updateStrategy",
            "minReadySeconds",
            "revisionHistoryLimit",
        ],
        WorkloadKind::ReplicationController => {
            &["replicas", "minReadySeconds", "selector", "template"]
        }
        _ => &[],
    }
}

/// The `restartPolicy` values a kind's pod template may use (the pod default is `Always`).
pub fn restart_policies(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Job | WorkloadKind::CronJob => &["OnFailure", "Never"],
        WorkloadKind::Pod | WorkloadKind::PodTemplate => &["Always", "OnFailure", "Never"],
        _ => &["Always"],
    }
}

/// Whether the kind's pod template may set `activeDeadlineSeconds` (the controllers that keep
/// pods running forbid it: "activeDeadlineSeconds in ReplicaSet is not Supported").
pub fn allows_active_deadline(kind: WorkloadKind) -> bool {
    matches!(
        kind,
        WorkloadKind::Job | WorkloadKind::CronJob | WorkloadKind::Pod | WorkloadKind::PodTemplate
    )
}

/// Longest name the kind allows beyond the DNS-1123 subdomain rule, and why.
/// A Job's name is the value of its pods' `batch.kubernetes.io/job-name` and `job-name` labels
/// (at most 63 characters); a CronJob's Jobs are named `<name>-<minutes since the epoch>`
/// (up to 11 more characters), so ValidateCronJobCreate allows 52.
pub fn name_limit(kind: WorkloadKind) -> Option<(usize, &'static str)> {
    match kind {
        WorkloadKind::Job => Some((
            63,
            "the Job's pods are labelled `batch.kubernetes.io/job-name: <name>` (and `job-name`), and a label value may have at most 63 characters",
        )),
        WorkloadKind::CronJob => Some((
            52,
            "the CronJob names each Job `<name>-<scheduled time in minutes>`, up to 11 more characters, and a Job's name must fit in a 63-character label",
        )),
        _ => None,
    }
}

/// Non-negative integer fields of a kind, as object-relative paths (`ValidateNonnegativeField`).
pub fn non_negative_fields(kind: WorkloadKind) -> &'static [&'static [&'static str]] {
    match kind {
        WorkloadKind::Deployment => &[
            &["spec", "replicas"],
            &["spec", "minReadySeconds"],
            &["spec", "revisionHistoryLimit"],
            &["spec", "progressDeadlineSeconds"],
        ],
        WorkloadKind::ReplicaSet | WorkloadKind::ReplicationController => {
            &[&["spec", "replicas"], &["spec", "minReadySeconds"]]
        }
        WorkloadKind::DaemonSet => &[
            &["spec", "minReadySeconds"],
            &["spec", "revisionHistoryLimit"],
        ],
        WorkloadKind::Job => &[
            &["spec", "parallelism"],
            &["spec", "completions"],
            &["spec", "activeDeadlineSeconds"],
            &["spec", "backoffLimit"],
            &["spec", "backoffLimitPerIndex"],
            &["spec", "maxFailedIndexes"],
            &["spec", "ttlSecondsAfterFinished"],
        ],
        WorkloadKind::CronJob => &[
            &["spec", "startingDeadlineSeconds"],
            &["spec", "successfulJobsHistoryLimit"],
            &["spec", "failedJobsHistoryLimit"],
            &["spec", "jobTemplate", "spec", "parallelism"],
            &["spec", "jobTemplate", "spec", "completions"],
            &["spec", "jobTemplate", "spec", "activeDeadlineSeconds"],
            &["spec", "jobTemplate", "spec", "backoffLimit"],
            &["spec", "jobTemplate", "spec", "backoffLimitPerIndex"],
            &["spec", "jobTemplate", "spec", "maxFailedIndexes"],
            &["spec", "jobTemplate", "spec", "ttlSecondsAfterFinished"],
        ],
        _ => &[],
    }
}

/// How a kind's pod selector is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorRule {
    /// `spec.selector` (a LabelSelector) is required, non-empty and must select the template's
    /// labels (StatefulSet, Deployment, ReplicaSet, DaemonSet).
    Required,
    /// `spec.selector` is a plain label map that defaults to the template's labels
    /// (ReplicationController).
    DefaultsFromTemplate,
    /// The API server generates the selector; one written in the manifest must match the
    /// template (Job; `manualSelector: true` makes it required).
    Generated,
    /// The kind has no selector (Pod, PodTemplate; a CronJob's job template must not set one).
    None,
}

pub fn selector_rule(kind: WorkloadKind) -> SelectorRule {
    match kind {
        WorkloadKind::StatefulSet
        | WorkloadKind::Deployment
        | WorkloadKind::ReplicaSet
        | WorkloadKind::DaemonSet => SelectorRule::Required,
        WorkloadKind::ReplicationController => SelectorRule::DefaultsFromTemplate,
        WorkloadKind::Job => SelectorRule::Generated,
        _ => SelectorRule::None,
    }
}

/// A display form of an object-relative path: `spec.jobTemplate.spec.parallelism`.
pub fn dotted(path: &[&str]) -> String {
    path.join(".")
}

/// The object-relative pointer of a path: `/spec/replicas`.
pub fn pointer(path: &[&str]) -> String {
    format!("/{}", path.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_facts() {
        for k in WorkloadKind::ALL {
            assert!(!restart_policies(k).is_empty());
            let _ = selector_rule(k);
            for p in non_negative_fields(k) {
                assert_eq!(pointer(p), format!("/{}", dotted(p).replace('.', "/")));
            }
        }
        assert_eq!(
            selector_rule(WorkloadKind::Deployment),
            SelectorRule::Required
        );
        assert_eq!(name_limit(WorkloadKind::CronJob).map(|l| l.0), Some(52));
        assert!(!allows_active_deadline(WorkloadKind::DaemonSet));
        // The spec fields listed here are the schema's (Kubernetes 1.37).
        for k in [
            WorkloadKind::StatefulSet,
            WorkloadKind::Deployment,
            WorkloadKind::ReplicaSet,
            WorkloadKind::DaemonSet,
            WorkloadKind::ReplicationController,
        ] {
            let schema_kind = crate::schema::SchemaKind::of(k.api_version(), k.name());
            let mut known = schema_kind
                .and_then(|sk| crate::schema::known_fields(sk, "/spec"))
                .unwrap_or_default();
            known.sort();
            let mut ours: Vec<String> = spec_fields(k).iter().map(|s| s.to_string()).collect();
            ours.sort();
            assert_eq!(ours, known, "{k:?}");
        }
    }
}
