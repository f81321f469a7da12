//! CC113 job-restart-policy: A Job's or CronJob's pod template has restartPolicy Always (set, or left to the default).

use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::workload::WorkloadKind;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the pod template of a Job (and of a CronJob's `jobTemplate`): its `restartPolicy` must be `OnFailure` or `Never`. A template without `restartPolicy` gets the pod default, `Always`, which a Job does not accept.
    ///
    /// ## Why is this bad?
    /// The API server rejects the Job or CronJob (`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"` before Kubernetes 1.33, `Unsupported value: "Always"` since): a Job's pods must end, and `Always` would restart them forever. It is the most common mistake when a Deployment's pod spec is reused for a Job.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Job
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: migrate
    ///           image: app:1.4
    ///       # no restartPolicy: defaults to Always
    /// ```
    ///
    /// ## Fix safety
    /// Setting `restartPolicy: Never` is unsafe: `OnFailure` (restart the container in place) is just as valid, and the two count failures differently against `backoffLimit`. A value that differs from `OnFailure` or `Never` only in letter case is corrected safely.
    pub CC113 {
        name: "job-restart-policy",
        severity: Error,
        fix: Sometimes,
        summary: "A Job's or CronJob's pod template has restartPolicy Always (set, or left to the default)",
    }
}

const ALLOWED: &[&str] = &["OnFailure", "Never"];

pub(super) fn check_job_restart_policy(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    if !matches!(kind, WorkloadKind::Job | WorkloadKind::CronJob) {
        return;
    }
    let spec_ptr = kind.pod_spec_pointer();
    let Some(pod) = obj.node.path(kind.pod_spec_path()) else {
        return; // no pod template: the schema and CC112 say what is missing
    };
    if pod.as_map().is_none() {
        return;
    }
    let rejects = format!("The API server rejects the {}.", kind.name());
    let node = pod.get("restartPolicy").filter(|n| !n.is_null());
    let value = node.and_then(Node::as_str).unwrap_or("");
    if ALLOWED.contains(&value) {
        return;
    }
    let ptr = format!("{spec_ptr}/restartPolicy");
    match node {
        Some(n) if !value.is_empty() => {
            let same_case = ALLOWED
                .iter()
                .find(|a| a.eq_ignore_ascii_case(value.trim()))
                .copied();
            let (why, fix_) = match same_case {
                Some(a) => (
                    format!(" (values are case-sensitive: write `{a}`)"),
                    fix::case_fix(&super::CC113, obj, n, &ptr, a),
                ),
                None => {
                    let fix_ = fix::replace_string(obj.text, n, "Never").and_then(|edit| {
                        crate::fix::make(
                            &super::CC113,
                            Applicability::Unsafe,
                            format!("Set `restartPolicy: Never` instead of `{value}`"),
                            vec![edit],
                            vec![PatchOp::Replace {
                                path: obj.ptr(&ptr),
                                value: serde_json::Value::String("Never".into()),
                            }],
                        )
                    });
                    (String::new(), fix_)
                }
            };
            ctx.report(
                obj,
                &super::CC113,
                &ptr,
                format!(
                    "the {}'s pod template has `restartPolicy: {value}`, but a Job's pods must use `OnFailure` or `Never`{why}. {rejects}",
                    kind.name()
                ),
                fix_,
            );
        }
        Some(_) => {} // not a string: CC004
        None => {
            let value_text = if fix::is_json_style(obj.text, pod) {
                fix::json_string("Never")
            } else {
                "Never".to_string()
            };
            let fix_ =
                fix::add_entry(obj.text, pod, "restartPolicy", &value_text).and_then(|edit| {
                    crate::fix::make(
                        &super::CC113,
                        Applicability::Unsafe,
                        "Add `restartPolicy: Never`".to_string(),
                        vec![edit],
                        vec![PatchOp::Add {
                            path: obj.ptr(&ptr),
                            value: serde_json::Value::String("Never".into()),
                        }],
                    )
                });
            ctx.report(
                obj,
                &super::CC113,
                &ptr,
                format!(
                    "the {}'s pod template has no `restartPolicy`, so it gets the pod default `Always`, but a Job's pods must use `OnFailure` or `Never`. {rejects}",
                    kind.name()
                ),
                fix_,
            );
        }
    }
}
