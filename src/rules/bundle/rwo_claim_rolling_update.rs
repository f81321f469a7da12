//! CC410 rwo-claim-rolling-update: A Deployment with a ReadWriteOnce claim rolls out with
//! RollingUpdate.

use crate::diagnostic::{Applicability, Fix};
use crate::fix::{add_entry, is_json_style, replace_string, FixBuilder};
use crate::model::claim_usage::{exclusive, ClaimUse, Exclusive, Placement};
use crate::model::workload::WorkloadKind;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style, Value};

crate::declare_rule! {
    /// ## What it does
    /// Finds Deployments whose pods mount a PersistentVolumeClaim of the input whose only access modes are `ReadWriteOnce` or `ReadWriteOncePod` while the Deployment rolls out with `strategy.type: RollingUpdate` — the default when `strategy` is absent — and a surge (`maxSurge`, 25% by default, rounded up: at least one pod). A `maxSurge` of 0, a Deployment scaled to 0 and, for `ReadWriteOnce`, pods tied to one node (`nodeName`, a `kubernetes.io/hostname` node selector, or a required pod affinity on `kubernetes.io/hostname` to their own labels: the new pod then starts where the volume is attached) are left out.
    ///
    /// ## Why is this bad?
    /// A rolling update starts the new ReplicaSet's pod before it stops an old one (with the default `maxUnavailable` of 25%, rounded down, a one-replica Deployment keeps its old pod until the new one is ready). The new pod mounts the same claim. With `ReadWriteOnce`, unless the scheduler happens to place it on the node where the volume is attached, the attach-detach controller cannot attach the volume to the new node while the old pod uses it: the new pod hangs in `ContainerCreating` (`Multi-Attach error for volume … Volume is already used by pod(s) …`), the old pod is never stopped because the new one never becomes ready, and the rollout stalls until `progressDeadlineSeconds` marks it failed. With `ReadWriteOncePod` it fails even on the same node: the scheduler keeps the new pod `Pending` while the old one holds the claim. The `Recreate` strategy stops the old pods before it starts the new ones, which is what a single-writer volume needs (at the cost of a short downtime at each rollout).
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    /// ---
    /// kind: Deployment
    /// spec:
    ///   replicas: 1
    ///   # no strategy: RollingUpdate with maxSurge 25%
    ///   template:
    ///     spec:
    ///       volumes:
    ///         - name: data
    ///           persistentVolumeClaim:
    ///             claimName: data
    /// ```
    /// Fixed:
    /// ```yaml
    ///   strategy:
    ///     type: Recreate
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `Recreate` trades the stalled rollout for a short downtime at every rollout (all old pods stop before the new ones start), which is a decision about the service. The fix sets `strategy.type: Recreate` (adding `strategy: {type: Recreate}` when there is none) and removes the `rollingUpdate` block, which the API server rejects beside `Recreate`; every other byte, comments included, is kept.
    pub CC410 {
        name: "rwo-claim-rolling-update",
        severity: Warning,
        fix: Unsafe,
        summary: "A Deployment that mounts a ReadWriteOnce claim rolls out with RollingUpdate: the new pod cannot attach the volume and the rollout hangs",
    }
}

/// Whether an `intOrString` surge is zero: `0`, `"0"` or `"0%"`.
fn is_zero(n: &Node) -> bool {
    match &n.value {
        Value::Int(0) => true,
        Value::Str(s) => s.trim_end_matches('%').trim() == "0",
        Value::Float(f) => *f == 0.0,
        _ => false,
    }
}

