//! CC115 invalid-job-spec: A Job's (or a CronJob's job template's) spec combines fields the API server rejects.

use crate::model::enums::{bad_enum, enum_report};
use crate::model::workload::WorkloadKind;
use crate::options::KubeVersion;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks the fields of a Job's spec (and of a CronJob's `jobTemplate.spec`) that depend on each other: `completionMode` must be `NonIndexed` or `Indexed`; `Indexed` needs `completions`, and `completions` and `parallelism` of an indexed Job may not exceed 100000; `backoffLimitPerIndex` and `successPolicy` need `Indexed`, `maxFailedIndexes` needs `backoffLimitPerIndex` (from the versions that serve these fields: 1.29 for `backoffLimitPerIndex` and `podReplacementPolicy`, 1.31 for `successPolicy`; older versions drop them); a `podFailurePolicy` needs the pod template's `restartPolicy: Never` and allows only `podReplacementPolicy: Failed`; `podReplacementPolicy` must be `TerminatingOrFailed` or `Failed`; and a Job's `selector` is generated unless `manualSelector: true`, so one written without it is rejected.
    ///
    /// ## Why is this bad?
    /// The API server rejects the Job or CronJob (`spec.completions: Required value: when completion mode is Indexed`, `spec.podFailurePolicy: Invalid value: only "Never" is supported`, `spec.selector: Invalid value: … selector not auto-generated`, …). A `selector` copied from a Deployment into a Job is the classic case: the Job controller selects its pods by the `controller-uid` label it generates.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Job
    /// spec:
    ///   completionMode: Indexed      # needs completions
    ///   selector:
    ///     matchLabels: {app: batch}  # needs manualSelector: true
    /// ```
    ///
    /// ## Fix safety
    /// An enum value that differs from a valid one only in letter case is corrected (safe). The other problems need a decision and get no fix.
    pub CC115 {
        name: "invalid-job-spec",
        severity: Error,
        fix: Safe,
        summary: "A Job's (or a CronJob's job template's) spec combines fields the API server rejects",
    }
}

const COMPLETION_MODES: &[&str] = &["NonIndexed", "Indexed"];
const REPLACEMENT_POLICIES: &[&str] = &["TerminatingOrFailed", "Failed"];
const INDEXED_MAX: i64 = 100_000;
/// Label keys the Job controller generates; a selector on them only is the generated one.
const GENERATED_KEYS: &[&str] = &[
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "job-name",
    "batch.kubernetes.io/job-name",
];

fn set(n: Option<&Node>) -> Option<&Node> {
    n.filter(|n| !n.is_null())
}

