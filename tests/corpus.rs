//! The real manifests of tests/corpus (105 files from public projects, see SOURCES.tsv):
//! no error on a file that Kubernetes accepts, and every finding listed in the committed
//! report tests/corpus/REPORT.txt (one line per finding; `CLAIMCHECK_BLESS=1` rewrites it).

use std::path::Path;

use claimcheck::engine::{lint_text, Options};
use claimcheck::source::PositionEncoding;
use claimcheck::Severity;

/// Files that Kubernetes itself rejects, and why.
const REJECTED: &[(&str, &str)] = &[
    (
        "seed_example.yaml",
        "the motivating example: bare PVC spec as claim template",
    ),
    (
        "seed_example_live.yaml",
        "the motivating example as resolved on a live cluster",
    ),
    (
        "k8scontrib__statefulsets-kafka-kafka.yaml",
        "apps/v1beta1 is no longer served",
    ),
    (
        "k8scontrib__statefulsets-zookeeper-zookeeper.yaml",
        "apps/v1beta1 is no longer served",
    ),
    (
        "mongosidecar__mongo-statefulset.yaml",
        "apps/v1beta1 is no longer served",
    ),
    (
        "jaegerk8s__cassandra.yml",
        "apps/v1beta1 is no longer served",
    ),
    (
        "jaegerk8s__elasticsearch.yml",
        "apps/v1beta1 is no longer served",
    ),
    (
        "kexamples__sc-pvc.yaml",
        "storageClassName written twice: strict decoding rejects it",
    ),
];

#[test]
fn corpus_findings_match_the_committed_report() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 100, "corpus has {} files", files.len());
    let mut report = String::new();
    let mut unexpected_errors = Vec::new();
    for f in &files {
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let text = std::fs::read_to_string(f).expect("read corpus file");
        let r = lint_text(&name, &text, &Options::default());
        for d in &r.diagnostics {
            let p = r
                .line_index
                .position(&text, d.span.start, PositionEncoding::Utf8);
            report.push_str(&format!(
                "{name}:{}:{}: {} {} {}\n",
                p.line,
                p.column,
                d.code,
                d.severity.as_str(),
                d.message
            ));
            if d.severity == Severity::Error && !REJECTED.iter().any(|(n, _)| *n == name) {
                unexpected_errors.push(format!("{name}: {} {} {}", d.code, d.pointer, d.message));
            }
        }
    }
    assert!(
        unexpected_errors.is_empty(),
        "errors on accepted files:\n{}",
        unexpected_errors.join("\n")
    );
    let path = dir.join("REPORT.txt");
    if std::env::var_os("CLAIMCHECK_BLESS").is_some() {
        std::fs::write(&path, &report).expect("write report");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored != report {
        let diff = claimcheck::fix::unified_diff("REPORT.txt", &stored, &report);
        panic!("corpus findings changed (CLAIMCHECK_BLESS=1 to accept after reviewing):\n{diff}");
    }
}
