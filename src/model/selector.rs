//! Label selectors as Kubernetes converts them (`LabelSelectorAsSelector`), and the label
//! texts they compare. Shared by the metadata, StatefulSet and cross-object rules.

use std::collections::BTreeMap;

use crate::model::names;
use crate::source::{Node, Value};

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `matchLabels` entry, or `In`: the label is set to one of the values.
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A label selector that Kubernetes can convert (`LabelSelectorAsSelector` succeeds).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// An empty selector selects everything.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether the selector selects an object with these labels.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| match r {
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }
}

pub fn string_list(n: Option<&Node>) -> Option<Vec<String>> {
    match n {
        None => Some(Vec::new()),
        Some(n) if n.is_null() => Some(Vec::new()),
        Some(n) => n
            .as_seq()?
            .iter()
            .map(|v| label_value_text(v).map(str::to_string))
            .collect(),
    }
}

/// The selector as Kubernetes converts it, or `None` when the conversion fails (an invalid
/// key, value or operator, or a wrong number of values), or the selector is not a mapping.
/// A null selector is `None` too: callers tell "missing" apart themselves.
pub fn parse_selector(sel: &Node) -> Option<Selector> {
    sel.as_map()?;
    let mut out = Selector::default();
    if let Some(ml) = sel.get("matchLabels").filter(|n| !n.is_null()) {
        for e in ml.as_map()? {
            let v = label_value_text(&e.value)?;
            if !names::qualified_name(&e.key).is_empty() || !names::label_value(v).is_empty() {
                return None;
            }
            out.requirements
                .push(Requirement::In(e.key.clone(), vec![v.to_string()]));
        }
    }
    if let Some(me) = sel.get("matchExpressions").filter(|n| !n.is_null()) {
        for expr in me.as_seq()? {
            let key = expr.get("key").map_or(Some(""), label_value_text)?;
            if !names::qualified_name(key).is_empty() {
                return None;
            }
            let values = string_list(expr.get("values"))?;
            if values.iter().any(|v| !names::label_value(v).is_empty()) {
                return None;
            }
            let op = expr.get("operator").map_or(Some(""), label_value_text)?;
            let req = match op {
                "In" | "NotIn" if values.is_empty() => return None,
                "Exists" | "DoesNotExist" if !values.is_empty() => return None,
                "In" => Requirement::In(key.to_string(), values),
                "NotIn" => Requirement::NotIn(key.to_string(), values),
                "Exists" => Requirement::Exists(key.to_string()),
                "DoesNotExist" => Requirement::DoesNotExist(key.to_string()),
                _ => return None,
            };
            out.requirements.push(req);
        }
    }
    Some(out)
}

/// The value of a label as Go decodes it: a string, or "" for null. `None` for other types
/// (a decode error that CC004 reports).
pub fn label_value_text(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Str(s) => Some(s),
        Value::Null => Some(""),
        _ => None,
    }
}

/// A name prefix may end in a dash (random characters follow): validate it as if the dash
/// were a letter, as the API server does.
pub fn mask_trailing_dash(prefix: &str) -> String {
    match prefix.strip_suffix('-') {
        Some(rest) if !rest.is_empty() => format!("{rest}a"),
        _ => prefix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_stream, Limits};

    fn node(text: &str) -> Node {
        parse_stream(text, &Limits::default())
            .documents
            .first()
            .map(|d| d.root.clone())
            .unwrap_or_else(|| {
                Node::new(Value::Null, Default::default(), crate::source::Style::Plain)
            })
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selector_semantics() {
        let s = parse_selector(&node(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: canary, operator: DoesNotExist}\n- {key: zone, operator: NotIn, values: [x]}\n- {key: team, operator: Exists}\n",
        ))
        .expect("valid selector");
        assert!(s.matches(&labels(&[("app", "web"), ("tier", "b"), ("team", "t")])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "c"), ("team", "t")])));
        assert!(!s.matches(&labels(&[
            ("app", "web"),
            ("tier", "a"),
            ("team", "t"),
            ("canary", "")
        ])));
        assert!(!s.matches(&labels(&[
            ("app", "web"),
            ("tier", "a"),
            ("team", "t"),
            ("zone", "x")
        ])));
        assert!(!s.matches(&labels(&[("app", "web"), ("tier", "a")])));
    }

    #[test]
    fn selectors_kubernetes_cannot_convert() {
        for bad in [
            "matchExpressions: [{key: app, operator: in, values: [a]}]",
            "matchExpressions: [{key: app, operator: In}]",
            "matchExpressions: [{key: app, operator: Exists, values: [a]}]",
            "matchExpressions: [{key: 'bad key', operator: Exists}]",
            "matchLabels: {app: 'nginx web'}",
            "matchLabels: {'a/b/c': x}",
        ] {
            assert!(parse_selector(&node(bad)).is_none(), "{bad}");
        }
        let empty = parse_selector(&node("{}")).expect("empty selector converts");
        assert!(empty.is_empty());
        let null_value = parse_selector(&node("matchLabels: {app: }")).expect("null value is ''");
        assert!(null_value.matches(&labels(&[("app", "")])));
    }

    #[test]
    fn generate_name_prefix_may_end_in_a_dash() {
        assert_eq!(mask_trailing_dash("data-"), "dataa");
        assert_eq!(mask_trailing_dash("-"), "-");
        assert_eq!(mask_trailing_dash("data"), "data");
    }
}
