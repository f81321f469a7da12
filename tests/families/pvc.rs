//! The pvc family's checks on whole manifests, through the engine (moved out of
//! src/rules/pvc/tests.rs: rule modules never import the engine).

use claimcheck::engine::{lint_text, KubeVersion, Options};

fn codes(text: &str, prefix: &str) -> Vec<(String, String)> {
    let options = Options {
        kubernetes_version: KubeVersion::new(1, 32),
        ..Options::default()
    };
    lint_text("t.yaml", text, &options)
        .diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with(prefix))
        .map(|d| (d.code.to_string(), d.pointer))
        .collect()
}

fn pvc(spec: &str) -> String {
    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n{spec}")
}

const OK: &str =
    "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";

#[test]
fn template_checks_follow_the_controller() {
    let sts = |templates: &str| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: c\n          image: i\n          volumeMounts:\n            - {{name: data, mountPath: /d}}\n  volumeClaimTemplates:\n{templates}"
        )
    };
    // the first `data` is replaced by the second: before 1.34 nothing checks it
    let t = sts("    - {metadata: {name: data}, spec: {accessModes: [Foo], resources: {requests: {storage: 1Gi}}}}\n    - {metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}\n");
    assert_eq!(
        codes(&t, "CC2"),
        vec![(
            "CC204".into(),
            "/spec/volumeClaimTemplates/1/metadata/name".into()
        )]
    );
    // a bare spec: CC201 explains the misplaced fields, no CC205/CC209 for them
    let t = sts("    - {metadata: {name: data}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n");
    assert_eq!(
        codes(&t, "CC2"),
        vec![("CC201".into(), "/spec/volumeClaimTemplates/0".into())]
    );
    // `status: {phase: Pending}` is what every exported StatefulSet carries
    let t = sts("    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n      status: {phase: Pending}\n");
    assert!(codes(&t, "CC2").is_empty());
}

#[test]
fn clean_claim_is_quiet() {
    assert!(codes(&pvc(OK), "CC2").is_empty());
}

#[test]
fn storage_values() {
    let with = |v: &str| {
        pvc(&format!(
            "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: {v}\n"
        ))
    };
    let p = "/spec/resources/requests/storage".to_string();
    assert_eq!(
        codes(&with("\"0\""), "CC21"),
        vec![("CC210".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("Gi"), "CC21"),
        vec![("CC210".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("null"), "CC21"),
        vec![("CC210".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("-1Gi"), "CC21"),
        vec![("CC210".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("1024Mi"), "CC21"),
        vec![("CC212".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("1073741824"), "CC21"),
        vec![("CC212".into(), p.clone())]
    );
    assert_eq!(codes(&with("\"1073741824\""), "CC21"), vec![]);
    assert_eq!(
        codes(&with("\" 1Gi\""), "CC21"),
        vec![("CC212".into(), p.clone())]
    );
    assert_eq!(codes(&with("+2Gi"), "CC21"), vec![]);
    assert_eq!(codes(&with("1.Gi"), "CC21"), vec![]);
    assert_eq!(codes(&with("\"1e9\""), "CC21"), vec![]);
    assert_eq!(
        codes(&with("10G"), "CC21"),
        vec![("CC213".into(), p.clone())]
    );
    assert_eq!(
        codes(&with("1e3"), "CC21"),
        vec![("CC212".into(), p.clone())]
    );
    assert_eq!(codes(&with("1GB"), "CC21"), vec![]);
}

#[test]
fn data_sources() {
    let base = OK;
    let ds = |extra: &str| codes(&pvc(&format!("{base}{extra}")), "CC215");
    // dropped: no kind, no ref
    assert!(ds("  dataSource:\n    name: src\n").is_empty());
    assert_eq!(
        ds("  dataSource:\n    kind: PersistentVolumeClaim\n").len(),
        1
    );
    assert_eq!(
        ds("  dataSourceRef:\n    name: src\n"),
        vec![("CC215".into(), "/spec/dataSourceRef/kind".into())]
    );
    assert_eq!(
        ds("  dataSourceRef:\n    kind: VolumeSnapshot\n    name: s\n"),
        vec![("CC215".into(), "/spec/dataSourceRef/kind".into())]
    );
    assert!(ds("  dataSourceRef:\n    apiGroup: snapshot.storage.k8s.io\n    kind: VolumeSnapshot\n    name: s\n").is_empty());
    // a cross-namespace dataSourceRef is dropped while the feature is off
    assert!(ds("  dataSourceRef:\n    name: s\n    namespace: other\n").is_empty());
    // ... and then a dataSource of another kind is dropped too
    assert!(ds("  dataSource:\n    kind: Foo\n    name: a\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: b\n    namespace: other\n").is_empty());
    assert_eq!(
        ds("  dataSource:\n    kind: PersistentVolumeClaim\n    name: a\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: b\n"),
        vec![("CC215".into(), "/spec/dataSourceRef".into())]
    );
}

#[test]
fn rwop_alone_or_repeated_is_fine() {
    let am = |m: &str| {
        codes(
            &pvc(&format!(
                "  accessModes: {m}\n  resources:\n    requests:\n      storage: 1Gi\n"
            )),
            "CC20",
        )
    };
    assert!(am("[ReadWriteOncePod]").is_empty());
    assert_eq!(
        am("[ReadWriteOncePod, ReadWriteOncePod]"),
        vec![("CC207".into(), "/spec/accessModes/1".into())]
    );
    assert_eq!(
        am("[ReadWriteOncePod, Foo]"),
        vec![("CC206".into(), "/spec/accessModes/1".into())]
    );
    assert_eq!(
        am("[ReadWriteOncePod, ReadWriteOnce]"),
        vec![("CC208".into(), "/spec/accessModes".into())]
    );
    assert_eq!(
        am("[ReadWriteOnce, ReadWriteOnce]"),
        vec![("CC207".into(), "/spec/accessModes/1".into())]
    );
    assert_eq!(am("[]"), vec![("CC205".into(), "/spec/accessModes".into())]);
}
