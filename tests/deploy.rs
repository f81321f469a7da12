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

fn yaml_files(dir: &std::path::Path) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .expect("manifest dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .map(|p| SourceFile {
            path: p.display().to_string(),
            text: std::fs::read_to_string(&p).expect("read manifest"),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The Kubewarden manifests are clean too, and the ClusterAdmissionPolicy asks for exactly
/// the rules the policy's metadata.yml declares.
#[test]
fn kubewarden_manifests_are_clean_and_match_the_policy_metadata() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = yaml_files(&root.join("deploy/kubewarden"));
    assert!(!files.is_empty());
    for r in lint(&files, &Options::default()) {
        assert!(r.diagnostics.is_empty(), "{}: {:?}", r.path, r.diagnostics);
    }
    let read = |text: &str| {
        let s = claimcheck::source::parse_stream(text, &claimcheck::source::Limits::default());
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        s.documents
            .iter()
            .map(|d| d.root.to_json())
            .collect::<Vec<_>>()
    };
    let metadata =
        read(&std::fs::read_to_string(root.join("kubewarden/metadata.yml")).expect("metadata.yml"));
    let policies: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|f| read(&f.text))
        .filter(|d| d["kind"] == "ClusterAdmissionPolicy")
        .collect();
    assert!(!policies.is_empty());
    for p in &policies {
        assert_eq!(p["apiVersion"], "policies.kubewarden.io/v1");
        assert_eq!(p["spec"]["rules"], metadata[0]["rules"], "{p}");
        assert_eq!(p["spec"]["mutating"], metadata[0]["mutating"], "{p}");
        assert!(p["spec"]["module"]
            .as_str()
            .is_some_and(|m| m.starts_with("registry://")));
    }
}
