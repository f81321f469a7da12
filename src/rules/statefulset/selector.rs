//! A StatefulSet's selector against its pod template's labels: reports CC101 (selector missing or empty) and CC102 (selector does not select the template).

use super::{selector_fix, template_labels_fix, CC101, CC102};
use crate::model::selector::{parse_selector, Requirement};
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// CC101, CC102: the selector

/// The pod template's labels, as Go decodes them; `None` when they cannot be decoded.
pub(super) fn template_labels(sts: &Node) -> Option<BTreeMap<String, String>> {
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

/// `kind` names the object in messages ("StatefulSet", "Deployment", …); `spec_fields` are the
/// fields of its spec (a fix that adds `selector` is withheld when an unknown field may be a
/// misspelling of it).
pub(super) fn check_selector(ctx: &mut Ctx, obj: &Object, kind: &str, spec_fields: &[&str]) {
    let sts = obj.node;
    let rejects = format!("The API server rejects the {kind}.");
    let spec = sts.get("spec");
    let sel = spec.and_then(|s| s.get("selector"));
    let labels = template_labels(sts);
    let Some(sel) = sel.filter(|n| !n.is_null()) else {
        let mut message = format!(
            "the {kind} has no `spec.selector`, which `{}` requires",
            obj.api_version
        );
        if let Some(l) = labels.as_ref().filter(|l| !l.is_empty()) {
            message.push_str(&format!(
                "; the pod template's labels are {}, and selecting them is the usual choice",
                label_list(l)
            ));
        }
        message.push_str(&format!(". {rejects}"));
        let fix_ = labels
            .as_ref()
            .and_then(|l| selector_fix(obj, spec, sel, l, spec_fields));
        ctx.report(obj, &CC101, "/spec/selector", message, fix_);
        ctx.report(
            obj,
            &CC102,
            "/spec/template/metadata/labels",
            format!(
                "with no selector nothing is selected, so Kubernetes also reports that the selector does not match the pod template's labels; adding `spec.selector` (see CC101) resolves both. {rejects}"
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
        message.push_str(&format!(
            ". An empty selector would take over every pod of the namespace, so the API server rejects the {kind} (\"empty selector is invalid for {}\").",
            kind.to_ascii_lowercase()
        ));
        if let Some(l) = labels.as_ref().filter(|l| !l.is_empty()) {
            message.push_str(&format!(
                " The pod template's labels are {}.",
                label_list(l)
            ));
        }
        let fix_ = if entries.is_empty() {
            labels
                .as_ref()
                .and_then(|l| selector_fix(obj, spec, Some(sel), l, spec_fields))
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
        "the selector does not select the pod template's labels: {}. The API server rejects the {kind} (\"`selector` does not match template `labels`\").",
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

pub(super) fn label_list(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("`{k}: {v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a requirement is not met by the labels, or `None` when it is.
pub(super) fn unmet(r: &Requirement, labels: &BTreeMap<String, String>) -> Option<String> {
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

pub(super) fn all_known(map: &Node, fields: &[&str]) -> bool {
    map.as_map()
        .is_some_and(|es| es.iter().all(|e| fields.contains(&e.key.as_str())))
}

pub(super) fn labels_json(labels: &BTreeMap<String, String>) -> serde_json::Value {
    // inserted one by one (already in order): `collect` would bring a sort of its own
    let mut m = serde_json::Map::new();
    for (k, v) in labels {
        m.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    serde_json::Value::Object(m)
}
