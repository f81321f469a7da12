//! CC008 invalid-metadata: Labels, annotations, names, namespaces, finalizers or label selectors that the API server rejects.

use super::Place;
use crate::fix;
use crate::model::names;
use crate::model::selector::{label_value_text, mask_trailing_dash};
use crate::rule::{join, Ctx, Object};
use crate::source::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks the metadata that Kubernetes validates with fixed syntax rules, wherever it appears in a StatefulSet, a PersistentVolumeClaim or another workload kind (Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, Pod, PodTemplate):
    ///
    /// - label keys (an optional DNS subdomain prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`, beginning and ending with a letter or digit) and label values (the same characters, at most 63, or empty);
    /// - annotation keys (the same rule as label keys, letter case of the prefix aside) and the total size of the annotations (256 KiB);
    /// - `metadata.namespace` (a DNS-1123 label), a PVC's `metadata.name` and `generateName` (a DNS-1123 subdomain), and finalizers (qualified names; one without a `/` must be one of Kubernetes' own);
    /// - label selectors: the keys and values of `matchLabels`, and each `matchExpressions` entry (operator `In`, `NotIn`, `Exists` or `DoesNotExist`; `values` required for `In` and `NotIn`, forbidden for `Exists` and `DoesNotExist`).
    ///
    /// The places checked are the object's own metadata, the StatefulSet's `spec.selector`, its pod template's metadata, its claim templates' metadata and selectors, a standalone PVC's `spec.selector`, and for the other workload kinds their own metadata, their selector (a ReplicationController's plain label map included) and their pod template's labels and annotations. (A StatefulSet's own name is CC108's business, a claim template's name CC203's.)
    ///
    /// ## Why is this bad?
    /// The API server rejects a StatefulSet or PVC whose own metadata, pod template labels or selector break these rules. A claim template's metadata and selector are not checked when the StatefulSet is stored (before Kubernetes 1.34): the StatefulSet is accepted, and then every claim the controller creates from the template is rejected, so no pod ever starts. Label values with spaces, keys with spaces or several slashes, and operators written in lower case (`in`) are the usual slips.
    ///
    /// ## Example
    /// ```yaml
    /// selector:
    ///   matchExpressions:
    ///     - key: app
    ///       operator: in        # must be `In`
    ///       values: [web]
    /// template:
    ///   metadata:
    ///     labels:
    ///       tier: front end     # spaces are not allowed in label values
    /// ```
    ///
    /// ## Fix safety
    /// An operator that differs from a valid one only in letter case is corrected; this is safe, as no other operator could have been meant. Other problems need a decision (which character to use instead of a space, for instance) and get no fix.
    pub CC008 {
        name: "invalid-metadata",
        severity: Error,
        fix: Safe,
        summary: "Labels, annotations, names, namespaces, finalizers or label selectors that the API server rejects",
    }
}

/// Largest total size of an object's annotations, keys and values together.
pub(super) const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// Finalizers without a domain prefix that Kubernetes itself defines.
pub(super) const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

/// The selector operators, as the API spells them.
pub const SELECTOR_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];

pub(super) fn joined(errs: &[String]) -> String {
    errs.join("; ")
}

pub(super) fn check_labels(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    check_labels_at(ctx, obj, meta, "labels", place);
}

/// The label map `meta.<key>` (`labels`, or a ReplicationController's `selector`).
pub(super) fn check_labels_at(ctx: &mut Ctx, obj: &Object, meta: &Node, key: &str, place: &Place) {
    if ctx.is_fixing() {
        return; // none of these findings has a fix: a round of fixing wants none of them
    }
    let Some(labels) = meta.get(key).and_then(Node::as_map) else {
        return;
    };
    let base = format!("{}/{key}", place.base);
    for e in labels {
        let valid_key = names::is_qualified_name(&e.key);
        if !valid_key && !ctx.wants_details(obj, &CC008) {
            ctx.report_counted(obj, &CC008, CC008.severity, || join(&base, &e.key));
            continue;
        }
        let key_errs = if valid_key {
            Vec::new()
        } else {
            names::qualified_name(&e.key)
        };
        if !key_errs.is_empty() {
            ctx.report(
                obj,
                &CC008,
                &join(&base, &e.key),
                format!(
                    "label key `{}` in {}'s {key} is not a valid label key: {}. {}",
                    e.key,
                    place.what,
                    joined(&key_errs),
                    place.consequence
                ),
                None,
            );
            continue;
        }
        if let Some(value) = label_value_text(&e.value) {
            if names::is_label_value(value) {
                continue;
            }
            if !ctx.wants_details(obj, &CC008) {
                ctx.report_counted(obj, &CC008, CC008.severity, || join(&base, &e.key));
                continue;
            }
            let errs = names::label_value(value);
            if !errs.is_empty() {
                ctx.report(
                    obj,
                    &CC008,
                    &join(&base, &e.key),
                    format!(
                        "label `{}` in {}'s {key} has an invalid value `{value}`: {}. {}",
                        e.key,
                        place.what,
                        joined(&errs),
                        place.consequence
                    ),
                    None,
                );
            }
        }
    }
}