/// CC410 for one use of an exclusive standalone claim (`pvc`) by a Deployment. Returns whether
/// it reported (one finding per Deployment is enough: the caller stops looking at it).
pub(super) fn rolling_update(ctx: &mut Ctx, pvc: &Object, u: &ClaimUse) -> bool {
    if u.kind != WorkloadKind::Deployment {
        return false;
    }
    let Some(excl) = exclusive(pvc.node) else {
        return false;
    };
    let dep = u.user;
    let spec = dep.node.get("spec");
    if spec
        .and_then(|s| s.get("replicas"))
        .and_then(Node::as_i64)
        .is_some_and(|r| r < 1)
    {
        return false;
    }
    let strategy = spec
        .and_then(|s| s.get("strategy"))
        .filter(|s| !s.is_null());
    let ty = strategy.and_then(|s| s.get("type"));
    match ty.map(|t| &t.value) {
        None | Some(Value::Null) => {}
        Some(Value::Str(s)) if s == "RollingUpdate" => {}
        _ => return false,
    }
    if strategy
        .and_then(|s| s.path(&["rollingUpdate", "maxSurge"]))
        .is_some_and(is_zero)
    {
        return false;
    }
    if excl == Exclusive::Node && Placement::of(u).alone_together() {
        return false;
    }
    let name = dep.name.unwrap_or("<unnamed>");
    let claim = u.claim;
    let how = if ty.is_some() {
        "strategy `RollingUpdate`"
    } else {
        "the default strategy, `RollingUpdate`"
    };
    let consequence = match excl {
        Exclusive::Node => "the claim is ReadWriteOnce, so unless the new pod lands on the old pod's node it cannot attach the volume (Multi-Attach error) and hangs in ContainerCreating, the old pod is never stopped and the rollout stalls",
        Exclusive::Pod => "the claim is ReadWriteOncePod, so the new pod stays Pending while the old one holds the claim, the old pod is never stopped and the rollout stalls",
    };
    let message = format!(
        "Deployment `{name}` mounts claim `{claim}` (pod volume `{}`) and rolls out with {how}, which starts each new pod before stopping an old one: {consequence}. Use `strategy: {{type: Recreate}}`",
        u.volume
    );
    let rel = match (strategy, ty) {
        (Some(_), Some(_)) => "/spec/strategy/type".to_string(),
        (Some(_), None) => "/spec/strategy".to_string(),
        _ => u.claim_pointer(),
    };
    let fix = spec.and_then(|s| recreate_fix(dep, s));
    ctx.report(dep, &CC410, &rel, message, fix);
    true
}

/// `strategy: {type: Recreate}` without `rollingUpdate`, as text edits and JSON Patch.
fn recreate_fix(dep: &Object, spec: &Node) -> Option<Fix> {
    let text = dep.text;
    let builder = FixBuilder::new(
        &CC410,
        Applicability::Unsafe,
        "Roll out with `strategy: {type: Recreate}` (old pods stop before new ones start)",
    )?;
    let Some(strategy) = spec.get("strategy").filter(|s| !s.is_null()) else {
        let value = if is_json_style(text, spec) {
            "{\"type\": \"Recreate\"}"
        } else {
            "{type: Recreate}"
        };
        let edit = add_entry(text, spec, "strategy", value)?;
        return Some(
            builder
                .change(
                    [edit],
                    [PatchOp::Add {
                        path: dep.ptr("/spec/strategy"),
                        value: serde_json::json!({"type": "Recreate"}),
                    }],
                )
                .build(),
        );
    };
    let entries = strategy.as_map()?;
    if strategy.copied || entries.iter().any(|e| e.merged) {
        return None;
    }
    let mut builder = builder;
    if let Some(i) = entries.iter().rposition(|e| e.key == "rollingUpdate") {
        if entries.iter().filter(|e| e.key == "rollingUpdate").count() != 1 {
            return None;
        }
        if strategy.style == Style::Flow && entries.len() == 1 {
            // `{rollingUpdate: …}`: the whole mapping becomes `{type: Recreate}`
            let value = if is_json_style(text, strategy) {
                "{\"type\": \"Recreate\"}"
            } else {
                "{type: Recreate}"
            };
            return Some(
                builder
                    .change(
                        [crate::diagnostic::TextEdit::replace(strategy.span, value)],
                        [PatchOp::Replace {
                            path: dep.ptr("/spec/strategy"),
                            value: serde_json::json!({"type": "Recreate"}),
                        }],
                    )
                    .build(),
            );
        }
        builder =
            builder.remove_entry(text, strategy, i, dep.ptr("/spec/strategy/rollingUpdate"))?;
    }
    match strategy.get("type") {
        Some(t) => {
            let edit = replace_string(text, t, "Recreate")?;
            builder = builder.change(
                [edit],
                [PatchOp::Replace {
                    path: dep.ptr("/spec/strategy/type"),
                    value: serde_json::Value::String("Recreate".into()),
                }],
            );
        }
        None => {
            let value = if is_json_style(text, strategy) {
                "\"Recreate\""
            } else {
                "Recreate"
            };
            let edit = add_entry(text, strategy, "type", value)?;
            builder = builder.change(
                [edit],
                [PatchOp::Add {
                    path: dep.ptr("/spec/strategy/type"),
                    value: serde_json::Value::String("Recreate".into()),
                }],
            );
        }
    }
    Some(builder.build())
}
