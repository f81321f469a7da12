//! CC107 restart-policy-not-always: The pod template sets restartPolicy other than Always, or activeDeadlineSeconds.

use super::REJECTS;

use crate::diagnostic::Applicability;
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Reports a pod template of a StatefulSet, Deployment, ReplicaSet, DaemonSet or ReplicationController with `restartPolicy` other than `Always`, or with `activeDeadlineSeconds`. (A Job's pod template must not use `Always`: CC113.)
    ///
    /// ## Why is this bad?
    /// These controllers keep their pods running; pods that stop for good (`Never`, `OnFailure`) or are killed after a deadline would leave holes in the set. The API server rejects both ("supported values: \"Always\"", "activeDeadlineSeconds in ReplicaSet is not Supported"). They typically come from a Job's pod spec pasted into a StatefulSet or Deployment.
    ///
    /// ## Example
    /// ```yaml
    /// template:
    ///   spec:
    ///     restartPolicy: Never
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `restartPolicy: Always` or removes `activeDeadlineSeconds`. This is safe: no other value is accepted for these kinds, so it is the only way to keep the manifest's meaning as such a workload.
    pub CC107 {
        name: "restart-policy-not-always",
        severity: Error,
        fix: Safe,
        summary: "The pod template sets restartPolicy other than Always, or activeDeadlineSeconds",
    }
}

// ---------------------------------------------------------------------------------------------
// CC107: restartPolicy and activeDeadlineSeconds

pub(super) fn check_restart_policy(ctx: &mut Ctx, obj: &Object) {
    let Some(pod) = obj.node.path(&["spec", "template", "spec"]) else {
        return;
    };
    if let Some(node) = pod.get("restartPolicy") {
        if let Some(rp) = node.as_str().filter(|s| !s.is_empty() && *s != "Always") {
            let ptr = "/spec/template/spec/restartPolicy";
            let fix_ = fix::replace_string(obj.text, node, "Always").and_then(|edit| {
                crate::fix::make(
                    &CC107,
                    Applicability::Safe,
                    format!("Set `restartPolicy: Always` instead of `{rp}`"),
                    vec![edit],
                    vec![PatchOp::Replace {
                        path: obj.ptr(ptr),
                        value: serde_json::Value::String("Always".into()),
                    }],
                )
            });
            let hint = if rp.eq_ignore_ascii_case("always") {
                " (values are case-sensitive)"
            } else {
                " (a Job's pod spec uses `Never` or `OnFailure`; a StatefulSet keeps its pods running)"
            };
            ctx.report(
                obj,
                &CC107,
                ptr,
                format!(
                    "the pod template's `restartPolicy` is `{rp}`, but a StatefulSet's pods must use `Always`, the default{hint}. {REJECTS}"
                ),
                fix_,
            );
        }
    }
    if pod
        .get("activeDeadlineSeconds")
        .is_some_and(|n| !n.is_null())
    {
        let ptr = "/spec/template/spec/activeDeadlineSeconds";
        let fix_ = pod
            .as_map()
            .and_then(|es| es.iter().rposition(|e| e.key == "activeDeadlineSeconds"))
            .and_then(|i| {
                fix::removal(
                    &CC107,
                    obj.text,
                    pod,
                    i,
                    obj.ptr(ptr),
                    Applicability::Safe,
                    "Remove `activeDeadlineSeconds`",
                )
            });
        ctx.report(
            obj,
            &CC107,
            ptr,
            format!(
                "the pod template sets `activeDeadlineSeconds`, which StatefulSets do not support: their pods are meant to run until replaced, not to be stopped after a deadline. {REJECTS}"
            ),
            fix_,
        );
    }
}
