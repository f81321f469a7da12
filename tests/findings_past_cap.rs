//! Findings past the cap of [`MAX_FINDINGS_PER_RULE`] per rule and input are only counted:
//! rules build no message, fix or pointer text for them. They still ask their "did you mean"
//! questions, in report order: the answers draw on one budget per run, and which later
//! findings get a suggestion depends on what the earlier ones (listed or not) spent. These
//! tests pin that the draws of unlisted findings happen exactly as when every finding was
//! built in full.

use claimcheck::engine::{lint_text, Options};
use claimcheck::model::suggest::{budget_left, did_you_mean, start_run};
use claimcheck::rule::MAX_FINDINGS_PER_RULE;
use claimcheck::Diagnostic;
use std::fmt::Write as _;

/// `n` StatefulSets (in namespace `a`), each naming a missing governing Service (CC401) and a missing claim in a
/// pod volume (CC408); `n` standalone claims (in namespace `b`) of a missing StorageClass (CC404). The input holds
/// one Service, one other claim and one StorageClass, so every reference gets one cheap
/// question and the run's budget lasts for all of them.
fn references(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s{i}\n  namespace: a\nspec:\n  serviceName: gov-{i}\n  selector: {{matchLabels: {{app: s{i}}}}}\n  template:\n    metadata: {{labels: {{app: s{i}}}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        volumeMounts: [{{name: extra, mountPath: /e}}]\n      volumes:\n      - name: extra\n        persistentVolumeClaim: {{claimName: pvc-{i}x}}\n"
        );
        let _ = write!(
            s,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-{i}\n  namespace: b\nspec:\n  storageClassName: class-{i}x\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        );
    }
    s.push_str("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gov\nspec:\n  clusterIP: None\n  selector: {app: none}\n");
    s.push_str("---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: pvc\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n");
    s.push_str("---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: class\nprovisioner: x\n");
    s
}

fn count(ds: &[Diagnostic], code: &str) -> usize {
    ds.iter().filter(|d| d.code == code).count()
}

#[test]
fn unlisted_findings_ask_their_suggestions_like_listed_ones() {
    let n = MAX_FINDINGS_PER_RULE + 500;
    // What the questions of every finding cost, asked one by one.
    start_run();
    for i in 0..n {
        let _ = did_you_mean(&format!("gov-{i}"), ["gov"]);
        let _ = did_you_mean(&format!("class-{i}x"), ["class"]);
        // a missing claim is compared with the claims its user can see: those of its
        // namespace (none) and those without one
        let _ = did_you_mean(&format!("pvc-{i}x"), ["pvc"]);
    }
    let expected = budget_left();
    assert!(expected > 0, "the budget must last for every question");

    let text = references(n);
    let ds = lint_text("refs.yaml", &text, &Options::default()).diagnostics;
    // (the run's budget is thread-local: the lint ran on this thread)
    let left = budget_left();
    for code in ["CC401", "CC404", "CC408"] {
        assert_eq!(count(&ds, code), MAX_FINDINGS_PER_RULE + 1, "{code}");
    }
    // Each unlisted finding's questions spend the budget as a listed one's would: skipping
    // them would leave more of it, and change which later findings get a suggestion.
    assert_eq!(left, expected);
    // the summary finding quotes the first unlisted one in full
    let summary = ds
        .iter()
        .find(|d| d.code == "CC401" && d.message.starts_with("500 more"))
        .map(|d| d.message.as_str());
    assert!(
        summary.is_some_and(|m| m.contains(&format!(
            "serviceName `gov-{MAX_FINDINGS_PER_RULE}` names no Service"
        ))),
        "{summary:?}"
    );
}

/// An update's live objects are linted keeping only the places of their findings, the
/// messages left out: a repeated key the live object already had is still found at its place,
/// and so reported as pre-existing.
#[test]
fn a_repeated_key_of_the_live_object_is_pre_existing() {
    use claimcheck::engine::{lint_update, SourceFile};
    let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  labels:\n    a: x\n    a: y\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n";
    let file = |path: &str| SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    };
    let ds = lint_update(
        &[file("new.yaml")],
        &[file("old.yaml")],
        &Options::default(),
    )
    .pop()
    .map(|r| r.diagnostics)
    .unwrap_or_default();
    let repeated: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "CC002").collect();
    assert_eq!(repeated.len(), 1, "{ds:#?}");
    assert_eq!(repeated[0].pointer, "/metadata/labels/a");
    assert!(repeated[0].pre_existing, "{:?}", repeated[0]);
}
