//! StatefulSet spec rules (CC101–CC111): selector, counts, policies, update strategy, retention,
//! restart policy, the StatefulSet's name and its governing service name.

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::enums::{bad_enum, enum_report, label_suggestion};
use crate::model::names;
use crate::model::selector::{mask_trailing_dash, parse_selector, Requirement};
use crate::model::workload::template_consequence;
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Style, Value};

mod invalid_name;
mod invalid_pod_management_policy;
mod invalid_retention_policy;
mod invalid_service_name;
mod invalid_update_strategy;
mod long_name;
mod negative_count;
mod restart_policy_not_always;
mod selector_label_mismatch;
mod selector_missing;
mod service_name_missing;

pub use invalid_name::CC108;
use invalid_pod_management_policy::check_pod_management_policy;
pub use invalid_pod_management_policy::CC104;
use invalid_retention_policy::check_retention;
pub use invalid_retention_policy::CC106;
pub use invalid_service_name::CC109;
pub use invalid_update_strategy::CC105;
pub use long_name::CC110;
use negative_count::check_counts;
pub use negative_count::CC103;
use restart_policy_not_always::check_restart_policy;
pub use restart_policy_not_always::CC107;
pub use selector_label_mismatch::CC102;
pub use selector_missing::CC101;
pub use service_name_missing::CC111;

pub const RULES: &[RuleMeta] = &[
    CC101, CC102, CC103, CC104, CC105, CC106, CC107, CC108, CC109, CC110, CC111,
];

/// Fields of a StatefulSet spec (fixes that add a field are withheld when an unknown field may
/// be a misspelling of it: CC003 renames those).
const SPEC_FIELDS: &[&str] = &[
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
    if !obj.is_statefulset() {
        return;
    }
    check_name(ctx, obj);
    check_selector(ctx, obj);
    check_counts(ctx, obj);
    check_pod_management_policy(ctx, obj);
    check_update_strategy(ctx, obj);
    check_retention(ctx, obj);
    check_restart_policy(ctx, obj);
    check_service_name(ctx, obj);
}

const REJECTS: &str = "The API server rejects the StatefulSet.";

// ---------------------------------------------------------------------------------------------
// CC108, CC110: the name

