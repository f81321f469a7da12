//! A Deployment's `strategy` and a DaemonSet's `updateStrategy` (CC105), as
//! `ValidateDeploymentStrategy` and `ValidateDaemonSetUpdateStrategy` check them.

use super::workloads::rejects;
use super::CC105;
use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::enums::{bad_enum, enum_report};
use crate::model::workload::WorkloadKind;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

// ---------------------------------------------------------------------------------------------
// CC105: a Deployment's `strategy` and a DaemonSet's `updateStrategy`

const DEPLOYMENT_STRATEGIES: &[&str] = &["Recreate", "RollingUpdate"];
const DAEMONSET_STRATEGIES: &[&str] = &["RollingUpdate", "OnDelete"];

/// An int-or-percent value as Kubernetes reads it: `Some((value, is_percent))`; `None` when
/// it is neither (reported separately).
fn int_or_percent(n: &Node) -> Option<(i64, bool)> {
    match &n.value {
        Value::Int(i) => Some((*i, false)),
        Value::Str(s) => {
            let d = s.strip_suffix('%')?;
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) || d.len() > 9 {
                return None;
            }
            d.parse().ok().map(|v| (v, true))
        }
        _ => None,
    }
}

/// Problems with `maxSurge`/`maxUnavailable` as ValidatePositiveIntOrPercent sees them.
fn int_or_percent_problem(n: &Node, field: &str) -> Option<String> {
    match &n.value {
        Value::Int(i) if *i < 0 => Some(format!("`{field}` is {i}, but it must be 0 or more")),
        Value::Str(s) if int_or_percent(n).is_none() => Some(format!(
            "`{field}` is `{s}`, which is neither a number nor a percentage such as `25%`"
        )),
        _ => None,
    }
}

fn rolling_fields<'n>(
    ctx: &mut Ctx,
    obj: &Object,
    kind: WorkloadKind,
    base: &str,
    ru: &'n Node,
) -> (Option<&'n Node>, Option<&'n Node>, bool) {
    let mut ok = true;
    let mu = ru.get("maxUnavailable").filter(|n| !n.is_null());
    let ms = ru.get("maxSurge").filter(|n| !n.is_null());
    for (node, field) in [(mu, "maxUnavailable"), (ms, "maxSurge")] {
        let Some(node) = node else { continue };
        let ptr = format!("{base}/{field}");
        if let Some(p) = int_or_percent_problem(node, field) {
            ok = false;
            ctx.report(obj, &CC105, &ptr, format!("{p}. {}", rejects(kind)), None);
        } else if let Some((v, true)) = int_or_percent(node) {
            if v > 100 && (field == "maxUnavailable" || kind == WorkloadKind::DaemonSet) {
                ok = false;
                ctx.report(
                    obj,
                    &CC105,
                    &ptr,
                    format!(
                        "`{field}` is `{v}%`, but it must not be more than 100%. {}",
                        rejects(kind)
                    ),
                    None,
                );
            }
        }
    }
    (mu, ms, ok)
}

fn value_of(n: Option<&Node>, default: i64) -> i64 {
    n.and_then(int_or_percent).map_or(default, |(v, _)| v)
}

