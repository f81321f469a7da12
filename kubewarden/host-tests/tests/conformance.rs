//! Every create case of tests/conformance through the policy on Kubewarden's host, against
//! the native CLI on the same object: the verdicts (and the error codes) must be identical.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use serde_json::{json, Value};

/// The native CLI: `CLAIMCHECK_BIN`, else the newest of the root crate's builds.
fn cli() -> PathBuf {
    if let Some(p) = std::env::var_os("CLAIMCHECK_BIN") {
        return PathBuf::from(p);
    }
    ["release", "debug"]
        .iter()
        .map(|p| repo().join("target").join(p).join("claimcheck"))
        .filter(|p| p.is_file())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no claimcheck binary: run `cargo build --release` at the root or set CLAIMCHECK_BIN"))
}

/// The CLI's error codes for one JSON object (written as a file, checked with no
/// configuration file, at Kubernetes 1.32), and whether it exits 1 (errors).
fn cli_verdict(
    bin: &PathBuf,
    dir: &std::path::Path,
    id: &str,
    object: &Value,
) -> (bool, Vec<String>) {
    let path = dir.join(format!("{id}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(object).expect("json")).expect("write");
    let out = Command::new(bin)
        .args([
            "check",
            "--no-config",
            "--kubernetes-version",
            "1.32",
            "--format",
            "json",
        ])
        .arg(&path)
        .output()
        .expect("run the CLI");
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{id}: CLI exit {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    let mut codes: Vec<String> = report["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    codes.sort();
    codes.dedup();
    (code == Some(0), codes)
}

#[test]
fn policy_verdicts_equal_the_native_cli_on_every_conformance_create() {
    let bin = cli();
    let dir =
        std::env::temp_dir().join(format!("claimcheck-kw-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data =
        std::fs::read_to_string(repo().join("tests/conformance/cases.jsonl")).expect("cases");
    let h = host();
    let settings = json!({"kubernetesVersion": "1.32"});
    let (mut compared, mut denied, mut skipped, mut differ) = (0, 0, Vec::new(), Vec::new());
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("case");
        if case["operation"] != "create" {
            continue;
        }
        let id = case["id"].as_str().unwrap_or("?").to_string();
        // The API server decodes the manifest before admission: the policy sees one JSON
        // object. Cases that are not one object (a stream, a list) never reach a webhook.
        let docs = yaml_docs(case["yaml"].as_str().unwrap_or(""));
        let [object] = docs.as_slice() else {
            skipped.push(id);
            continue;
        };
        if !object.is_object() {
            skipped.push(id);
            continue;
        }
        let r = validate(
            &h,
            &request(settings.clone(), "CREATE", object.clone(), None),
        );
        let accepted = r["accepted"].as_bool().expect("accepted");
        let message = r["message"].as_str().unwrap_or_default();
        let (cli_clean, cli_codes) = cli_verdict(&bin, &dir, &id, object);
        compared += 1;
        if !accepted {
            denied += 1;
        }
        let policy_codes = codes(message);
        let truncated = message.ends_with('…');
        if accepted != cli_clean || (!truncated && !accepted && policy_codes != cli_codes) {
            differ.push(format!(
                "{id}: policy accepted={accepted} {policy_codes:?}, CLI clean={cli_clean} {cli_codes:?}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "kubewarden conformance: {compared} create cases compared ({denied} denied), {} identical, {} skipped (not one object: {:?})",
        compared - differ.len(),
        skipped.len(),
        skipped
    );
    assert!(compared >= 200, "only {compared} cases compared");
    assert!(
        denied > 50,
        "only {denied} denials: the comparison would prove little"
    );
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
