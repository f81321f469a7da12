//! `normalize --with-defaults` must reproduce what the API server stores: the `defaulted`
//! objects of the conformance data (Kubernetes 1.32), apart from server-owned fields.

use std::collections::HashMap;

use claimcheck::engine::{KubeVersion, Options};
use claimcheck::normalize::normalize_with;
use claimcheck::source::{parse_stream, Limits};
use serde_json::Value;

fn zeroish(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

/// Drops what the server owns (`creationTimestamp`, `status`) and the zero values that only
/// one side writes (Go's serialiser writes some empty structs and omits other zero values).
fn comparable(a: &Value, other: Option<&Value>, top: bool) -> Value {
    match a {
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                if k == "creationTimestamp" || (k == "status" && (top || v.get("phase").is_some()))
                {
                    continue;
                }
                let o = other.and_then(|x| x.get(k));
                let c = comparable(v, o, false);
                let o_c = o.map(|o| comparable(o, Some(v), false));
                if zeroish(&c) && o_c.as_ref().is_none_or(zeroish) {
                    continue;
                }
                out.insert(k.clone(), c);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| comparable(v, other.and_then(|x| x.get(i)), false))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn with_defaults_equals_what_the_api_server_stores() {
    let mut cases: HashMap<String, String> = HashMap::new();
    for line in include_str!("conformance/cases.jsonl").lines() {
        let c: Value = serde_json::from_str(line).expect("case");
        if let (Some(id), Some(y)) = (c["id"].as_str(), c["yaml"].as_str()) {
            cases.insert(id.to_string(), y.to_string());
        }
    }
    let options = Options {
        kubernetes_version: KubeVersion::new(1, 32),
        ..Options::default()
    };
    let mut failures = Vec::new();
    let mut total = 0;
    for line in include_str!("conformance/defaulted.jsonl").lines() {
        let d: Value = serde_json::from_str(line).expect("defaulted");
        let id = d["id"].as_str().unwrap_or("").to_string();
        let Some(yaml) = cases.get(&id) else { continue };
        total += 1;
        let out = normalize_with(&id, yaml, &options, true, false);
        let parsed = parse_stream(&out.output, &Limits::default());
        let Some(doc) = parsed.documents.first() else {
            failures.push(format!("{id}: no document"));
            continue;
        };
        let ours = doc.root.to_json();
        let mut want = comparable(&d["defaulted"], Some(&ours), true);
        let mut got = comparable(&ours, Some(&d["defaulted"]), true);
        // apiVersion/kind order etc. do not matter; compare as values
        if let (Some(w), Some(g)) = (want.as_object_mut(), got.as_object_mut()) {
            w.remove("status");
            g.remove("status");
        }
        if want != got {
            failures.push(format!(
                "{id}:\n  want {}\n  got  {}\n--- output\n{}",
                serde_json::to_string(&want).unwrap_or_default(),
                serde_json::to_string(&got).unwrap_or_default(),
                out.output
            ));
        }
    }
    println!(
        "normalize --with-defaults: {}/{} equal to the stored object",
        total - failures.len(),
        total
    );
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The other workload kinds: `tests/normalize/workloads.yaml` normalised with defaults equals
/// the committed `workloads.defaulted.yaml` (`CLAIMCHECK_BLESS=1` rewrites it), normalising
/// again changes nothing, and the result has no errors.
#[test]
fn workload_kinds_get_their_defaults() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/normalize");
    let input = std::fs::read_to_string(dir.join("workloads.yaml")).expect("input");
    let options = Options {
        kubernetes_version: KubeVersion::new(1, 32),
        ..Options::default()
    };
    let out = normalize_with("workloads.yaml", &input, &options, true, false);
    let expected_path = dir.join("workloads.defaulted.yaml");
    if std::env::var_os("CLAIMCHECK_BLESS").is_some() {
        std::fs::write(&expected_path, &out.output).expect("write");
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        out.output, expected,
        "run with CLAIMCHECK_BLESS=1 to update"
    );
    let again = normalize_with("workloads.yaml", &out.output, &options, true, false);
    assert_eq!(
        again.output, out.output,
        "normalising twice changes the text"
    );
    let errors: Vec<String> = out
        .remaining
        .diagnostics
        .iter()
        .filter(|d| d.severity == claimcheck::Severity::Error)
        .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
