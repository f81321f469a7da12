//! Unit tests of the updates family's shared checks.

use super::*;
use serde_json::Value as J;

fn j(s: &str) -> J {
    serde_json::from_str(s).expect("json")
}

fn changes(a: &str, b: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (a, b) = (norm(j(a), ""), norm(j(b), ""));
    diff(a.as_ref(), b.as_ref(), "/spec", &mut out);
    out.into_iter().map(|c| c.ptr).collect()
}

#[test]
fn unset_forms_are_equal() {
    assert!(changes(r#"{"a": null, "b": [], "c": {}, "d": ""}"#, "{}").is_empty());
    assert!(changes(r#"{"labels": {}}"#, r#"{"labels": null}"#).is_empty());
    // a pointer string: "" is a value
    assert_eq!(
        changes(r#"{"a": 1}"#, r#"{"a": 1, "storageClassName": ""}"#),
        ["/spec/storageClassName"]
    );
}

#[test]
fn quantities_compare_by_value() {
    let a = r#"{"resources": {"requests": {"storage": "1Gi"}}}"#;
    for b in ["\"1024Mi\"", "1073741824", "\"1073741824\""] {
        let b = format!(r#"{{"resources": {{"requests": {{"storage": {b}}}}}}}"#);
        assert!(changes(a, &b).is_empty(), "{b}");
    }
    let c = r#"{"resources": {"requests": {"storage": "2Gi"}}}"#;
    assert_eq!(changes(a, c), ["/spec/resources/requests/storage"]);
}

#[test]
fn diffs_point_at_the_changed_leaf() {
    assert_eq!(
        changes(
            r#"{"selector": {"matchLabels": {"app": "a"}}}"#,
            r#"{"selector": {"matchLabels": {"app": "a", "version": "v2"}}}"#
        ),
        ["/spec/selector/matchLabels/version"]
    );
    assert_eq!(
        changes(r#"{"m": ["A"]}"#, r#"{"m": ["B", "C"]}"#),
        ["/spec/m/0", "/spec/m/1"]
    );
    assert_eq!(
        changes(
            r#"{"m": {"name": "x"}}"#,
            r#"{"m": {"name": "x", "labels": {"a": "b"}}}"#
        ),
        ["/spec/m/labels"]
    );
}

#[test]
fn stored_templates_fill_defaults() {
    let a = stored_template(&j(r#"{"metadata": {"name": "d"}, "spec": {}}"#));
    let b = stored_template(&j(
        r#"{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d", "creationTimestamp": null}, "spec": {"volumeMode": "Filesystem"}, "status": {"phase": "Pending"}}"#,
    ));
    assert_eq!(a, b);
}

#[test]
fn a_null_quantity_is_zero() {
    let a = r#"{"resources": {"requests": {"storage": null}}}"#;
    assert!(changes(a, r#"{"resources": {"requests": {"storage": "0"}}}"#).is_empty());
    assert_eq!(changes(a, "{\"x\": 1}").len(), 2);
}