pub(super) fn check_annotations(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    if ctx.is_fixing() {
        return; // none of these findings has a fix: a round of fixing wants none of them
    }
    let Some(annotations) = meta.get("annotations").and_then(Node::as_map) else {
        return;
    };
    let base = format!("{}/annotations", place.base);
    let mut total = 0usize;
    for e in annotations {
        total = total
            .saturating_add(e.key.len())
            .saturating_add(e.value.as_str().map_or(0, str::len));
        // Annotation keys are checked in lower case: the prefix may use capitals.
        let lowered: std::borrow::Cow<str> =
            if e.key.is_ascii() && !e.key.bytes().any(|b| b.is_ascii_uppercase()) {
                e.key.as_str().into()
            } else {
                crate::model::names::go_lower(&e.key).into()
            };
        if names::is_qualified_name(&lowered) {
            continue;
        }
        if !ctx.wants_details(obj, &CC008) {
            ctx.report_counted(obj, &CC008, CC008.severity, || join(&base, &e.key));
            continue;
        }
        let errs = names::qualified_name(&lowered);
        if !errs.is_empty() {
            ctx.report(
                obj,
                &CC008,
                &join(&base, &e.key),
                format!(
                    "annotation key `{}` in {}'s annotations is not a valid key: {}. {}",
                    e.key,
                    place.what,
                    joined(&errs),
                    place.consequence
                ),
                None,
            );
        }
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        ctx.report(
            obj,
            &CC008,
            &base,
            format!(
                "the annotations of {} take {total} bytes; at most {TOTAL_ANNOTATION_SIZE_LIMIT} bytes (256 KiB) are allowed. {}",
                place.what, place.consequence
            ),
            None,
        );
    }
}

pub(super) fn check_finalizers(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    let Some(finalizers) = meta.get("finalizers").and_then(Node::as_seq) else {
        return;
    };
    for (i, f) in finalizers.iter().enumerate() {
        let Some(name) = f.as_str() else { continue };
        let mut errs = names::qualified_name(name);
        if errs.is_empty() && !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
            errs.push(
                "a finalizer without a domain prefix must be one of Kubernetes' own (`kubernetes`, `orphan`, `foregroundDeletion`); write it as `<your-domain>/<name>`"
                    .into(),
            );
        }
        if !errs.is_empty() {
            ctx.report(
                obj,
                &CC008,
                &format!("{}/finalizers/{i}", place.base),
                format!(
                    "finalizer `{name}` of {} is not a valid finalizer name: {}. {}",
                    place.what,
                    joined(&errs),
                    place.consequence
                ),
                None,
            );
        }
    }
}

pub(super) fn check_namespace(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    let Some(ns) = meta.get("namespace").and_then(Node::as_str) else {
        return;
    };
    if ns.is_empty() {
        return; // the request's namespace is used
    }
    let errs = names::dns1123_label(ns);
    if errs.is_empty() {
        return;
    }
    let mut message = format!(
        "namespace `{ns}` of {} is not a valid namespace name (a DNS-1123 label): {}",
        place.what,
        joined(&errs)
    );
    let lower = ns.to_ascii_lowercase();
    if lower != ns && names::dns1123_label(&lower).is_empty() {
        message.push_str(&format!(" (did you mean `{lower}`?)"));
    }
    message.push_str(&format!(". {}", place.consequence));
    ctx.report(
        obj,
        &CC008,
        &format!("{}/namespace", place.base),
        message,
        None,
    );
}

/// A PVC's `metadata.name` and `generateName`: DNS-1123 subdomains.
pub(super) fn check_pvc_names(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    if let Some(name) = meta.get("name").and_then(Node::as_str) {
        if !name.is_empty() {
            let errs = names::persistent_volume_claim_name(name);
            if !errs.is_empty() {
                let mut message = format!(
                    "claim name `{name}` is not a valid PersistentVolumeClaim name (a DNS-1123 subdomain): {}",
                    joined(&errs)
                );
                let lower = name.to_ascii_lowercase();
                if lower != name && names::persistent_volume_claim_name(&lower).is_empty() {
                    message.push_str(&format!(" (did you mean `{lower}`?)"));
                }
                message.push_str(&format!(". {}", place.consequence));
                ctx.report(obj, &CC008, &format!("{}/name", place.base), message, None);
            }
        }
    }
    if let Some(prefix) = meta.get("generateName").and_then(Node::as_str) {
        if !prefix.is_empty() {
            let errs = names::persistent_volume_claim_name(&mask_trailing_dash(prefix));
            if !errs.is_empty() {
                ctx.report(
                    obj,
                    &CC008,
                    &format!("{}/generateName", place.base),
                    format!(
                        "`generateName` `{prefix}` is not a valid prefix for a claim name (a DNS-1123 subdomain, which may end in `-` here): {}. {}",
                        joined(&errs),
                        place.consequence
                    ),
                    None,
                );
            }
        }
    }
}

