//! The update rules (CC5xx) on whole manifests, through the engine (moved out of
//! src/rules/updates/tests.rs: rule modules never import the engine).

use claimcheck::engine::{lint_update, KubeVersion, Options, SourceFile};

fn update(old: &str, new: &str, minor: u32) -> Vec<(String, String)> {
    let file = |t: &str| SourceFile {
        path: "x.yaml".into(),
        text: t.into(),
    };
    let options = Options {
        kubernetes_version: KubeVersion::new(1, minor),
        ..Options::default()
    };
    lint_update(&[file(new)], &[file(old)], &options)
        .pop()
        .map(|r| r.diagnostics)
        .unwrap_or_default()
        .into_iter()
        .filter(|d| d.code.starts_with("CC5"))
        .map(|d| (d.code.to_string(), d.pointer))
        .collect()
}

fn pvc(spec: &str, status: &str) -> String {
    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data}}\nspec: {spec}\n{status}")
}

const BOUND_5: &str = "status: {phase: Bound, capacity: {storage: 5Gi}}";

#[test]
fn shrinking_follows_the_version() {
    let old = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 8Gi}}}",
        BOUND_5,
    );
    let new = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 6Gi}}}",
        "",
    );
    // above the capacity: recovery from a failed expansion, allowed from 1.32
    assert!(update(&old, &new, 32).is_empty());
    assert_eq!(
        update(&old, &new, 31),
        [("CC503".into(), "/spec/resources/requests/storage".into())]
    );
    let new = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}",
        "",
    );
    assert_eq!(
        update(&old, &new, 32),
        [("CC503".into(), "/spec/resources/requests/storage".into())]
    );
}

#[test]
fn an_old_manifest_without_status_is_taken_as_bound() {
    let old = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}",
        "",
    );
    let grow = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 9Gi}}}",
        "",
    );
    assert!(update(&old, &grow, 32).is_empty());
    let shrink = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 4Gi}}}",
        "",
    );
    assert_eq!(update(&old, &shrink, 32).len(), 1);
}

#[test]
fn binding_and_retroactive_class_are_allowed_once() {
    let pending = "status: {phase: Pending}";
    let old = pvc(
        "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}",
        pending,
    );
    let new = pvc("{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: gp3, volumeName: pv-1}", "");
    assert!(update(&old, &new, 32).is_empty());
    // an explicit empty class is a class: it cannot become another one
    let old = pvc("{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: ''}", pending);
    assert_eq!(
        update(&old, &new, 32),
        [("CC504".into(), "/spec/storageClassName".into())]
    );
}

#[test]
fn volume_attributes_class_rules_start_with_1_34() {
    let bound = "status: {phase: Bound, capacity: {storage: 1Gi}}";
    let old = pvc("{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeAttributesClassName: gold}", bound);
    let new = pvc("{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeAttributesClassName: ''}", "");
    assert!(update(&old, &new, 33).is_empty());
    assert_eq!(
        update(&old, &new, 34),
        [("CC504".into(), "/spec/volumeAttributesClassName".into())]
    );
    let silver = pvc("{accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeAttributesClassName: silver}", "");
    assert!(update(&old, &silver, 34).is_empty());
}

fn sts(template: &str) -> String {
    format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: web}}\nspec:\n  serviceName: web\n  selector: {{matchLabels: {{app: web}}}}\n  template: {{metadata: {{labels: {{app: web}}}}, spec: {{containers: [{{name: c, image: nginx, volumeMounts: [{{name: data, mountPath: /d}}]}}]}}}}\n  volumeClaimTemplates:\n    - {template}\n")
}

#[test]
fn unknown_template_fields_are_not_changes() {
    let old = sts("{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}");
    // a misspelt key is CC003's; the server never stored it
    let new = sts("{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClass: fast}}");
    assert!(update(&old, &new, 32).is_empty());
    let new = sts("{metadata: {name: data}, spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}}");
    assert_eq!(
        update(&old, &new, 32),
        [(
            "CC502".into(),
            "/spec/volumeClaimTemplates/0/spec/accessModes/0".into()
        )]
    );
}
