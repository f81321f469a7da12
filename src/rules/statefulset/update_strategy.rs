//! The update strategy: reports CC105 (invalid type or rollingUpdate) and CC103 (negative counts) of its fields.

use super::{CC103, CC105, REJECTS, UPDATE_STRATEGY_TYPES};
use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::enums::{bad_enum, enum_report};
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

pub(super) fn check_update_strategy(ctx: &mut Ctx, obj: &Object) {
    let v = ctx.options.kubernetes_version;
    let Some(us) = obj.node.path(&["spec", "updateStrategy"]) else {
        return;
    };
    let Some(entries) = us.as_map() else {
        return;
    };
    let ty_node = us.get("type");
    if let (Some(node), Some(bad)) = (ty_node, bad_enum(ty_node, UPDATE_STRATEGY_TYPES)) {
        let ptr = "/spec/updateStrategy/type";
        let (message, fix_) = enum_report(
            &CC105,
            obj,
            node,
            ptr,
            "updateStrategy.type",
            &bad,
            UPDATE_STRATEGY_TYPES,
            REJECTS,
        );
        ctx.report(obj, &CC105, ptr, message, fix_);
        return;
    }
    let ty = ty_node.and_then(Node::as_str).unwrap_or("");
    let Some(ru) = us.get("rollingUpdate").filter(|n| !n.is_null()) else {
        return;
    };
    if ty == "OnDelete" {
        let ptr = "/spec/updateStrategy/rollingUpdate";
        let fix_ = entries
            .iter()
            .rposition(|e| e.key == "rollingUpdate")
            .and_then(|i| {
                fix::removal(
                    &CC105,
                    obj.text,
                    us,
                    i,
                    obj.ptr(ptr),
                    Applicability::Unsafe,
                    "Remove `rollingUpdate`, which `OnDelete` does not use",
                )
            });
        ctx.report(
            obj,
            &CC105,
            ptr,
            format!(
                "`updateStrategy.rollingUpdate` is only allowed with `type: RollingUpdate`, but the type is `OnDelete`: remove it, or use `RollingUpdate` if a partitioned rollout was meant. {REJECTS}"
            ),
            fix_,
        );
        return;
    }
    if !ty.is_empty() && ty != "RollingUpdate" {
        return;
    }
    if let Some(p) = ru
        .get("partition")
        .and_then(Node::as_i64)
        .filter(|p| *p < 0)
    {
        ctx.report(
            obj,
            &CC103,
            "/spec/updateStrategy/rollingUpdate/partition",
            format!("`rollingUpdate.partition` is {p}, but it must be 0 or more. {REJECTS}"),
            None,
        );
    }
    if let Some(mu) = ru.get("maxUnavailable") {
        if let Some(problem) = max_unavailable_problem(mu) {
            let consequence = if v >= crate::options::KubeVersion::new(1, 35) {
                REJECTS.to_string()
            } else {
                format!("Kubernetes {v} drops `maxUnavailable` unless the MaxUnavailableStatefulSet feature gate is on; where it is on, the API server rejects the StatefulSet.")
            };
            ctx.report(
                obj,
                &CC105,
                "/spec/updateStrategy/rollingUpdate/maxUnavailable",
                format!("`rollingUpdate.maxUnavailable` {problem}. {consequence}"),
                None,
            );
        }
    }
}

/// What is wrong with a `maxUnavailable` value, if anything.
pub(super) fn max_unavailable_problem(n: &Node) -> Option<String> {
    match &n.value {
        Value::Int(i) if *i < 0 => Some(format!("is {i}, but it must be 1 or more")),
        Value::Int(0) => {
            Some("is 0, but at least one pod must be allowed to be unavailable".into())
        }
        Value::Str(s) => {
            let digits = s
                .strip_suffix('%')
                .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            let Some(digits) = digits else {
                return Some(format!(
                    "is `{s}`, which is neither a number nor a percentage such as `25%`"
                ));
            };
            let zero = digits.bytes().all(|b| b == b'0');
            let over = digits.trim_start_matches('0').len() > 3
                || digits.parse::<u64>().is_ok_and(|p| p > 100);
            if zero {
                Some(format!(
                    "is `{s}`, but at least one pod must be allowed to be unavailable"
                ))
            } else if over {
                Some(format!("is `{s}`, but it must not be more than 100%"))
            } else {
                None
            }
        }
        _ => None,
    }
}
