//! Unit tests of the mounts family's shared checks.

use super::*;
use crate::model::volumes::has_backstep;
use crate::model::volumes::volume_issues;

fn volume(yaml: &str) -> Node {
    crate::source::parse_stream(yaml, &crate::source::Limits::default())
        .documents
        .into_iter()
        .next()
        .map(|d| d.root)
        .expect("one document")
}

fn rels(yaml: &str) -> Vec<String> {
    volume_issues(&volume(yaml))
        .into_iter()
        .map(|i| i.rel)
        .collect()
}

#[test]
fn volume_validation_follows_pod_validation() {
    assert!(rels("name: cache").is_empty(), "no source means emptyDir");
    assert!(
        rels("name: cache\nemptyDir:").is_empty(),
        "null source is unset"
    );
    assert_eq!(rels("name: cfg\nconfigMap: {}"), ["/configMap/name"]);
    assert_eq!(
        rels("name: cfg\nconfigMap: {name: ''}"),
        ["/configMap/name"]
    );
    assert_eq!(rels("name: s\nsecret: {name: x}"), ["/secret/secretName"]);
    assert_eq!(rels("name: Cache\nemptyDir: {}"), ["/name"]);
    assert_eq!(rels("name: ''"), ["/name"]);
    assert_eq!(rels("name: x\nemptyDir: {}\nhostPath: {path: /x}"), [""]);
    assert_eq!(rels("name: x\nnfs: {server: s, path: rel}"), ["/nfs/path"]);
    assert_eq!(
        rels("name: x\nhostPath: {path: /a/../b, type: Folder}"),
        ["/hostPath/path", "/hostPath/type"]
    );
    assert!(rels("name: x\nconfigMap: {name: c, defaultMode: 0644}").is_empty());
    assert_eq!(
        rels("name: x\nsecret: {secretName: c, defaultMode: 644}"),
        ["/secret/defaultMode"]
    );
    assert_eq!(
        rels("name: x\nemptyDir: {sizeLimit: -1Gi}"),
        ["/emptyDir/sizeLimit"]
    );
    // a name of the wrong type is CC004's, not ours
    assert!(rels("name: 5\nemptyDir: {}").is_empty());
}

#[test]
fn an_ephemeral_claim_template_may_set_only_valid_labels_and_annotations() {
    let eph = |meta: &str| {
        rels(&format!(
            "name: x\nephemeral:\n  volumeClaimTemplate:\n    metadata: {meta}\n    spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}"
        ))
    };
    assert!(eph("{labels: {team: data, app.kubernetes.io/part-of: x}, annotations: {Example.com/Note: y}, creationTimestamp: null, name: ''}").is_empty());
    assert_eq!(
        eph("{name: scratch, namespace: other}"),
        [
            "/ephemeral/volumeClaimTemplate/metadata/name",
            "/ephemeral/volumeClaimTemplate/metadata/namespace"
        ]
    );
    assert_eq!(
        eph("{labels: {'bad key': v, ok: 'not valid!'}, annotations: {'/x': y}}"),
        [
            "/ephemeral/volumeClaimTemplate/metadata/labels/bad key",
            "/ephemeral/volumeClaimTemplate/metadata/labels/ok",
            "/ephemeral/volumeClaimTemplate/metadata/annotations/~1x"
        ]
    );
    assert_eq!(
        rels("name: x\nephemeral: {}"),
        ["/ephemeral/volumeClaimTemplate"]
    );
}

#[test]
fn backsteps_are_path_elements() {
    assert!(has_backstep("../x"));
    assert!(has_backstep("a/../b"));
    assert!(has_backstep(".."));
    assert!(!has_backstep("a..b"));
    assert!(!has_backstep("..a/b.."));
}
