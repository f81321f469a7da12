//! Comparing an object's old and new JSON the way the API server's update validation does: normalised values, the list of changed fields, and how to show them.

use crate::model::quantity::{self, Quantity};
use crate::rule::Object;
use crate::source::push_pointer_segment;
use serde_json::{Map, Value as J};
use std::cmp::Ordering;

// ---------------------------------------------------------------------------------------------
// Semantic comparison

/// Fields declared as `*string` in Go: there an empty string is a value, not "unset".
pub(super) const NULLABLE_STRINGS: &[&str] = &["storageClassName", "volumeAttributesClassName"];

pub(super) fn quantity_of(v: &J) -> Option<Quantity> {
    match v {
        J::String(s) => Quantity::parse(s).ok(),
        J::Number(n) => quantity::parse_number_text(&n.to_string()).ok(),
        _ => None,
    }
}

/// Whether the pointer names a resource quantity (`…/requests/storage`, `…/capacity/storage`).
pub(super) fn is_quantity_pointer(ptr: &str) -> bool {
    let mut segs = ptr.rsplit('/');
    segs.next();
    matches!(segs.next(), Some("requests" | "limits" | "capacity"))
}

/// Orders quantities by value; equal when the API server stores the same text for both (for
/// values beyond its range that text is not the value).
pub(super) fn compare(a: &Quantity, b: &Quantity) -> Ordering {
    if a.canonical() == b.canonical() {
        Ordering::Equal
    } else {
        a.cmp_value(b)
    }
}

pub(super) fn leaf_equal(a: &J, b: &J, ptr: &str) -> bool {
    if a == b {
        return true;
    }
    if is_quantity_pointer(ptr) {
        if let (Some(x), Some(y)) = (quantity_of(a), quantity_of(b)) {
            return compare(&x, &y) == Ordering::Equal;
        }
    }
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// One difference: the pointer (into the new object) and the two values.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Change {
    pub(super) ptr: String,
    pub(super) old: Option<J>,
    pub(super) new: Option<J>,
}

/// Differences between two normalized values, at the most specific pointers: map keys and
/// list positions are followed down to the leaves that differ.
pub(super) fn diff(old: Option<&J>, new: Option<&J>, ptr: &str, out: &mut Vec<Change>) {
    diff_at(old, new, &mut ptr.to_string(), out);
}

