//! Runs the engine over the conformance cases (Kubernetes 1.32's own verdicts) and reports
//! the three figures of tests/conformance/README.md.

use claimcheck::engine::{lint_update, KubeVersion, Options, SourceFile};
use claimcheck::Severity;

struct Figures {
    agree: usize,
    total: usize,
    pointers_hit: usize,
    pointers_total: usize,
    false_errors: usize,
    misses: Vec<String>,
}

fn covers(q: &str, p: &str) -> bool {
    let qs: Vec<&str> = q.split('/').skip(1).collect();
    let ps: Vec<&str> = p.split('/').skip(1).collect();
    if qs.len() >= ps.len() && qs[..ps.len()] == ps[..] {
        return true;
    }
    if ps.len() > qs.len() && ps[..qs.len()] == qs[..] {
        return !ps[qs.len()..]
            .iter()
            .any(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    }
    false
}

fn run() -> Figures {
    let data = include_str!("conformance/cases.jsonl");
    let options = Options {
        kubernetes_version: KubeVersion::new(1, 32),
        ..Options::default()
    };
    let mut f = Figures {
        agree: 0,
        total: 0,
        pointers_hit: 0,
        pointers_total: 0,
        false_errors: 0,
        misses: Vec::new(),
    };
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("valid case line");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let new = SourceFile {
            path: format!("{id}.yaml"),
            text: case["yaml"].as_str().unwrap_or("").to_string(),
        };
        let old: Vec<SourceFile> = case["oldYaml"]
            .as_str()
            .map(|t| SourceFile {
                path: format!("{id}.old.yaml"),
                text: t.to_string(),
            })
            .into_iter()
            .collect();
        let report = lint_update(&[new], &old, &options);
        let errors: Vec<_> = report[0]
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let exp = &case["expected"];
        let clean = exp["accepted"].as_bool() == Some(true)
            && exp["podsCreatable"].as_bool() != Some(false);
        f.total += 1;
        if clean {
            if errors.is_empty() {
                f.agree += 1;
            } else {
                f.false_errors += errors.len();
                f.misses.push(format!(
                    "{id}: false error {} {}",
                    errors[0].code, errors[0].pointer
                ));
            }
        } else {
            if errors.is_empty() {
                f.misses.push(format!("{id}: missed rejection"));
            } else {
                f.agree += 1;
            }
            for e in exp["errors"].as_array().into_iter().flatten() {
                let p = e["pointer"].as_str().unwrap_or("");
                f.pointers_total += 1;
                if errors.iter().any(|d| covers(&d.pointer, p)) {
                    f.pointers_hit += 1;
                } else {
                    f.misses.push(format!(
                        "{id}: pointer {p} ({})",
                        e["type"].as_str().unwrap_or("")
                    ));
                }
            }
        }
    }
    f
}

#[test]
fn conformance_figures() {
    let f = run();
    for m in &f.misses {
        println!("  {m}");
    }
    println!(
        "conformance: agree={}/{} pointers={}/{} false_errors={}",
        f.agree, f.total, f.pointers_hit, f.pointers_total, f.false_errors
    );
    let false_errors: Vec<&String> = f
        .misses
        .iter()
        .filter(|m| m.contains("false error"))
        .collect();
    assert!(
        false_errors.is_empty(),
        "errors reported on clean cases: {false_errors:?}"
    );
    // Ratchet: raise these floors as rules land; never lower them.
    assert!(f.agree >= FLOOR_AGREE, "agreement fell to {}", f.agree);
    assert!(
        f.pointers_hit >= FLOOR_POINTERS,
        "pointer coverage fell to {}",
        f.pointers_hit
    );
}

const FLOOR_AGREE: usize = 376;
const FLOOR_POINTERS: usize = 300;