fn check_name(ctx: &mut Ctx, obj: &Object) {
    let v = ctx.options.kubernetes_version;
    let meta = obj.node.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Node::as_str);
    let generate = meta
        .and_then(|m| m.get("generateName"))
        .and_then(Node::as_str);
    // The name the pods derive from, and where it is written.
    let (base, ptr, prefix) = match (name, generate) {
        (Some(n), _) if !n.is_empty() => {
            let errs = names::statefulset_name(n);
            if !errs.is_empty() {
                let mut message = format!(
                    "StatefulSet name `{n}` is not a valid DNS-1123 label: {}",
                    errs.join("; ")
                );
                if let Some(s) = label_suggestion(n) {
                    message.push_str(&format!("; for example `{s}`"));
                }
                message.push_str(&format!(". {REJECTS}"));
                ctx.report(obj, &CC108, "/metadata/name", message, None);
                return;
            }
            (n.to_string(), "/metadata/name", None)
        }
        (_, Some(g)) if !g.is_empty() => {
            let errs = names::statefulset_name(&mask_trailing_dash(g));
            if !errs.is_empty() {
                ctx.report(
                    obj,
                    &CC108,
                    "/metadata/generateName",
                    format!(
                        "`generateName` `{g}` is not a valid prefix for a StatefulSet name (a DNS-1123 label, which may end in `-` here): {}. {REJECTS}",
                        errs.join("; ")
                    ),
                    None,
                );
                return;
            }
            // The API server keeps at most 58 characters of the prefix and appends 5.
            let kept: String = g.chars().take(58).collect();
            (format!("{kept}xxxxx"), "/metadata/generateName", Some(g))
        }
        _ => return, // CC006
    };
    let spec = obj.node.get("spec");
    let replicas = spec.map_or(Some(1), |s| match s.get("replicas") {
        None => Some(1),
        Some(r) if r.is_null() => Some(1),
        Some(r) => r.as_i64(),
    });
    let start = spec.map_or(Some(0), |s| match s.path(&["ordinals", "start"]) {
        None => Some(0),
        Some(r) if r.is_null() => Some(0),
        Some(r) => r.as_i64(),
    });
    let (Some(replicas), Some(start)) = (replicas, start) else {
        return;
    };
    if replicas < 0 || start < 0 {
        return; // CC103
    }
    let largest = names::largest_ordinal(start, replicas);
    let pod = names::pod_name(&base, largest);
    let name_desc = match prefix {
        Some(g) => format!("named from `generateName: {g}`"),
        None => format!("`{base}`"),
    };
    if pod.len() > POD_NAME_MAX {
        let first = names::pod_name(&base, start);
        let mut message = if first.len() > POD_NAME_MAX {
            format!(
                "the pods of StatefulSet {name_desc} would be named like `{first}` ({} characters), but a pod's hostname and its `statefulset.kubernetes.io/pod-name` label allow at most {POD_NAME_MAX}: the controller cannot create any pod. {}.",
                first.len(),
                template_consequence(v, "pod")
            )
        } else {
            // The first ordinal whose name is too long.
            let digits_room = POD_NAME_MAX.saturating_sub(base.len() + 1);
            let first_bad = 10i64.checked_pow(digits_room as u32).unwrap_or(i64::MAX);
            format!(
                "pod `{pod}` of StatefulSet {name_desc} ({} replicas from ordinal {start}) has {} characters, but a pod's hostname and its `statefulset.kubernetes.io/pod-name` label allow at most {POD_NAME_MAX}: the controller cannot create the pods from ordinal {first_bad} on.",
                replicas,
                pod.len()
            )
        };
        message.push_str(&format!(
            " Use a name of at most {} characters.",
            POD_NAME_MAX.saturating_sub(1 + largest.to_string().len())
        ));
        ctx.report(obj, &CC108, ptr, message, None);
        return;
    }
    if prefix.is_none() && base.len() > LONG_NAME {
        ctx.report(
            obj,
            &CC110,
            ptr,
            format!(
                "StatefulSet name `{base}` has {} characters: its pods get the label `controller-revision-hash: {base}-<hash>` with a hash of up to 10 characters, which can exceed the 63 characters allowed in a label value, and then the controller cannot create the pods of that revision. Keep the name within {LONG_NAME} characters.",
                base.len()
            ),
            None,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CC101, CC102: the selector

/// The pod template's labels, as Go decodes them; `None` when they cannot be decoded.
fn template_labels(sts: &Node) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(labels) = sts.path(&["spec", "template", "metadata", "labels"]) else {
        return Some(out);
    };
    if labels.is_null() {
        return Some(out);
    }
    for e in labels.as_map()? {
        let v = match &e.value.value {
            Value::Str(s) => s.clone(),
            Value::Null => String::new(),
            _ => return None,
        };
        out.insert(e.key.clone(), v);
    }
    Some(out)
}

fn check_selector(ctx: &mut Ctx, obj: &Object) {
    let sts = obj.node;
    let spec = sts.get("spec");
    let sel = spec.and_then(|s| s.get("selector"));
    let labels = template_labels(sts);
    let Some(sel) = sel.filter(|n| !n.is_null()) else {
        let mut message =
            "the StatefulSet has no `spec.selector`, which `apps/v1` requires".to_string();
        if let Some(l) = labels.as_ref().filter(|l| !l.is_empty()) {
            message.push_str(&format!(
                "; the pod template's labels are {}, and selecting them is the usual choice",
                label_list(l)
            ));
        }
        message.push_str(&format!(". {REJECTS}"));
        let fix_ = labels
            .as_ref()
            .and_then(|l| selector_fix(obj, spec, sel, l));
        ctx.report(obj, &CC101, "/spec/selector", message, fix_);
        ctx.report(
            obj,
            &CC102,
            "/spec/template/metadata/labels",
            format!(
                "with no selector nothing is selected, so Kubernetes also reports that the selector does not match the pod template's labels; adding `spec.selector` (see CC101) resolves both. {REJECTS}"
            ),
            None,
        );
        return;
    };
    let Some(entries) = sel.as_map() else {
        return; // CC004
    };
    let Some(parsed) = parse_selector(sel) else {
        return; // CC008 explains what Kubernetes cannot convert
    };
    if parsed.is_empty() {
        let mut message =
            "`spec.selector` is empty: it has neither `matchLabels` nor `matchExpressions`"
                .to_string();
        let others: Vec<String> = entries
            .iter()
            .filter(|e| e.key != "matchLabels" && e.key != "matchExpressions")
            .map(|e| format!("`{}`", e.key))
            .collect();
        match others.as_slice() {
            [] => {}
            [one] => message.push_str(&format!(" (its only key, {one}, is not a selector field)")),
            many => message.push_str(&format!(
                " (its keys {} are not selector fields)",
                many.join(", ")
            )),
        }
        message.push_str(
            ". An empty selector would take over every pod of the namespace, so the API server rejects the StatefulSet (\"empty selector is invalid for statefulset\").",
        );
        if let Some(l) = labels.as_ref().filter(|l| !l.is_empty()) {
            message.push_str(&format!(
                " The pod template's labels are {}.",
                label_list(l)
            ));
        }
        let fix_ = if entries.is_empty() {
            labels
                .as_ref()
                .and_then(|l| selector_fix(obj, spec, Some(sel), l))
        } else {
            None
        };
        ctx.report(obj, &CC101, "/spec/selector", message, fix_);
        return;
    }
    let Some(labels) = labels else {
        return; // labels that cannot be decoded: CC004
    };
    if parsed.matches(&labels) {
        return;
    }
    let reasons: Vec<String> = parsed
        .requirements
        .iter()
        .filter_map(|r| unmet(r, &labels))
        .collect();
    let mut message = format!(
        "the selector does not select the pod template's labels: {}. The API server rejects the StatefulSet (\"`selector` does not match template `labels`\").",
        reasons.join("; ")
    );
    // The fix: add the matchLabels-style requirements the template lacks.
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    let mut fixable = true;
    for r in &parsed.requirements {
        if unmet(r, &labels).is_none() {
            continue;
        }
        match r {
            Requirement::In(k, vs) if vs.len() == 1 && !labels.contains_key(k) => {
                if let Some(v) = vs.first() {
                    missing.insert(k.clone(), v.clone());
                }
            }
            _ => fixable = false,
        }
    }
    let mut fix_ = None;
    if fixable && !missing.is_empty() {
        let mut after = labels.clone();
        after.extend(missing.clone());
        if parsed.matches(&after) {
            fix_ = template_labels_fix(obj, &missing);
            if fix_.is_some() {
                message.push_str(&format!(
                    " Adding {} to the template's labels would match.",
                    label_list(&missing)
                ));
            }
        }
    }
    ctx.report(obj, &CC102, "/spec/template/metadata/labels", message, fix_);
}

fn label_list(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("`{k}: {v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a requirement is not met by the labels, or `None` when it is.
fn unmet(r: &Requirement, labels: &BTreeMap<String, String>) -> Option<String> {
    let values = |vs: &[String]| {
        vs.iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match r {
        Requirement::In(k, vs) => match labels.get(k) {
            Some(v) if vs.contains(v) => None,
            Some(v) if vs.len() == 1 => Some(format!(
                "it requires `{k}: {}`, the template has `{k}: {v}`",
                vs.first().map_or("", String::as_str)
            )),
            Some(v) => Some(format!(
                "it requires `{k}` to be one of {}, the template has `{k}: {v}`",
                values(vs)
            )),
            None if vs.len() == 1 => Some(format!(
                "it requires `{k}: {}`, the template has no label `{k}`",
                vs.first().map_or("", String::as_str)
            )),
            None => Some(format!(
                "it requires `{k}` to be one of {}, the template has no label `{k}`",
                values(vs)
            )),
        },
        Requirement::NotIn(k, vs) => match labels.get(k) {
            Some(v) if vs.contains(v) => Some(format!(
                "it requires `{k}` not to be one of {}, the template has `{k}: {v}`",
                values(vs)
            )),
            _ => None,
        },
        Requirement::Exists(k) => (!labels.contains_key(k))
            .then(|| format!("it requires a label `{k}`, the template has none")),
        Requirement::DoesNotExist(k) => labels.get(k).map(|v| {
            format!("it requires that there be no label `{k}`, the template has `{k}: {v}`")
        }),
    }
}

fn all_known(map: &Node, fields: &[&str]) -> bool {
    map.as_map()
        .is_some_and(|es| es.iter().all(|e| fields.contains(&e.key.as_str())))
}

fn labels_json(labels: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// Adds `selector: {matchLabels: <template labels>}`, or fills an empty/null selector.
fn selector_fix(
    obj: &Object,
    spec: Option<&Node>,
    sel: Option<&Node>,
    labels: &BTreeMap<String, String>,
) -> Option<Fix> {
    if labels.is_empty()
        || labels
            .iter()
            .any(|(k, v)| !names::qualified_name(k).is_empty() || !names::label_value(v).is_empty())
    {
        return None;
    }
    let spec = spec?;
    if !all_known(spec, SPEC_FIELDS) {
        return None;
    }
    let text = obj.text;
    let match_labels = labels_json(labels);
    let (edit, op) = match sel {
        None => (
            add_mapping_entry(
                text,
                spec,
                "selector",
                &serde_json::json!({ "matchLabels": match_labels }),
            )?,
            PatchOp::Add {
                path: obj.ptr("/spec/selector"),
                value: serde_json::json!({ "matchLabels": match_labels }),
            },
        ),
        Some(s) if s.is_null() => (
            replace_null(text, s, &serde_json::json!({ "matchLabels": match_labels }))?,
            PatchOp::Replace {
                path: obj.ptr("/spec/selector"),
                value: serde_json::json!({ "matchLabels": match_labels }),
            },
        ),
        Some(s) if s.as_map().is_some_and(<[_]>::is_empty) && s.style == Style::Flow => (
            add_mapping_entry(text, s, "matchLabels", &match_labels)?,
            PatchOp::Add {
                path: obj.ptr("/spec/selector/matchLabels"),
                value: match_labels.clone(),
            },
        ),
        _ => return None,
    };
    Some(Fix {
        applicability: Applicability::Safe,
        title: format!("Select the pod template's labels ({})", label_list(labels)),
        edits: vec![edit],
        patch: vec![op],
    })
}

/// Adds labels to the pod template so that the selector matches.
fn template_labels_fix(obj: &Object, missing: &BTreeMap<String, String>) -> Option<Fix> {
    let text = obj.text;
    let tmpl = obj.node.path(&["spec", "template"])?;
    if !all_known(tmpl, &["metadata", "spec"]) {
        return None;
    }
    let value = labels_json(missing);
    let title = format!("Add {} to the pod template's labels", label_list(missing));
    let (edits, patch) = match tmpl.get("metadata") {
        None => (
            vec![add_mapping_entry(
                text,
                tmpl,
                "metadata",
                &serde_json::json!({ "labels": value }),
            )?],
            vec![PatchOp::Add {
                path: obj.ptr("/spec/template/metadata"),
                value: serde_json::json!({ "labels": value }),
            }],
        ),
        Some(m) if m.is_null() => (
            vec![replace_null(
                text,
                m,
                &serde_json::json!({ "labels": value }),
            )?],
            vec![PatchOp::Replace {
                path: obj.ptr("/spec/template/metadata"),
                value: serde_json::json!({ "labels": value }),
            }],
        ),
        Some(m) => {
            if !all_known(m, OBJECT_META_FIELDS) {
                return None;
            }
            match m.get("labels") {
                None => (
                    vec![add_mapping_entry(text, m, "labels", &value)?],
                    vec![PatchOp::Add {
                        path: obj.ptr("/spec/template/metadata/labels"),
                        value,
                    }],
                ),
                Some(l) if l.is_null() => (
                    vec![replace_null(text, l, &value)?],
                    vec![PatchOp::Replace {
                        path: obj.ptr("/spec/template/metadata/labels"),
                        value,
                    }],
                ),
                Some(l) => {
                    l.as_map()?;
                    let json = fix::is_json_style(text, l);
                    let mut edits = Vec::new();
                    let mut patch = Vec::new();
                    for (k, v) in missing {
                        let v_text = if json {
                            fix::json_string(v)
                        } else {
                            fix::yaml_string(v)
                        };
                        edits.push(fix::add_entry(text, l, k, &v_text)?);
                        patch.push(PatchOp::Add {
                            path: obj.ptr(&crate::rule::join("/spec/template/metadata/labels", k)),
                            value: serde_json::Value::String(v.clone()),
                        });
                    }
                    (edits, patch)
                }
            }
        }
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        title,
        edits,
        patch,
    })
}

/// A value written in flow style: JSON in JSON documents, YAML flow otherwise.
fn render_flow(value: &serde_json::Value, json: bool) -> String {
    if json {
        return serde_json::to_string(value).unwrap_or_default();
    }
    match value {
        serde_json::Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", fix::yaml_string(k), render_flow(v, false)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        serde_json::Value::String(s) => fix::yaml_string(s),
        other => other.to_string(),
    }
}

/// A mapping value written in block style, one `key: value` a line.
fn render_block(value: &serde_json::Value, indent: usize, step: usize, nl: &str, out: &mut String) {
    let serde_json::Value::Object(m) = value else {
        return;
    };
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        out.push_str(&fix::yaml_string(k));
        out.push(':');
        match v {
            serde_json::Value::Object(inner) if !inner.is_empty() => {
                out.push_str(nl);
                render_block(v, indent + step, step, nl, out);
            }
            other => {
                out.push(' ');
                out.push_str(&render_flow(other, false));
                out.push_str(nl);
            }
        }
    }
}

/// The indentation step a block mapping's author uses, from a nested block mapping in it.
fn indent_step(text: &str, map: &Node) -> Option<usize> {
    map.as_map()?.iter().find_map(|e| {
        let child = e.value.as_map()?.first()?;
        if e.value.style != Style::Block {
            return None;
        }
        let step = fix::column(text, child.key_span.start)
            .checked_sub(fix::column(text, e.key_span.start))?;
        (step > 0).then_some(step)
    })
}

/// Adds `key: <mapping>` at the end of a mapping, in the mapping's own style.
fn add_mapping_entry(
    text: &str,
    map: &Node,
    key: &str,
    value: &serde_json::Value,
) -> Option<TextEdit> {
    if map.copied {
        return None;
    }
    let entries = map.as_map()?;
    match map.style {
        Style::Flow if entries.is_empty() => {
            // `{}`: write the entry between the braces (the mapping's span may run on past
            // the closing brace, over a trailing comment).
            let json = text.trim_start().starts_with('{');
            let k = if json {
                fix::json_string(key)
            } else {
                fix::yaml_string(key)
            };
            let open = map.span.start;
            if text.as_bytes().get(open) != Some(&b'{') {
                return None;
            }
            let close = open + 1 + text.get(open + 1..)?.find('}')?;
            if !text.get(open + 1..close)?.trim().is_empty() {
                return None;
            }
            Some(TextEdit::replace(
                crate::source::Span::new(open, close + 1),
                format!("{{{k}: {}}}", render_flow(value, json)),
            ))
        }
        Style::Flow => {
            let json = fix::is_json_style(text, map);
            fix::add_entry(text, map, key, &render_flow(value, json))
        }
        Style::Block => {
            if entries.iter().any(|e| e.merged) {
                return None;
            }
            let first = entries.first()?;
            let last = entries.last()?;
            let indent = fix::column(text, first.key_span.start);
            let step = indent_step(text, map).unwrap_or(2);
            let nl = fix::newline(text);
            let mut body = String::new();
            let mut wrapper = serde_json::Map::new();
            wrapper.insert(key.to_string(), value.clone());
            render_block(
                &serde_json::Value::Object(wrapper),
                indent,
                step,
                nl,
                &mut body,
            );
            let end = last.value.span.end.max(last.key_span.end);
            let at = fix::line_end(text, end.saturating_sub(1).max(last.key_span.start));
            let prefix = if at == text.len() && !text.ends_with('\n') {
                nl
            } else {
                ""
            };
            Some(TextEdit::insert(at, format!("{prefix}{body}")))
        }
        _ => None,
    }
}

/// Writes a mapping where a null stands (`key:` with nothing, `key: null`, `key: ~`).
fn replace_null(text: &str, node: &Node, value: &serde_json::Value) -> Option<TextEdit> {
    if node.copied || !node.is_null() {
        return None;
    }
    let json = text.trim_start().starts_with('{');
    let flow = render_flow(value, json);
    match node.style {
        Style::Implicit => Some(TextEdit::insert(node.span.start, format!(" {flow}"))),
        Style::Plain => Some(TextEdit::replace(node.span, flow)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// CC105 (and CC103 for the partition): updateStrategy

const UPDATE_STRATEGY_TYPES: &[&str] = &["RollingUpdate", "OnDelete"];

fn check_update_strategy(ctx: &mut Ctx, obj: &Object) {
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
fn max_unavailable_problem(n: &Node) -> Option<String> {
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

// ---------------------------------------------------------------------------------------------
// CC109, CC111: serviceName

fn check_service_name(ctx: &mut Ctx, obj: &Object) {
    let v = ctx.options.kubernetes_version;
    let spec = obj.node.get("spec");
    let node = spec.and_then(|s| s.get("serviceName"));
    if let Some(n) = node {
        if !matches!(n.value, Value::Str(_) | Value::Null) {
            return; // CC004
        }
    }
    match node.and_then(Node::as_str).filter(|s| !s.is_empty()) {
        Some(sn) => {
            let errs = names::dns1123_label(sn);
            if errs.is_empty() {
                return;
            }
            let mut message = format!(
                "`serviceName` `{sn}` is not a valid DNS-1123 label: {}",
                errs.join("; ")
            );
            let first = sn.split('.').next().unwrap_or("");
            if sn.contains('.') && names::dns1123_label(first).is_empty() {
                message.push_str(&format!(
                    " (did you mean `{first}`? The governing Service is named without its namespace or domain)"
                ));
            } else if let Some(s) = label_suggestion(sn) {
                message.push_str(&format!(" (did you mean `{s}`?)"));
            }
            message.push_str(&format!(
                ". The controller sets each pod's `subdomain` to it, and pod validation rejects that. {}.",
                template_consequence(v, "pod")
            ));
            ctx.report(obj, &CC109, "/spec/serviceName", message, None);
        }
        None => {
            let Some(spec) = spec.filter(|s| s.as_map().is_some()) else {
                return;
            };
            let name = obj
                .name
                .filter(|n| !n.is_empty() && names::dns1123_label(n).is_empty());
            let fix_ = name.and_then(|n| service_name_fix(obj, spec, node, n));
            ctx.report(
                obj,
                &CC111,
                "/spec/serviceName",
                "the StatefulSet has no `serviceName`: its pods get no stable DNS names (such as `<pod>.<service>.<namespace>.svc`), which peers in a clustered database usually rely on. The field cannot be changed later; name a headless Service here.",
                fix_,
            );
        }
    }
}

fn service_name_fix(obj: &Object, spec: &Node, node: Option<&Node>, name: &str) -> Option<Fix> {
    let text = obj.text;
    let (edit, op) = match node {
        Some(n) => (
            fix::replace_string(text, n, name)?,
            PatchOp::Replace {
                path: obj.ptr("/spec/serviceName"),
                value: serde_json::Value::String(name.into()),
            },
        ),
        None => {
            if !all_known(spec, SPEC_FIELDS) {
                return None;
            }
            let v = if fix::is_json_style(text, spec) {
                fix::json_string(name)
            } else {
                fix::yaml_string(name)
            };
            (
                fix::add_entry(text, spec, "serviceName", &v)?,
                PatchOp::Add {
                    path: obj.ptr("/spec/serviceName"),
                    value: serde_json::Value::String(name.into()),
                },
            )
        }
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Set `serviceName: {name}` (a headless Service of that name must exist)"),
        edits: vec![edit],
        patch: vec![op],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::statefulset::invalid_pod_management_policy::POD_MANAGEMENT_POLICIES;

    #[test]
    fn label_suggestions() {
        assert_eq!(label_suggestion("Web").as_deref(), Some("web"));
        assert_eq!(label_suggestion("web.v1").as_deref(), Some("web-v1"));
        assert_eq!(label_suggestion("My_App--1").as_deref(), Some("my-app-1"));
        assert_eq!(label_suggestion("web"), None);
    }

    #[test]
    fn max_unavailable_values() {
        let n = |v: Value| Node::new(v, Default::default(), Style::Plain);
        assert!(max_unavailable_problem(&n(Value::Int(2))).is_none());
        assert!(max_unavailable_problem(&n(Value::Int(0))).is_some());
        assert!(max_unavailable_problem(&n(Value::Int(-1))).is_some());
        assert!(max_unavailable_problem(&n(Value::Str("50%".into()))).is_none());
        assert!(max_unavailable_problem(&n(Value::Str("0%".into()))).is_some());
        assert!(max_unavailable_problem(&n(Value::Str("101%".into()))).is_some());
        assert!(max_unavailable_problem(&n(Value::Str("99999999999999999999%".into()))).is_some());
        assert!(max_unavailable_problem(&n(Value::Str("2".into()))).is_some());
    }

    #[test]
    fn enum_near_misses() {
        let n = |s: &str| Node::new(Value::Str(s.into()), Default::default(), Style::Plain);
        let node = n("parallel");
        let b = bad_enum(Some(&node), POD_MANAGEMENT_POLICIES).expect("bad");
        assert_eq!(b.same_case, Some("Parallel"));
        let node = n("Ordered");
        let b = bad_enum(Some(&node), POD_MANAGEMENT_POLICIES).expect("bad");
        assert_eq!((b.same_case, b.near), (None, Some("OrderedReady")));
        let node = n("OnDelete ");
        let b = bad_enum(Some(&node), UPDATE_STRATEGY_TYPES).expect("bad");
        assert_eq!(b.same_case, Some("OnDelete"));
        let node = n("Parallel");
        assert!(bad_enum(Some(&node), POD_MANAGEMENT_POLICIES).is_none());
        let node = n("");
        assert!(bad_enum(Some(&node), POD_MANAGEMENT_POLICIES).is_none());
    }
}
