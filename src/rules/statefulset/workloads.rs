//! The own spec of the other workload kinds (Deployment, ReplicaSet, DaemonSet, Job, CronJob,
//! ReplicationController, Pod, PodTemplate): the same faults as a StatefulSet's, reported by the
//! same rules — CC101/CC102 (selector), CC103 (negative counts), CC105 (update strategy),
//! CC107 (restart policy of controllers that keep pods running), CC108/CC110 (names) — with
//! messages that name the kind. Facts per kind come from `model::kinds`.

use super::selector::template_labels;
use super::{check_selector, CC101, CC102, CC103, CC107, CC108, CC110};
use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::kinds::{self, SelectorRule};
use crate::model::names;
use crate::model::selector::mask_trailing_dash;
use crate::model::workload::WorkloadKind;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

pub(super) fn rejects(kind: WorkloadKind) -> String {
    format!("The API server rejects the {}.", kind.name())
}

pub(super) fn check_workload(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    check_name(ctx, obj, kind);
    check_counts(ctx, obj, kind);
    match kinds::selector_rule(kind) {
        SelectorRule::Required => {
            check_selector(ctx, obj, kind.name(), kinds::spec_fields(kind));
        }
        SelectorRule::DefaultsFromTemplate => check_rc_selector(ctx, obj, kind),
        SelectorRule::Generated => {
            let manual = obj
                .node
                .path(&["spec", "manualSelector"])
                .is_some_and(|n| matches!(n.value, Value::Bool(true)));
            if manual {
                check_selector(ctx, obj, kind.name(), &[]);
            }
        }
        SelectorRule::None => {}
    }
    check_restart_policy(ctx, obj, kind);
    match kind {
        WorkloadKind::Deployment => super::workload_strategy::check_deployment_strategy(ctx, obj),
        WorkloadKind::DaemonSet => super::workload_strategy::check_daemonset_strategy(ctx, obj),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// CC108, CC110: names

fn check_name(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let meta = obj.node.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty());
    let generate = meta
        .and_then(|m| m.get("generateName"))
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty());
    let k = kind.name();
    let (value, ptr, is_prefix) = match (name, generate) {
        (Some(n), _) => (n, "/metadata/name", false),
        (None, Some(g)) => (g, "/metadata/generateName", true),
        _ => return, // CC006
    };
    let checked = if is_prefix {
        mask_trailing_dash(value)
    } else {
        value.to_string()
    };
    let errs = names::dns1123_subdomain(&checked);
    if !errs.is_empty() {
        let what = if is_prefix {
            format!("`generateName` `{value}` is not a valid prefix for a {k} name (a DNS-1123 subdomain, which may end in `-` here)")
        } else {
            format!("{k} name `{value}` is not a valid DNS-1123 subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)")
        };
        ctx.report(
            obj,
            &CC108,
            ptr,
            format!("{what}: {}. {}", errs.join("; "), rejects(kind)),
            None,
        );
        return;
    }
    if is_prefix {
        return; // the API server shortens a prefix to fit
    }
    if let Some((limit, why)) = kinds::name_limit(kind) {
        if value.len() > limit {
            ctx.report(
                obj,
                &CC110,
                ptr,
                format!(
                    "{k} name `{value}` has {} characters, but at most {limit} are allowed: {why}. {}",
                    value.len(),
                    rejects(kind)
                ),
                None,
            );
            if kind == WorkloadKind::Job {
                // The API server itself reports it at the pod template: the registry adds the
                // labels `job-name` and `batch.kubernetes.io/job-name` with the Job's name as
                // value to the template, and their validation fails (label values are at most
                // 63 characters).
                ctx.report(
                    obj,
                    &CC110,
                    "/spec/template",
                    format!(
                        "the API server labels the Job's pod template `batch.kubernetes.io/job-name: {value}` (and `job-name`), and a label value has at most 63 characters, so the template's labels fail validation. {}",
                        rejects(kind)
                    ),
                    None,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CC103: counts

fn check_counts(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    for path in kinds::non_negative_fields(kind) {
        if let Some(n) = obj
            .node
            .path(path)
            .and_then(Node::as_i64)
            .filter(|n| *n < 0)
        {
            ctx.report(
                obj,
                &CC103,
                &kinds::pointer(path),
                format!(
                    "`{}` is {n}, but it must be 0 or more. {}",
                    kinds::dotted(path),
                    rejects(kind)
                ),
                None,
            );
        }
    }
    if kind == WorkloadKind::Deployment {
        let spec = obj.node.get("spec");
        let deadline = spec
            .and_then(|s| s.get("progressDeadlineSeconds"))
            .and_then(Node::as_i64);
        let min_ready = spec
            .and_then(|s| s.get("minReadySeconds"))
            .and_then(Node::as_i64)
            .unwrap_or(0);
        if let Some(d) = deadline.filter(|d| *d >= 0 && *d <= min_ready) {
            ctx.report(
                obj,
                &CC103,
                "/spec/progressDeadlineSeconds",
                format!(
                    "`progressDeadlineSeconds` is {d}, but it must be greater than `minReadySeconds` ({min_ready}). {}",
                    rejects(kind)
                ),
                None,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CC101, CC102: a ReplicationController's selector (a plain label map, defaulted from the
// template's labels)

fn check_rc_selector(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let Some(labels) = template_labels(obj.node) else {
        return; // CC004
    };
    let sel = obj
        .node
        .path(&["spec", "selector"])
        .filter(|n| !n.is_null());
    let selector: Vec<(String, String)> = match sel.map(|s| &s.value) {
        None => Vec::new(),
        Some(Value::Map(entries)) => {
            let mut out = Vec::new();
            for e in entries {
                match &e.value.value {
                    Value::Str(v) => out.push((e.key.clone(), v.clone())),
                    Value::Null => out.push((e.key.clone(), String::new())),
                    _ => return, // CC004
                }
            }
            out
        }
        Some(_) => return, // CC004
    };
    if selector.is_empty() {
        if labels.is_empty() {
            ctx.report(
                obj,
                &CC101,
                "/spec/selector",
                format!(
                    "the ReplicationController has no `spec.selector` and its pod template has no labels to default it from. {}",
                    rejects(kind)
                ),
                None,
            );
        }
        return; // defaulted from the template's labels
    }
    let unmet: Vec<String> = selector
        .iter()
        .filter(|(k, v)| labels.get(k) != Some(v))
        .map(|(k, v)| match labels.get(k) {
            Some(have) => format!("it requires `{k}: {v}`, the template has `{k}: {have}`"),
            None => format!("it requires `{k}: {v}`, the template has no label `{k}`"),
        })
        .collect();
    if !unmet.is_empty() {
        ctx.report(
            obj,
            &CC102,
            "/spec/template/metadata/labels",
            format!(
                "the selector does not select the pod template's labels: {}. {} (\"`selector` does not match template `labels`\").",
                unmet.join("; "),
                rejects(kind).trim_end_matches('.')
            ),
            None,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CC107: restartPolicy and activeDeadlineSeconds of controllers that keep pods running

fn check_restart_policy(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let allowed = kinds::restart_policies(kind);
    if allowed != ["Always"] {
        return; // Jobs: CC113; Pods and PodTemplates: CC112 checks the value
    }
    let Some(pod) = obj.node.path(kind.pod_spec_path()) else {
        return;
    };
    let k = kind.name();
    let base = kind.pod_spec_pointer();
    if let Some(node) = pod.get("restartPolicy") {
        if let Some(rp) = node.as_str().filter(|s| !s.is_empty() && *s != "Always") {
            let ptr = format!("{base}/restartPolicy");
            let fix_ = fix::replace_string(obj.text, node, "Always").and_then(|edit| {
                crate::fix::make(
                    &CC107,
                    Applicability::Safe,
                    format!("Set `restartPolicy: Always` instead of `{rp}`"),
                    vec![edit],
                    vec![PatchOp::Replace {
                        path: obj.ptr(&ptr),
                        value: serde_json::Value::String("Always".into()),
                    }],
                )
            });
            let hint = if rp.eq_ignore_ascii_case("always") {
                " (values are case-sensitive)".to_string()
            } else {
                format!(
                    " (a Job's pod spec uses `Never` or `OnFailure`; a {k} keeps its pods running)"
                )
            };
            ctx.report(
                obj,
                &CC107,
                &ptr,
                format!(
                    "the pod template's `restartPolicy` is `{rp}`, but a {k}'s pods must use `Always`, the default{hint}. {}",
                    rejects(kind)
                ),
                fix_,
            );
        }
    }
    if !kinds::allows_active_deadline(kind)
        && pod
            .get("activeDeadlineSeconds")
            .is_some_and(|n| !n.is_null())
    {
        let ptr = format!("{base}/activeDeadlineSeconds");
        let fix_ = pod
            .as_map()
            .and_then(|es| es.iter().rposition(|e| e.key == "activeDeadlineSeconds"))
            .and_then(|i| {
                fix::removal(
                    &CC107,
                    obj.text,
                    pod,
                    i,
                    obj.ptr(&ptr),
                    Applicability::Safe,
                    "Remove `activeDeadlineSeconds`",
                )
            });
        ctx.report(
            obj,
            &CC107,
            &ptr,
            format!(
                "the pod template sets `activeDeadlineSeconds`, which a {k} does not support (\"activeDeadlineSeconds in {k} is not Supported\"): its pods are meant to run until replaced. {}",
                rejects(kind)
            ),
            fix_,
        );
    }
}