/// Validates a label selector (`ValidateLabelSelector`, values included).
pub(super) fn check_selector(
    ctx: &mut Ctx,
    obj: &Object,
    sel: &Node,
    base: &str,
    what: &str,
    consequence: &str,
) {
    if sel.as_map().is_none() {
        return;
    }
    if let Some(ml) = sel.get("matchLabels").and_then(Node::as_map) {
        let ml_base = format!("{base}/matchLabels");
        for e in ml {
            let ptr = join(&ml_base, &e.key);
            let key_errs = names::qualified_name(&e.key);
            if !key_errs.is_empty() {
                ctx.report(
                    obj,
                    &CC008,
                    &ptr,
                    format!(
                        "`matchLabels` key `{}` in {what} is not a valid label key: {}. {consequence}",
                        e.key,
                        joined(&key_errs)
                    ),
                    None,
                );
                continue;
            }
            if let Some(v) = label_value_text(&e.value) {
                let errs = names::label_value(v);
                if !errs.is_empty() {
                    ctx.report(
                        obj,
                        &CC008,
                        &ptr,
                        format!(
                            "`matchLabels` entry `{}: {v}` in {what} has an invalid label value: {}. {consequence}",
                            e.key,
                            joined(&errs)
                        ),
                        None,
                    );
                }
            }
        }
    }
    let Some(exprs) = sel.get("matchExpressions").and_then(Node::as_seq) else {
        return;
    };
    for (i, expr) in exprs.iter().enumerate() {
        if expr.as_map().is_none() {
            continue;
        }
        let ebase = format!("{base}/matchExpressions/{i}");
        let key = expr.get("key").and_then(label_value_text).unwrap_or("");
        let values = expr.get("values").and_then(Node::as_seq).unwrap_or(&[]);
        let op_node = expr.get("operator");
        let op = op_node.and_then(label_value_text).unwrap_or("");
        let label = if key.is_empty() {
            format!("expression {i} of {what}")
        } else {
            format!("expression {i} (`{key}`) of {what}")
        };
        match op {
            "In" | "NotIn" => {
                if values.is_empty() {
                    ctx.report(
                        obj,
                        &CC008,
                        &format!("{ebase}/values"),
                        format!(
                            "{label} uses `{op}` but has no `values`: `In` and `NotIn` need at least one value. {consequence}"
                        ),
                        None,
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    ctx.report(
                        obj,
                        &CC008,
                        &format!("{ebase}/values"),
                        format!(
                            "{label} uses `{op}` and also lists `values`, which `Exists` and `DoesNotExist` do not allow. {consequence}"
                        ),
                        None,
                    );
                }
            }
            _ if op_node.is_some_and(|n| !matches!(n.value, Value::Str(_) | Value::Null)) => {}
            _ => {
                let ptr = format!("{ebase}/operator");
                let same_case = SELECTOR_OPERATORS
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(op.trim()))
                    .copied();
                let mut message = if op.is_empty() {
                    format!("{label} has no `operator`")
                } else {
                    format!("{label} has the operator `{op}`, which is not a selector operator")
                };
                message.push_str(": use `In`, `NotIn`, `Exists` or `DoesNotExist`");
                if let Some(o) = same_case {
                    message.push_str(&format!(" (operators are case-sensitive: `{o}`)"));
                }
                message.push_str(&format!(". {consequence}"));
                let fix_ = match (same_case, op_node) {
                    (Some(o), Some(n)) => fix::case_fix(&CC008, obj, n, &ptr, o),
                    _ => None,
                };
                ctx.report(obj, &CC008, &ptr, message, fix_);
            }
        }
        let key_errs = names::qualified_name(key);
        if !key_errs.is_empty()
            && expr
                .get("key")
                .is_none_or(|n| label_value_text(n).is_some())
        {
            ctx.report(
                obj,
                &CC008,
                &format!("{ebase}/key"),
                format!(
                    "the key `{key}` of expression {i} of {what} is not a valid label key: {}. {consequence}",
                    joined(&key_errs)
                ),
                None,
            );
        }
        for (j, v) in values.iter().enumerate() {
            let Some(text) = label_value_text(v) else {
                continue;
            };
            let errs = names::label_value(text);
            if !errs.is_empty() {
                ctx.report(
                    obj,
                    &CC008,
                    &format!("{ebase}/values/{j}"),
                    format!(
                        "value `{text}` of {label} is not a valid label value: {}. {consequence}",
                        joined(&errs)
                    ),
                    None,
                );
            }
        }
    }
}
