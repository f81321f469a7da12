//! The webhook's own deployment manifests must pass claimcheck without a single finding.

use claimcheck::engine::{lint, Options, SourceFile};

#[test]
fn deploy_manifests_are_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .expect("deploy dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| SourceFile {
            path: p.display().to_string(),
            text: std::fs::read_to_string(&p).expect("read manifest"),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(files.len() >= 4);
    for r in lint(&files, &Options::default()) {
        assert!(r.diagnostics.is_empty(), "{}: {:?}", r.path, r.diagnostics);
    }
}
