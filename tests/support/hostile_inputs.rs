//! Inputs built to hit the engine's cost bounds: wide mappings, long names, many objects that
//! refer to each other, alias bombs. Shared by `tests/hostile.rs` (behaviour at the caps) and
//! `benches/hostile.rs` (timings); `scripts/hostile-bench.sh` writes them to files for the CLI
//! and the Node package.
#![allow(dead_code)]

use std::fmt::Write;

/// One hostile input: a name for reports and its text.
pub struct Hostile {
    pub name: String,
    pub text: String,
}

const PVC_SPEC: &str =
    "spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";

/// A PersistentVolumeClaim with `n` distinct labels.
pub fn wide_labels(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  labels:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "    k{i}: v");
    }
    s.push_str(PVC_SPEC);
    s
}

/// The same as one line of JSON, as the webhook host hands objects to the engine.
pub fn wide_labels_json(n: usize) -> String {
    let mut s = String::from(
        r#"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","labels":{"#,
    );
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, r#""k{i}":"v""#);
    }
    s.push_str(
        r#"}},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#,
    );
    s
}

/// A claim whose `spec` holds `n` fields the schema does not know (one finding each).
pub fn unknown_fields(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "  k{i}: v");
    }
    s
}

/// `n` labels that are all invalid (one finding each, each with a fix).
pub fn bad_labels(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  labels:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "    'k {i}': 'v v'");
    }
    s.push_str(PVC_SPEC);
    s
}

/// A mapping whose `n` keys each appear twice.
pub fn duplicate_keys(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  labels:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "    k{i}: a\n    k{i}: b");
    }
    s.push_str(PVC_SPEC);
    s
}

fn statefulset(s: &mut String, name: &str, service: &str, claim: &str, class: &str) {
    let _ = write!(
        s,
        "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {name}\nspec:\n  serviceName: {service}\n  replicas: 1\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        volumeMounts:\n        - {{name: data, mountPath: /d}}\n      volumes:\n      - name: extra\n        persistentVolumeClaim: {{claimName: {claim}}}\n  volumeClaimTemplates:\n  - metadata: {{name: data}}\n    spec:\n      accessModes: [ReadWriteOnce]\n      storageClassName: {class}\n      resources: {{requests: {{storage: 1Gi}}}}\n"
    );
}

fn service(s: &mut String, name: &str) {
    let _ = write!(
        s,
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  clusterIP: None\n  selector: {{app: x}}\n"
    );
}

fn claim(s: &mut String, name: &str) {
    let _ = write!(
        s,
        "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\n{PVC_SPEC}"
    );
}

fn storage_class(s: &mut String, name: &str) {
    let _ = write!(
        s,
        "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: ebs.csi.aws.com\n"
    );
}

/// `n` StatefulSets whose Service, claim and StorageClass references each miss the `n`
/// Services, PersistentVolumeClaims and StorageClasses of the input by one character.
pub fn cross_references(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        statefulset(
            &mut s,
            &format!("s{i}"),
            &format!("gov-{i:06}"),
            &format!("pvc-{i:06}x"),
            &format!("class-{i:06}x"),
        );
    }
    for i in 0..n {
        service(&mut s, &format!("svc-{i:06}"));
        claim(&mut s, &format!("pvc-{i:06}"));
        storage_class(&mut s, &format!("class-{i:06}"));
    }
    s
}

/// One StatefulSet whose `serviceName`, `claimName` and `storageClassName` are `n` characters
/// long, next to a Service, a claim and a StorageClass whose names differ from them in the last
/// character.
pub fn long_names(n: usize) -> String {
    let long = |c: char| "a".repeat(n - 1) + &c.to_string();
    let mut s = String::new();
    statefulset(&mut s, "web", &long('a'), &long('c'), &long('e'));
    service(&mut s, &long('b'));
    claim(&mut s, &long('d'));
    storage_class(&mut s, &long('f'));
    s
}

/// A scalar of `size` bytes, anchored once and aliased `count` times.
pub fn alias_bomb(size: usize, count: usize) -> String {
    let mut s =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: &a ");
    s.push_str(&"x".repeat(size));
    s.push_str("\n  l:\n");
    for _ in 0..count {
        s.push_str("  - *a\n");
    }
    s
}

/// `n` PersistentVolumeClaims, one per document.
pub fn many_documents(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        claim(&mut s, &format!("c{i}"));
    }
    s
}

/// `n` claims, one per document, each with a misspelt access mode (a fix each).
pub fn fixable_documents(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}  # claim {i}\nspec:\n  accessModes: [readwriteonce]  # mode\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        );
    }
    s
}

/// Flow sequences nested `n` deep.
pub fn deep_nesting(n: usize) -> String {
    "[".repeat(n) + &"]".repeat(n)
}

/// Every hostile input at about `bytes` bytes (the webhook's 3 MiB body limit, or the CLI's
/// 16 MiB input limit).
pub fn all(bytes: usize) -> Vec<Hostile> {
    let per = |sample: &str, count: usize| (bytes * count / sample.len().max(1)).max(1);
    let h = |name: &str, text: String| Hostile {
        name: name.to_string(),
        text,
    };
    let n_labels = per(&wide_labels(1000), 1000);
    let n_unknown = per(&unknown_fields(1000), 1000);
    let n_bad = per(&bad_labels(1000), 1000);
    let n_dup = per(&duplicate_keys(1000), 1000);
    let n_cross = per(&cross_references(100), 100);
    let n_docs = per(&many_documents(1000), 1000);
    vec![
        h("wide-labels", wide_labels(n_labels)),
        h("wide-labels-json", wide_labels_json(n_labels)),
        h("unknown-fields", unknown_fields(n_unknown)),
        h("bad-labels", bad_labels(n_bad)),
        h("duplicate-keys", duplicate_keys(n_dup)),
        h("cross-references", cross_references(n_cross)),
        h("long-names", long_names(bytes / 8)),
        h("alias-bomb", alias_bomb(bytes / 3, 5_000)),
        h("many-documents", many_documents(n_docs)),
        h("fixable-documents", fixable_documents(n_docs)),
        h("deep-nesting", deep_nesting(bytes / 2)),
    ]
}
