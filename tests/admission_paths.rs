//! `admission::review` lints the object's text as the API server sent it; `review_value` (the
//! Kubewarden policy's path) lints a copy written from values. Both must give the same answer:
//! the same verdict, the same problems in the denial and the same warnings (by code and
//! pointer), the same JSON Patch operations — in any order, since the text path follows the
//! object's own key order (also inside messages that list field names). Checked
//! on every conformance case (StatefulSet/PVC, workloads, ours), create and update, validate
//! and mutate, with the object written in its document's key order.

use claimcheck::admission::{review, review_value, Mode, MutateFixes, ReviewOptions};
use claimcheck::engine::{KubeVersion, Options};
use claimcheck::source::{parse_stream, Limits, Node, Value as N};
use serde_json::Value;

/// The node as compact JSON in its own key order (a repeated key is written once, with its
/// last value, as a JSON decoder keeps it).
fn json_in_order(n: &Node, out: &mut String) {
    match &n.value {
        N::Map(entries) => {
            out.push('{');
            let mut first = true;
            for (i, e) in entries.iter().enumerate() {
                if entries[i + 1..].iter().any(|later| later.key == e.key) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(e.key.clone()).to_string());
                out.push(':');
                json_in_order(&e.value, out);
            }
            out.push('}');
        }
        N::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_in_order(item, out);
            }
            out.push(']');
        }
        _ => out.push_str(&n.to_json().to_string()),
    }
}

fn object_text(yaml: &str) -> Option<String> {
    let stream = parse_stream(yaml, &Limits::default());
    if stream.documents.len() != 1 || stream.errors().count() > 0 {
        return None;
    }
    let root = &stream.documents[0].root;
    if !matches!(root.value, N::Map(_)) {
        return None;
    }
    let mut out = String::new();
    json_in_order(root, &mut out);
    Some(out)
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// A problem or warning line by its code and pointer (the message's lists of names follow
/// the object's key order, which differs between the paths).
fn place(line: &str) -> String {
    line.split_once(": ").map_or(line, |(p, _)| p).to_string()
}

/// What an answer says, order aside.
fn summary(answer: &Value) -> (Value, Vec<String>, Vec<String>, Vec<String>) {
    let r = &answer["response"];
    let mut warnings: Vec<String> = r["warnings"]
        .as_array()
        .map(|w| w.iter().map(|x| place(x.as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    warnings.sort();
    let message = r["status"]["message"].as_str().unwrap_or("");
    let mut problems: Vec<String> = message
        .split_once(": ")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map(|(_, list)| list.split("; ").map(place).collect())
        .unwrap_or_default();
    problems.sort();
    let mut ops: Vec<String> = r["patch"]
        .as_str()
        .map(|p| {
            let bytes = decode_base64(p);
            let ops: Vec<Value> = serde_json::from_slice(&bytes).unwrap_or_default();
            ops.iter().map(Value::to_string).collect()
        })
        .unwrap_or_default();
    ops.sort();
    (r["allowed"].clone(), problems, warnings, ops)
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn the_text_path_and_the_value_path_give_the_same_answers() {
    let sets = [
        include_str!("conformance/cases.jsonl"),
        include_str!("conformance-workloads/cases.jsonl"),
        include_str!("conformance-extra/cases.jsonl"),
    ];
    let (mut compared, mut denied, mut patched) = (0, 0, 0);
    for line in sets.iter().flat_map(|s| s.lines()) {
        let case: Value = serde_json::from_str(line).expect("case");
        let Some(object) = case["yaml"].as_str().and_then(object_text) else {
            continue;
        };
        let old = case["oldYaml"].as_str().and_then(object_text);
        let obj: Value = serde_json::from_str(&object).expect("object json");
        let kind = obj["kind"].as_str().unwrap_or("").to_string();
        let group = group_of(obj["apiVersion"].as_str().unwrap_or("")).to_string();
        let operation = if old.is_some() { "UPDATE" } else { "CREATE" };
        let old_part = old
            .as_ref()
            .map_or(String::new(), |o| format!(r#","oldObject":{o}"#));
        let body = format!(
            r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"u-1","kind":{{"group":{},"version":"v1","kind":{}}},"operation":"{operation}","object":{object}{old_part}}}}}"#,
            Value::String(group.clone()),
            Value::String(kind.clone()),
        );
        let as_value: Value = serde_json::from_str(&body).expect("body json");
        for mode in [Mode::Validate, Mode::Mutate] {
            let options = ReviewOptions {
                mode,
                fixes: MutateFixes::Unsafe,
                lint: Options {
                    kubernetes_version: KubeVersion::new(1, 32),
                    ..Options::default()
                },
                ..ReviewOptions::default()
            };
            let text = review(&body, &options).expect("text path answers");
            let value = review_value(&as_value, &options).expect("value path answers");
            assert_eq!(
                summary(&text),
                summary(&value),
                "{} ({operation}, {mode:?})",
                case["id"]
            );
            compared += 1;
            denied += usize::from(text["response"]["allowed"] == false);
            patched += usize::from(text["response"]["patch"].is_string());
        }
    }
    // the comparison covers real verdicts and real fixes, not only allowed answers
    assert!(compared > 1_000, "{compared} answers compared");
    assert!(denied > 200, "{denied} denials compared");
    assert!(patched > 100, "{patched} patches compared");
}