/// [`diff`] with the pointer in a buffer: a segment is added on the way down and removed on
/// the way back, so only the pointers of changes are copied.
fn diff_at(old: Option<&J>, new: Option<&J>, ptr: &mut String, out: &mut Vec<Change>) {
    let len = ptr.len();
    match (old, new) {
        (None, None) => {}
        (Some(J::Object(a)), Some(J::Object(b))) => {
            for (k, v) in b {
                ptr.push('/');
                push_pointer_segment(ptr, k);
                diff_at(a.get(k), Some(v), ptr, out);
                ptr.truncate(len);
            }
            for (k, v) in a {
                if !b.contains_key(k) {
                    ptr.push('/');
                    push_pointer_segment(ptr, k);
                    diff_at(Some(v), None, ptr, out);
                    ptr.truncate(len);
                }
            }
        }
        (Some(J::Array(a)), Some(J::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                use std::fmt::Write;
                let _ = write!(ptr, "/{i}");
                diff_at(a.get(i), b.get(i), ptr, out);
                ptr.truncate(len);
            }
        }
        (Some(a), Some(b)) if leaf_equal(a, b, ptr) => {}
        (a, b) => out.push(Change {
            ptr: ptr.clone(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

/// A value for a message: scalars as written, structures as compact JSON (shortened).
pub(super) fn show(v: &Option<J>) -> String {
    match v {
        None => "unset".to_string(),
        Some(J::String(s)) if s.is_empty() => "\"\"".to_string(),
        Some(J::String(s)) => format!("`{s}`"),
        Some(other) => {
            let t = other.to_string();
            if t.chars().count() > 60 {
                format!("`{}…`", t.chars().take(57).collect::<String>())
            } else {
                format!("`{t}`")
            }
        }
    }
}

/// `/spec/accessModes/0` → `spec.accessModes[0]`.
pub(super) fn dotted(ptr: &str) -> String {
    let mut out = String::new();
    for seg in ptr.trim_start_matches('/').split('/') {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&crate::source::unescape_pointer_segment(seg));
        }
    }
    out
}

pub(super) fn what_changed(c: &Change, field: &str) -> String {
    match (&c.old, &c.new) {
        (None, Some(_)) => format!("`{field}` is added ({})", show(&c.new)),
        (Some(_), None) => format!("`{field}` is removed (it was {})", show(&c.old)),
        _ => format!(
            "`{field}` changes from {} to {}",
            show(&c.old),
            show(&c.new)
        ),
    }
}

/// The object's spec as the API server decodes it: fields the schema does not know are left
/// out (strict decoding rejects them, which CC003 and CC201 report; otherwise they are dropped),
/// so a misspelt key is not also reported as a change.
pub(super) fn spec_json(obj: &Object) -> Option<J> {
    // only the spec is copied and validated: what lies outside it is not looked at
    let spec = obj.node.get("spec")?;
    let mut root = Map::new();
    root.insert("spec".to_string(), spec.to_json());
    decoded_spec(obj, J::Object(root))
}

/// [`spec_json`] with only the spec fields in `keep` (which a rule compares): the same values
/// under those keys, without copying the rest of the spec (a pod template can be most of the
/// input). `None` when none of them is set — also when the whole spec would be something.
pub(super) fn spec_fields_json(obj: &Object, keep: &[&str]) -> Option<J> {
    let spec = obj.node.get("spec")?;
    let Some(entries) = spec.as_map() else {
        return spec_json(obj);
    };
    let mut fields = Map::new();
    for e in entries {
        if keep.contains(&e.key.as_str()) {
            // a repeated key: the last one wins, as in `Node::to_json`
            fields.insert(e.key.clone(), e.value.to_json());
        }
    }
    let mut root = Map::new();
    root.insert("spec".to_string(), J::Object(fields));
    decoded_spec(obj, J::Object(root))
}

/// The spec of `json` (the object, or the part of it with the spec fields a rule compares)
/// without the fields the schema does not know, normalised.
fn decoded_spec(obj: &Object, mut json: J) -> Option<J> {
    use crate::schema::{validate, SchemaIssueKind, SchemaKind};
    let kind =
        SchemaKind::of(obj.api_version, obj.kind).unwrap_or(SchemaKind::PersistentVolumeClaim);
    for issue in validate(kind, &json) {
        if let SchemaIssueKind::UnknownField { field, parent, .. } = issue.kind {
            if let Some(J::Object(m)) = json.pointer_mut(&parent) {
                m.remove(&field);
            }
        }
    }
    json.get_mut("spec")
        .map(J::take)
        .and_then(|s| norm(s, "spec"))
}

/// The value as the API server holds it after decoding: unset things removed (taken by
/// value: its strings are moved, not copied).
pub(super) fn norm(v: J, key: &str) -> Option<J> {
    match v {
        J::Null => None,
        J::String(s) if s.is_empty() && !NULLABLE_STRINGS.contains(&key) => None,
        J::Object(mut m) => {
            // in a resource list a null quantity decodes as zero
            let quantities = matches!(key, "requests" | "limits" | "capacity");
            // in place: the map is not built again
            m.retain(|k, v| match v {
                J::Null if quantities => {
                    *v = J::from("0");
                    true
                }
                v => match norm(v.take(), k) {
                    Some(n) => {
                        *v = n;
                        true
                    }
                    None => false,
                },
            });
            (!m.is_empty()).then_some(J::Object(m))
        }
        J::Array(a) if a.is_empty() => None,
        J::Array(a) => Some(J::Array(
            a.into_iter()
                .map(|x| norm(x, "").unwrap_or(J::Null))
                .collect(),
        )),
        other => Some(other),
    }
}

pub(super) fn field<'a>(spec: &'a Option<J>, key: &str) -> Option<&'a J> {
    spec.as_ref().and_then(|s| s.get(key))
}

pub(super) fn set_default(v: &mut Option<J>, key: &str, default: J) {
    let obj = v.get_or_insert_with(|| J::Object(Map::new()));
    if let J::Object(m) = obj {
        m.entry(key.to_string()).or_insert(default);
    }
}

pub(super) fn remove(v: &mut Option<J>, key: &str) -> Option<J> {
    match v {
        Some(J::Object(m)) => m.remove(key),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What decoding keeps: empty strings only where Go has `*string`, null quantities as
    /// zero, no empty maps or lists, list items kept in place.
    #[test]
    fn normalisation_keeps_what_decoding_keeps() {
        let v = serde_json::json!({
            "storageClassName": "",
            "volumeName": "",
            "resources": {"requests": {"storage": null, "cpu": "1"}, "limits": {}},
            "accessModes": [],
            "list": [null, {}, {"a": null}, "", [1, null]],
            "selector": {"matchLabels": {"a": "b"}},
            "n": 1.5,
            "b": false,
            "x": null,
        });
        let want = serde_json::json!({
            "storageClassName": "",
            "resources": {"requests": {"storage": "0", "cpu": "1"}},
            "list": [null, null, null, null, [1, null]],
            "selector": {"matchLabels": {"a": "b"}},
            "n": 1.5,
            "b": false,
        });
        assert_eq!(norm(v, "spec"), Some(want));
        assert_eq!(norm(serde_json::json!(null), "spec"), None);
        assert_eq!(norm(serde_json::json!(""), "spec"), None);
        assert_eq!(
            norm(serde_json::json!(""), "storageClassName"),
            Some(serde_json::json!(""))
        );
        assert_eq!(norm(serde_json::json!([]), ""), None);
    }
}
