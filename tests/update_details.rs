//! An update's report builds the details (message, range, fix, object) of only the findings it
//! shows: past the cap of findings per rule and input, the new objects' findings keep only
//! what the ratchet and the cap look at. What it reports must be what the straightforward way
//! reports — every finding of the update built in full, ratcheted, then capped
//! (`engine::lint_update_reference`) —: the same listed findings, messages and "did you mean"
//! suggestions (they draw on a budget per run, in report order), and the same summaries of
//! the findings past the cap (how many, the worst severity, whether all were pre-existing).

#[path = "support/hostile_inputs.rs"]
mod hostile_inputs;

use claimcheck::engine::{lint_update, lint_update_reference, Options, SourceFile};
use claimcheck::rule::MAX_FINDINGS_PER_RULE;
use claimcheck::{Diagnostic, Severity};
use hostile_inputs as h;

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }
}

/// The update's findings, both ways; they must be equal.
fn both(old: &str, new: &str, options: &Options) -> Vec<Diagnostic> {
    let (new, old) = ([file("new.yaml", new)], [file("old.yaml", old)]);
    let got = lint_update(&new, &old, options);
    let want = lint_update_reference(&new, &old, options);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.diagnostics.len(), w.diagnostics.len(), "{}", g.path);
        for (a, b) in g.diagnostics.iter().zip(&w.diagnostics) {
            assert_eq!(a, b);
        }
    }
    got.into_iter().flat_map(|r| r.diagnostics).collect()
}

fn summaries(ds: &[Diagnostic]) -> Vec<&Diagnostic> {
    ds.iter()
        .filter(|d| d.message.contains(" findings in this input are not listed"))
        .collect()
}

#[test]
fn a_reordered_update_past_the_cap_reports_as_the_reference() {
    // 1,500 faults per list, every list rotated: past the cap, all pre-existing; the mounts'
    // "did you mean" questions (`m7` → `v7`) spend the run's budget part of the way through
    let (old, new) = h::statefulset_update(1_500);
    let ds = both(&old, &new, &Options::default());
    let s = summaries(&ds);
    assert!(s.len() >= 2, "{}", s.len());
    assert!(s
        .iter()
        .all(|d| d.pre_existing && d.severity == Severity::Warning));
    let suggested = ds
        .iter()
        .filter(|d| d.code == "CC301" && d.message.contains("did you mean"))
        .count();
    let listed = ds.iter().filter(|d| d.code == "CC301").count();
    assert!(
        suggested > 0 && suggested < listed,
        "the budget runs out among the listed findings: {suggested} of {listed}"
    );
}

#[test]
fn new_faults_past_the_cap_keep_the_summary_an_error() {
    // the live object has 1,100 faults per list, the update 1,300: the 200 new ones are past
    // the cap, so only the summary says that there are errors (and they deny)
    let old = h::big_statefulset(1_100, false);
    let new = h::big_statefulset(1_300, false);
    let ds = both(&old, &new, &Options::default());
    let s = summaries(&ds);
    assert!(!s.is_empty());
    for d in s {
        assert!(!d.pre_existing, "{}", d.message);
    }
    assert!(ds
        .iter()
        .filter(|d| d.code != "CC502")
        .take(MAX_FINDINGS_PER_RULE)
        .all(|d| d.pre_existing));
    assert!(ds.iter().any(|d| d.severity == Severity::Error
        && d.code == "CC301"
        && d.message.contains(" more CC301 findings")));
}

#[test]
fn fewer_faults_than_the_live_object_are_all_pre_existing() {
    let old = h::big_statefulset(1_300, false);
    let new = h::big_statefulset(1_200, true);
    let ds = both(&old, &new, &Options::default());
    assert!(summaries(&ds).iter().all(|d| d.pre_existing));
}

#[test]
fn many_claims_and_workloads_report_as_the_reference() {
    let (old, new) = h::claims_update(1_200);
    let ds = both(&old, &new, &Options::default());
    assert_eq!(summaries(&ds).len(), 1);
    let (old, new) = h::workloads_update(1_100);
    both(&old, &new, &Options::default());
}

#[test]
fn unknown_fields_past_the_cap_report_as_the_reference() {
    // CC003 builds its message (and its suggestion) only for findings that are shown
    let mut old = String::from("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n");
    let mut new = old.clone();
    for i in 0..1_500 {
        new.push_str(&format!("  acessMode{i}: x\n"));
        if i % 2 == 0 {
            old.push_str(&format!("  acessMode{i}: x\n"));
        }
    }
    let ds = both(&old, &new, &Options::default());
    assert_eq!(summaries(&ds).len(), 1);
}

#[test]
fn conformance_and_ratchet_updates_report_as_the_reference() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut n = 0;
    for dir in ["conformance", "conformance-workloads"] {
        let Ok(text) = std::fs::read_to_string(root.join(dir).join("cases.jsonl")) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).expect("a case");
            let (Some(new), Some(old)) = (case["yaml"].as_str(), case["oldYaml"].as_str()) else {
                continue;
            };
            both(old, new, &Options::default());
            n += 1;
        }
    }
    let ratchet = root.join("ratchet");
    let live = std::fs::read_to_string(ratchet.join("live.yaml")).expect("live.yaml");
    for entry in std::fs::read_dir(&ratchet).expect("tests/ratchet") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a fixture");
        both(&live, &text, &Options::default());
        n += 1;
    }
    assert!(n > 20, "{n} updates compared");
}
