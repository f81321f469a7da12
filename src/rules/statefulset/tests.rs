//! Unit tests of the statefulset family's shared checks.

use super::invalid_pod_management_policy::POD_MANAGEMENT_POLICIES;
use super::update_strategy::max_unavailable_problem;
use super::*;
use crate::model::enums::bad_enum;
use crate::model::enums::label_suggestion;
use crate::source::Node;
use crate::source::Style;
use crate::source::Value;

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
