//! The mounts family's checks on whole manifests, through the engine (moved out of
//! src/rules/mounts/tests.rs: rule modules never import the engine).

use claimcheck::engine::{lint_text, Options};
use claimcheck::Severity;

fn codes(yaml: &str) -> Vec<(String, String, Severity)> {
    lint_text("t.yaml", yaml, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with("CC3"))
        .map(|d| (d.code.to_string(), d.pointer, d.severity))
        .collect()
}

const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  serviceName: web\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: app\n          image: nginx\n";

#[test]
fn trailing_slash_is_a_warning_and_identical_paths_an_error() {
    let y = format!("{STS}          volumeMounts:\n            - {{name: a, mountPath: /d}}\n            - {{name: b, mountPath: /d/}}\n            - {{name: c, mountPath: /d}}\n      volumes:\n        - name: a\n        - name: b\n        - name: c\n");
    let found = codes(&y);
    let p = "/spec/template/spec/containers/0/volumeMounts";
    assert_eq!(
        found,
        [
            (
                "CC303".into(),
                format!("{p}/1/mountPath"),
                Severity::Warning
            ),
            ("CC303".into(), format!("{p}/2/mountPath"), Severity::Error),
        ]
    );
}

#[test]
fn shadowed_volumes_are_neither_duplicates_nor_invalid() {
    let y = format!("{STS}          volumeMounts:\n            - {{name: data, mountPath: /d}}\n      volumes:\n        - {{name: data, configMap: {{}}}}\n        - {{name: data, emptyDir: {{}}}}\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n");
    let found: Vec<String> = codes(&y).into_iter().map(|c| c.0).collect();
    assert_eq!(found, ["CC304", "CC304"]);
}

#[test]
fn a_misspelt_mount_does_not_also_report_the_template_unmounted() {
    let y = format!("{STS}          volumeMounts:\n            - {{name: dta, mountPath: /d}}\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n");
    let found: Vec<String> = codes(&y).into_iter().map(|c| c.0).collect();
    assert_eq!(found, ["CC301"]);
}