pub(super) fn check_deployment_strategy(ctx: &mut Ctx, obj: &Object) {
    let kind = WorkloadKind::Deployment;
    let Some(st) = obj.node.path(&["spec", "strategy"]) else {
        return;
    };
    let Some(entries) = st.as_map() else {
        return; // CC004
    };
    let ty_node = st.get("type");
    if let (Some(node), Some(bad)) = (ty_node, bad_enum(ty_node, DEPLOYMENT_STRATEGIES)) {
        let ptr = "/spec/strategy/type";
        let (message, fix_) = enum_report(
            &CC105,
            obj,
            node,
            ptr,
            "strategy.type",
            &bad,
            DEPLOYMENT_STRATEGIES,
            &rejects(kind),
        );
        ctx.report(obj, &CC105, ptr, message, fix_);
        return;
    }
    let ty = ty_node.and_then(Node::as_str).unwrap_or("RollingUpdate");
    let ru = st.get("rollingUpdate").filter(|n| !n.is_null());
    if ty == "Recreate" {
        if ru.is_some() {
            let ptr = "/spec/strategy/rollingUpdate";
            let fix_ = entries
                .iter()
                .rposition(|e| e.key == "rollingUpdate")
                .and_then(|i| {
                    fix::removal(
                        &CC105,
                        obj.text,
                        st,
                        i,
                        obj.ptr(ptr),
                        Applicability::Unsafe,
                        "Remove `rollingUpdate`, which `Recreate` does not use",
                    )
                });
            ctx.report(
                obj,
                &CC105,
                ptr,
                format!(
                    "`strategy.rollingUpdate` may not be set when the strategy `type` is `Recreate`: remove it, or use `RollingUpdate`. {}",
                    rejects(kind)
                ),
                fix_,
            );
        }
        return;
    }
    let Some(ru) = ru else {
        return; // defaulted to 25%/25%
    };
    let (mu, ms, ok) = rolling_fields(ctx, obj, kind, "/spec/strategy/rollingUpdate", ru);
    // Unset fields default to 25% (SetDefaults_Deployment), so only explicit zeros can collide.
    if ok && value_of(mu, 25) == 0 && value_of(ms, 25) == 0 {
        ctx.report(
            obj,
            &CC105,
            "/spec/strategy/rollingUpdate/maxUnavailable",
            format!(
                "`maxUnavailable` and `maxSurge` are both 0, so a rolling update could never replace a pod (\"may not be 0 when `maxSurge` is 0\"). {}",
                rejects(kind)
            ),
            None,
        );
    }
}

pub(super) fn check_daemonset_strategy(ctx: &mut Ctx, obj: &Object) {
    let kind = WorkloadKind::DaemonSet;
    let Some(us) = obj.node.path(&["spec", "updateStrategy"]) else {
        return;
    };
    if us.as_map().is_none() {
        return; // CC004
    }
    let ty_node = us.get("type");
    if let (Some(node), Some(bad)) = (ty_node, bad_enum(ty_node, DAEMONSET_STRATEGIES)) {
        let ptr = "/spec/updateStrategy/type";
        let (message, fix_) = enum_report(
            &CC105,
            obj,
            node,
            ptr,
            "updateStrategy.type",
            &bad,
            DAEMONSET_STRATEGIES,
            &rejects(kind),
        );
        ctx.report(obj, &CC105, ptr, message, fix_);
        return;
    }
    let ty = ty_node.and_then(Node::as_str).unwrap_or("RollingUpdate");
    if ty != "RollingUpdate" {
        return; // OnDelete: a rollingUpdate block is accepted and ignored
    }
    let Some(ru) = us.get("rollingUpdate").filter(|n| !n.is_null()) else {
        return; // defaulted to maxUnavailable 1, maxSurge 0
    };
    let base = "/spec/updateStrategy/rollingUpdate";
    let (mu, ms, ok) = rolling_fields(ctx, obj, kind, base, ru);
    if !ok {
        return;
    }
    // Defaults: maxUnavailable 1, maxSurge 0; exactly one of them must be non-zero.
    let unavailable = value_of(mu, 1) != 0;
    let surge = value_of(ms, 0) != 0;
    if unavailable && surge {
        ctx.report(
            obj,
            &CC105,
            &format!("{base}/maxSurge"),
            format!(
                "`maxSurge` may not be set when `maxUnavailable` is non-zero: a DaemonSet rolls out either by surging (set `maxUnavailable: 0`) or by taking pods down, not both. {}",
                rejects(kind)
            ),
            None,
        );
    } else if !unavailable && !surge {
        ctx.report(
            obj,
            &CC105,
            &format!("{base}/maxUnavailable"),
            format!(
                "`maxUnavailable` and `maxSurge` are both 0, so a rolling update could never replace a pod (\"cannot be 0 when maxSurge is 0\"). {}",
                rejects(kind)
            ),
            None,
        );
    }
}
