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

/// (group, resource) pairs of a list of admission rules, each rule checked to cover
/// CREATE and UPDATE of `v1`.
fn rule_resources(rules: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in rules.as_array().expect("a list of rules") {
        assert_eq!(r["apiVersions"], serde_json::json!(["v1"]), "{r}");
        assert_eq!(
            r["operations"],
            serde_json::json!(["CREATE", "UPDATE"]),
            "{r}"
        );
        for g in r["apiGroups"].as_array().expect("apiGroups") {
            for res in r["resources"].as_array().expect("resources") {
                out.push((
                    g.as_str().unwrap_or("?").to_string(),
                    res.as_str().unwrap_or("?").to_string(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The webhook configurations and the Kubewarden policy send the API server's requests for
/// exactly the kinds the core reviews by default (every workload kind and the PVC).
#[test]
fn every_host_matches_exactly_the_reviewed_kinds() {
    use claimcheck::admission::{ReviewOptions, REVIEWED_KINDS};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut expected: Vec<(String, String)> = REVIEWED_KINDS
        .iter()
        .map(|k| (k.group.to_string(), k.resource.to_string()))
        .collect();
    expected.sort();
    assert_eq!(expected.len(), 10);
    assert_eq!(ReviewOptions::default().kinds.len(), REVIEWED_KINDS.len());
    let read = |path: &str| {
        let text = std::fs::read_to_string(root.join(path)).expect(path);
        let s = claimcheck::source::parse_stream(&text, &claimcheck::source::Limits::default());
        assert!(s.issues.is_empty(), "{path}: {:?}", s.issues);
        s.documents
            .iter()
            .map(|d| d.root.to_json())
            .collect::<Vec<_>>()
    };
    let configs = read("deploy/webhooks.yaml");
    assert_eq!(configs.len(), 2);
    for c in &configs {
        let webhooks = c["webhooks"].as_array().expect("webhooks");
        assert!(!webhooks.is_empty());
        for w in webhooks {
            assert_eq!(rule_resources(&w["rules"]), expected, "{}", w["name"]);
        }
    }
    let metadata = read("kubewarden/metadata.yml");
    assert_eq!(rule_resources(&metadata[0]["rules"]), expected);
}
