//! CC306 invalid-sub-path: A subPath that is absolute, climbs out with `..`, or is set together with subPathExpr.

use super::container::Lazy;
use super::sentence;
use crate::model::volumes::{has_backstep, string_field};
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks `subPath` and `subPathExpr` of every volumeMount: each must be a relative path without a `..` element, and only one of the two may be set.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`subPath: Invalid value: "../etc": must not contain '..'`, `must be a relative path`, `subPathExpr and subPath are mutually exclusive`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. The rule exists because a sub-path must stay inside its volume. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /etc/app
    ///     subPath: ../config
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which directory of the volume was meant.
    pub CC306 {
        name: "invalid-sub-path",
        severity: Error,
        fix: None,
        summary: "A subPath that is absolute, climbs out with `..`, or is set together with subPathExpr",
    }
}

pub(super) fn check_sub_path(
    ctx: &mut Ctx,
    obj: &Object,
    m: &Node,
    at: &Lazy,
    label: &Lazy,
    cons: &str,
) {
    let sub = string_field(m, "subPath").ok().flatten().unwrap_or("");
    let expr = string_field(m, "subPathExpr").ok().flatten().unwrap_or("");
    for (key, value) in [("subPath", sub), ("subPathExpr", expr)] {
        if value.is_empty() {
            continue;
        }
        let mut faults = Vec::new();
        if value.starts_with('/') {
            faults.push("is absolute (it must be relative to the volume's root)");
        }
        if has_backstep(value) {
            faults.push("contains `..` (it must stay inside the volume)");
        }
        if !faults.is_empty() {
            ctx.report(
                obj,
                &CC306,
                &format!("{at}/{key}"),
                sentence(
                    format!("the {key} `{value}` of {label} {}", faults.join(" and ")),
                    cons,
                ),
                None,
            );
        }
    }
    if !sub.is_empty() && !expr.is_empty() {
        ctx.report(
            obj,
            &CC306,
            &format!("{at}/subPathExpr"),
            sentence(
                format!("{label} sets both `subPath` and `subPathExpr`; they are mutually exclusive, keep one"),
                cons,
            ),
            None,
        );
    }
}