pub(super) fn check_job_spec(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let (base, path): (&str, &[&str]) = match kind {
        WorkloadKind::Job => ("/spec", &["spec"]),
        WorkloadKind::CronJob => ("/spec/jobTemplate/spec", &["spec", "jobTemplate", "spec"]),
        _ => return,
    };
    let Some(spec) = obj.node.path(path).filter(|s| s.as_map().is_some()) else {
        return;
    };
    let rejects = format!("The API server rejects the {}.", kind.name());
    // Fields of features that are off by default in older versions are dropped there, not
    // rejected: backoffLimitPerIndex and podReplacementPolicy (beta 1.29), successPolicy
    // (beta 1.31).
    let v = ctx.options.kubernetes_version;
    let per_index_served = v >= KubeVersion::new(1, 29);
    let replacement_served = v >= KubeVersion::new(1, 29);
    let success_served = v >= KubeVersion::new(1, 31);
    let report = |ctx: &mut Ctx, field: &str, what: String| {
        ctx.report(
            obj,
            &super::CC115,
            &format!("{base}/{field}"),
            format!("{what}. {rejects}"),
            None,
        );
    };
    let mode_node = spec.get("completionMode");
    if let (Some(node), Some(bad)) = (mode_node, bad_enum(mode_node, COMPLETION_MODES)) {
        let ptr = format!("{base}/completionMode");
        let (message, fix_) = enum_report(
            &super::CC115,
            obj,
            node,
            &ptr,
            "completionMode",
            &bad,
            COMPLETION_MODES,
            &rejects,
        );
        ctx.report(obj, &super::CC115, &ptr, message, fix_);
    }
    let indexed = mode_node.and_then(Node::as_str) == Some("Indexed");
    let completions = set(spec.get("completions"));
    if indexed {
        match completions.and_then(Node::as_i64) {
            None if completions.is_none() => report(
                ctx,
                "completions",
                "`completionMode: Indexed` needs `completions` (the number of indexes)".into(),
            ),
            Some(c) if c > INDEXED_MAX => report(
                ctx,
                "completions",
                format!("`completions` is {c}, but an indexed Job allows at most {INDEXED_MAX}"),
            ),
            _ => {}
        }
        if let Some(p) = set(spec.get("parallelism"))
            .and_then(Node::as_i64)
            .filter(|p| *p > INDEXED_MAX)
        {
            report(
                ctx,
                "parallelism",
                format!("`parallelism` is {p}, but an indexed Job allows at most {INDEXED_MAX}"),
            );
        }
    } else if mode_node.is_none_or(|m| m.as_str() == Some("NonIndexed") || m.is_null()) {
        for (field, served) in [
            ("backoffLimitPerIndex", per_index_served),
            ("successPolicy", success_served),
        ] {
            if served && set(spec.get(field)).is_some() {
                report(
                    ctx,
                    field,
                    format!("`{field}` requires `completionMode: Indexed`"),
                );
            }
        }
    }
    if per_index_served
        && set(spec.get("maxFailedIndexes")).is_some()
        && set(spec.get("backoffLimitPerIndex")).is_none()
    {
        report(
            ctx,
            "maxFailedIndexes",
            "`maxFailedIndexes` requires `backoffLimitPerIndex`".into(),
        );
    }
    let rp_node = spec
        .get("podReplacementPolicy")
        .filter(|_| replacement_served);
    if let (Some(node), Some(bad)) = (rp_node, bad_enum(rp_node, REPLACEMENT_POLICIES)) {
        let ptr = format!("{base}/podReplacementPolicy");
        let (message, fix_) = enum_report(
            &super::CC115,
            obj,
            node,
            &ptr,
            "podReplacementPolicy",
            &bad,
            REPLACEMENT_POLICIES,
            &rejects,
        );
        ctx.report(obj, &super::CC115, &ptr, message, fix_);
    }
    if set(spec.get("podFailurePolicy")).is_some() {
        let restart = spec
            .path(&["template", "spec", "restartPolicy"])
            .and_then(Node::as_str)
            .unwrap_or("");
        // `Always` or unset is CC113's; an `OnFailure` pod cannot report its failures.
        if restart == "OnFailure" {
            report(
                ctx,
                "template/spec/restartPolicy",
                "a `podFailurePolicy` needs the pod template's `restartPolicy: Never` (with `OnFailure` the kubelet restarts failed containers and the policy never sees them)".into(),
            );
        }
        if rp_node.and_then(Node::as_str) == Some("TerminatingOrFailed") {
            report(
                ctx,
                "podReplacementPolicy",
                "with a `podFailurePolicy`, `podReplacementPolicy` must be `Failed`".into(),
            );
        }
    }
    if kind == WorkloadKind::Job {
        check_unmanaged_selector(ctx, obj, spec, &rejects);
    }
}

/// A Job selector written without `manualSelector: true`.
fn check_unmanaged_selector(ctx: &mut Ctx, obj: &Object, spec: &Node, rejects: &str) {
    let manual = spec
        .get("manualSelector")
        .is_some_and(|n| matches!(n.value, Value::Bool(true)));
    let Some(sel) = set(spec.get("selector")) else {
        return;
    };
    if manual || sel.as_map().is_none() {
        return;
    }
    let generated_only = |list: &str, key_of: &dyn Fn(&Node) -> Option<String>| {
        sel.get(list)
            .filter(|n| !n.is_null())
            .is_none_or(|l| match &l.value {
                Value::Map(es) => es.iter().all(|e| GENERATED_KEYS.contains(&e.key.as_str())),
                Value::Seq(items) => items
                    .iter()
                    .all(|it| key_of(it).is_some_and(|k| GENERATED_KEYS.contains(&k.as_str()))),
                _ => true,
            })
    };
    let key_of = |n: &Node| n.str_at(&["key"]).map(str::to_owned);
    if generated_only("matchLabels", &key_of) && generated_only("matchExpressions", &key_of) {
        return;
    }
    ctx.report(
        obj,
        &super::CC115,
        "/spec/selector",
        format!("the Job sets `selector` without `manualSelector: true`: the Job controller selects its pods by the `controller-uid` label it generates, so the API server refuses a selector it did not generate (\"`selector` not auto-generated\"). Remove `selector` (usual), or set `manualSelector: true` if the pods really must be selected this way. {rejects}"),
        None,
    );
}
