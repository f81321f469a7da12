//! The bundle family's checks (CC4xx) on whole manifests, through the engine (moved out of
//! src/rules/bundle/tests.rs: rule modules never import the engine).

use claimcheck::engine::{lint_text, Options};
use claimcheck::Severity;

fn codes(text: &str) -> Vec<(String, String, Severity)> {
    lint_text("t.yaml", text, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with("CC4"))
        .map(|d| (d.code.to_string(), d.pointer, d.severity))
        .collect()
}

#[test]
fn an_annotated_empty_class_pins_without_cc409() {
    let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n  annotations:\n    volume.beta.kubernetes.io/storage-class: \"\"\nspec:\n  storageClassName: fast\n  volumeName: pv\n";
    // pinned with an explicit (annotated) empty class: no CC409
    assert!(codes(t).iter().all(|(c, _, _)| c != "CC409"));
}

#[test]
fn generated_claim_names_count_as_found() {
    let t = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: i, volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: i}]\n  volumes:\n    - {name: a, persistentVolumeClaim: {claimName: data-web-12}}\n    - {name: b, persistentVolumeClaim: {claimName: data-web-x}}\n    - {name: c, persistentVolumeClaim: {claimName: data-web}}\n";
    let found: Vec<String> = codes(t)
        .into_iter()
        .filter(|(c, _, _)| c == "CC408")
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(
        found,
        vec![
            "/spec/volumes/1/persistentVolumeClaim/claimName".to_string(),
            "/spec/volumes/2/persistentVolumeClaim/claimName".to_string()
        ]
    );
}

#[test]
fn namespaces_separate_services_and_claims() {
    let t = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: b}\nspec:\n  serviceName: web\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: i}]}\n";
    let found = codes(t);
    assert!(found.iter().any(|(c, _, _)| c == "CC401"), "{found:?}");
    assert!(found.iter().all(|(c, _, _)| c != "CC402"), "{found:?}");
}

#[test]
fn user_severity_overrides_the_adjusted_one() {
    // CC408 is a hint when the input holds no claim at all, a warning when it holds others
    let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {accessModes: [ReadWriteOncePod], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  strategy: {type: Recreate}\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: i}]\n      volumes: [{name: v, persistentVolumeClaim: {claimName: x}}, {name: w, persistentVolumeClaim: {claimName: other}}]\n";
    let sev = |o: &Options, code: &str| {
        lint_text("t.yaml", t, o)
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.severity)
    };
    assert_eq!(sev(&Options::default(), "CC408"), Some(Severity::Warning));
    // ReadWriteOncePod shared: the pods are created and stay Pending — a warning, not an error
    assert_eq!(sev(&Options::default(), "CC406"), Some(Severity::Warning));
    let mut o = Options::default();
    o.rules.severity.insert("CC408", Severity::Hint);
    o.rules.severity.insert("CC406", Severity::Error);
    assert_eq!(sev(&o, "CC408"), Some(Severity::Hint));
    assert_eq!(sev(&o, "CC406"), Some(Severity::Error));
    let partial = t.replacen("kind: PersistentVolumeClaim", "kind: ConfigMap", 1);
    let hint = lint_text("t.yaml", &partial, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "CC408")
        .map(|d| d.severity)
        .collect::<Vec<_>>();
    assert_eq!(hint, vec![Severity::Hint, Severity::Hint]);
}

#[test]
fn statefulset_claims_in_a_kubectl_dump_are_used() {
    // `kubectl get sts,pvc -o yaml`: data-web-0 and data-web-1 belong to StatefulSet `web`
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/integration-fixtures/kubectl/get-sts-pvc.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(text.contains("data-web-0"));
    let found = codes(&text);
    assert!(found.iter().all(|(c, _, _)| c != "CC407"), "{found:?}");
}

#[test]
fn served_and_retired_workload_versions_both_use_claims() {
    // an extensions/v1beta1 Deployment is no longer served, but it still names its claim
    let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: i}]\n      volumes: [{name: v, persistentVolumeClaim: {claimName: x}}]\n";
    assert!(codes(t).iter().all(|(c, _, _)| c != "CC407"));
}

#[test]
fn claims_shared_by_thousands_of_workloads_stay_linear() {
    // 3,000 Deployments without a namespace name claim `x`, which exists in 300 namespaces:
    // each pod volume is looked at with one claim, at most MAX_USES per claim
    let mut t = String::new();
    for i in 0..300 {
        t.push_str(&format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: x, namespace: n{i}}}\nspec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n---\n"));
    }
    for i in 0..3000 {
        t.push_str(&format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\nspec:\n  strategy: {{type: Recreate}}\n  template:\n    spec:\n      containers: [{{name: c, image: i}}]\n      volumes: [{{name: v, persistentVolumeClaim: {{claimName: x}}}}]\n---\n"));
    }
    let found = codes(&t);
    let shared = found.iter().filter(|(c, _, _)| c == "CC406").count();
    assert_eq!(
        shared,
        claimcheck::model::claim_usage::MAX_USES,
        "one finding per examined pod volume"
    );
    assert!(found.iter().all(|(c, _, _)| c != "CC407"));
}

#[test]
fn owners_stand_for_their_pods_and_pods_of_one_owner_count_together() {
    // three Pods of a ReplicaSet that is not in the input, on two nodes
    let pod = |i: usize, node: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: api-{i}\n  ownerReferences: [{{kind: ReplicaSet, name: api-6d4, uid: rs-1, controller: true}}]\nspec:\n  nodeName: {node}\n  containers: [{{name: c, image: i}}]\n  volumes: [{{name: v, persistentVolumeClaim: {{claimName: x}}}}]\n---\n")
    };
    let pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\n";
    let t = format!("{pvc}{}{}{}", pod(0, "a"), pod(1, "b"), pod(2, "a"));
    let lint = lint_text("t.yaml", &t, &Options::default());
    let shared: Vec<&str> = lint
        .diagnostics
        .iter()
        .filter(|d| d.code == "CC406")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert!(
        shared[0].starts_with("3 Pods of ReplicaSet `api-6d4`"),
        "{shared:?}"
    );
    // all on one node: ReadWriteOnce is fine there
    let t = format!("{pvc}{}{}", pod(0, "a"), pod(1, "a"));
    assert!(codes(&t).iter().all(|(c, _, _)| c != "CC406"));
}
