//! Workload spec rules (CC101–CC111, CC113, CC114): selector, counts, policies, update strategy,
//! retention, restart policy, the name and the governing service name of a StatefulSet, and the
//! same faults in the other workload kinds' own specs (`workloads.rs`), plus the Job and CronJob
//! rules.

use crate::model::workload::WorkloadKind;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};

mod invalid_cron_job;
mod invalid_job_spec;
mod invalid_name;
mod invalid_pod_management_policy;
mod invalid_retention_policy;
mod invalid_service_name;
mod invalid_update_strategy;
mod job_restart_policy;
mod long_name;
mod negative_count;
mod restart_policy_not_always;
mod selector_label_mismatch;
mod selector_missing;
mod service_name_missing;
mod workload_strategy;
mod workloads;

use invalid_cron_job::check_cron_job;
pub use invalid_cron_job::CC114;
use invalid_job_spec::check_job_spec;
pub use invalid_job_spec::CC115;
pub use invalid_name::CC108;
use invalid_pod_management_policy::check_pod_management_policy;
pub use invalid_pod_management_policy::CC104;
use invalid_retention_policy::check_retention;
pub use invalid_retention_policy::CC106;
pub use invalid_service_name::CC109;
pub use invalid_update_strategy::CC105;
use job_restart_policy::check_job_restart_policy;
pub use job_restart_policy::CC113;
pub use long_name::CC110;
use negative_count::check_counts;
pub use negative_count::CC103;
use restart_policy_not_always::check_restart_policy;
pub use restart_policy_not_always::CC107;
pub use selector_label_mismatch::CC102;
pub use selector_missing::CC101;
pub use service_name_missing::CC111;
mod selector_fixes;
use selector_fixes::{selector_fix, template_labels_fix};
mod selector;
use selector::{all_known, check_selector};
mod name;
use name::check_name;
mod update_strategy;
use update_strategy::check_update_strategy;
mod service_name;
use service_name::check_service_name;

pub const RULES: &[RuleMeta] = &[
    CC101, CC102, CC103, CC104, CC105, CC106, CC107, CC108, CC109, CC110, CC111, CC113, CC114,
    CC115,
];

/// Fields of a StatefulSet spec (fixes that add a field are withheld when an unknown field may
/// be a misspelling of it: CC003 renames those); the list lives with the other kinds' in
/// `model::kinds`.
const SPEC_FIELDS: &[&str] = &crate::model::kinds::STATEFULSET_SPEC_FIELDS;

/// Fields of object metadata.
const OBJECT_META_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// Longest pod name the controller can use: pod hostnames and label values are DNS labels.
const POD_NAME_MAX: usize = 63;

/// Longest StatefulSet name whose `controller-revision-hash` label (`<name>-<10 chars>`) fits.
const LONG_NAME: usize = 52;

pub fn check(ctx: &mut Ctx, obj: &Object) {
    let Some(kind) = obj.workload() else {
        return;
    };
    if kind != WorkloadKind::StatefulSet {
        workloads::check_workload(ctx, obj, kind);
        check_job_restart_policy(ctx, obj, kind);
        check_job_spec(ctx, obj, kind);
        if kind == WorkloadKind::CronJob {
            check_cron_job(ctx, obj);
        }
        return;
    }
    check_name(ctx, obj);
    check_selector(ctx, obj, "StatefulSet", SPEC_FIELDS);
    check_counts(ctx, obj);
    check_pod_management_policy(ctx, obj);
    check_update_strategy(ctx, obj);
    check_retention(ctx, obj);
    check_restart_policy(ctx, obj);
    check_service_name(ctx, obj);
}

const REJECTS: &str = "The API server rejects the StatefulSet.";

// ---------------------------------------------------------------------------------------------
// CC105 (and CC103 for the partition): updateStrategy

const UPDATE_STRATEGY_TYPES: &[&str] = &["RollingUpdate", "OnDelete"];

#[cfg(test)]
mod tests;
