//! The fixes of the selector rules (CC101, CC102): a selector from the template's labels, or the missing labels added to the template.

use super::selector::{label_list, labels_json};
use super::CC101;
use super::CC102;
use super::{all_known, OBJECT_META_FIELDS};
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::names;
use crate::patch::PatchOp;
use crate::rule::Object;
use crate::source::{Node, Style};
use std::collections::BTreeMap;

/// Adds `selector: {matchLabels: <template labels>}`, or fills an empty/null selector.
pub(super) fn selector_fix(
    obj: &Object,
    spec: Option<&Node>,
    sel: Option<&Node>,
    labels: &BTreeMap<String, String>,
    spec_fields: &[&str],
) -> Option<Fix> {
    if labels.is_empty()
        || labels
            .iter()
            .any(|(k, v)| !names::qualified_name(k).is_empty() || !names::label_value(v).is_empty())
    {
        return None;
    }
    let spec = spec?;
    if !all_known(spec, spec_fields) {
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
            replace_null(
                text,
                spec,
                "selector",
                &serde_json::json!({ "matchLabels": match_labels }),
            )?,
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
    crate::fix::make(
        &CC101,
        Applicability::Safe,
        format!("Select the pod template's labels ({})", label_list(labels)),
        vec![edit],
        vec![op],
    )
}

/// Adds labels to the pod template so that the selector matches.
pub(super) fn template_labels_fix(obj: &Object, missing: &BTreeMap<String, String>) -> Option<Fix> {
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
                tmpl,
                "metadata",
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
                    vec![replace_null(text, m, "labels", &value)?],
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
    crate::fix::make(&CC102, Applicability::Unsafe, title, edits, patch)
}

/// A value written in flow style: JSON in JSON documents, YAML flow otherwise.
pub(super) fn render_flow(value: &serde_json::Value, json: bool) -> String {
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
pub(super) fn render_block(
    value: &serde_json::Value,
    indent: usize,
    step: usize,
    nl: &str,
    out: &mut String,
) {
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
pub(super) fn indent_step(text: &str, map: &Node) -> Option<usize> {
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
pub(super) fn add_mapping_entry(
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
pub(super) fn replace_null(
    text: &str,
    parent: &Node,
    key: &str,
    value: &serde_json::Value,
) -> Option<TextEdit> {
    let entry = parent.entry(key)?;
    let node = &entry.value;
    if node.copied || !node.is_null() {
        return None;
    }
    let json = text.trim_start().starts_with('{');
    let flow = render_flow(value, json);
    match node.style {
        Style::Implicit => Some(TextEdit::insert(
            fix::after_key_colon(text, entry)?,
            format!(" {flow}"),
        )),
        Style::Plain => Some(TextEdit::replace(node.span, flow)),
        _ => None,
    }
}
