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

/// A StatefulSet whose one container has `n` env entries, `n` volumeMounts and `n` volumes,
/// and `n / 100 + 1` claim templates, each with a template error (an invalid env name, a mount
/// of no volume, a claim template without access modes), so that an update has `O(n)` findings
/// to ratchet. `shift` renames nothing but rotates every list by one (an update that reorders).
pub fn big_statefulset(n: usize, shift: bool) -> String {
    let rot = |i: usize| if shift { (i + 1) % n.max(1) } else { i };
    let mut s = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        env:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "        - {{name: 'E={}', value: v}}", rot(i));
    }
    s.push_str("        volumeMounts:\n");
    for i in 0..n {
        let _ = writeln!(s, "        - {{name: m{0}, mountPath: /m/{0}}}", rot(i));
    }
    s.push_str("      volumes:\n");
    for i in 0..n {
        let _ = writeln!(s, "      - {{name: v{0}, emptyDir: {{}}}}", rot(i));
    }
    s.push_str("  volumeClaimTemplates:\n");
    let t = n / 100 + 1;
    for i in 0..t {
        let i = if shift { (i + 1) % t } else { i };
        let _ = writeln!(
            s,
            "  - metadata: {{name: t{i}}}\n    spec: {{resources: {{requests: {{storage: 1Gi}}}}}}"
        );
    }
    s
}

/// `big_statefulset(n)` as the live object and its reordered copy as the update.
pub fn statefulset_update(n: usize) -> (String, String) {
    (big_statefulset(n, false), big_statefulset(n, true))
}

/// `n` bound claims, each of its own StorageClass (in the new input, without
/// `allowVolumeExpansion`), that all grow: (live objects, update).
pub fn claims_update(n: usize) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for i in 0..n {
        let _ = write!(
            old,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\nspec:\n  storageClassName: class-{i}\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\nstatus: {{phase: Bound, capacity: {{storage: 1Gi}}}}\n"
        );
        let _ = write!(
            new,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c{i}\nspec:\n  storageClassName: class-{i}\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 2Gi}}}}\n"
        );
        storage_class(&mut new, &format!("class-{i}"));
    }
    (old, new)
}

/// `n` StatefulSets whose claim template grows (each of its own StorageClass, in the new
/// input) and whose Deployment twins change their selector: (live objects, update).
pub fn workloads_update(n: usize) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for i in 0..n {
        let name = format!("s{i}");
        let class = format!("class-{i}");
        statefulset(&mut old, &name, "gov", "c", &class);
        let mut grown = String::new();
        statefulset(&mut grown, &name, "gov", "c", &class);
        new.push_str(&grown.replace("storage: 1Gi", "storage: 2Gi"));
        storage_class(&mut new, &class);
        let d = format!("d{i}");
        deployment(&mut old, &d, &[], &[]);
        let mut changed = String::new();
        deployment(&mut changed, &d, &[], &[]);
        new.push_str(&changed.replace("matchLabels: {app:", "matchLabels: {tier:"));
    }
    (old, new)
}

/// Every update input (name, live objects, new objects), each version at most `bytes` long.
pub fn updates(bytes: usize) -> Vec<(String, String, String)> {
    let sized = |name: &str, make: &dyn Fn(usize) -> (String, String)| {
        let (old, new) = make(fit_n(bytes, |n| make(n).1));
        (name.to_string(), old, new)
    };
    vec![
        sized("update-statefulset-lists", &statefulset_update),
        sized("update-claims", &claims_update),
        sized("update-workloads", &workloads_update),
    ]
}

fn deployment(s: &mut String, name: &str, volumes: &[(String, String)], mounts: &[String]) {
    let _ = write!(
        s,
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        volumeMounts:\n"
    );
    for m in mounts {
        let _ = writeln!(s, "        - {{name: {m}, mountPath: /m/{m}}}");
    }
    s.push_str("      volumes:\n");
    for (v, claim) in volumes {
        let _ = writeln!(
            s,
            "      - {{name: {v}, persistentVolumeClaim: {{claimName: {claim}}}}}"
        );
    }
}

/// `n` Deployments (2 replicas, rolling update) that all mount one ReadWriteOnce claim.
pub fn deployments_sharing_a_claim(n: usize) -> String {
    let mut s = String::new();
    claim(&mut s, "shared");
    for i in 0..n {
        deployment(
            &mut s,
            &format!("d{i}"),
            &[("v".into(), "shared".into())],
            &["v".into()],
        );
    }
    s
}

/// `n` Deployments, each naming its own claim that the input lacks, next to `n` claims that
/// differ from them by one character.
pub fn deployments_missing_claims(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        deployment(
            &mut s,
            &format!("d{i}"),
            &[("v".into(), format!("pvc-{i:06}x"))],
            &["v".into()],
        );
    }
    for i in 0..n {
        claim(&mut s, &format!("pvc-{i:06}"));
    }
    s
}

/// `n` Deployments with 20 claim volumes each (every claim of the input), mounted, and 20
/// mounts of volumes they lack.
pub fn deployments_many_volumes(n: usize) -> String {
    let mut s = String::new();
    let k = 20;
    for j in 0..k {
        claim(&mut s, &format!("c{j}"));
    }
    let volumes: Vec<(String, String)> =
        (0..k).map(|j| (format!("v{j}"), format!("c{j}"))).collect();
    let mounts: Vec<String> = (0..2 * k).map(|j| format!("v{j}")).collect();
    for i in 0..n {
        deployment(&mut s, &format!("d{i}"), &volumes, &mounts);
    }
    s
}

/// One Pod with `n` claim volumes (the first 1,000 to claims of the input, the others to
/// missing ones), each mounted by one of two containers.
pub fn pod_many_volumes(n: usize) -> String {
    let mut s = String::new();
    for j in 0..n.min(1_000) {
        claim(&mut s, &format!("c{j}"));
    }
    s.push_str("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n");
    for c in 0..2 {
        let _ = write!(s, "  - name: c{c}\n    image: nginx\n    volumeMounts:\n");
        for j in (c..n).step_by(2) {
            let _ = writeln!(s, "    - {{name: v{j}, mountPath: /v/{j}}}");
        }
    }
    s.push_str("  volumes:\n");
    for j in 0..n {
        let _ = writeln!(
            s,
            "  - {{name: v{j}, persistentVolumeClaim: {{claimName: c{j}}}}}"
        );
    }
    s
}

/// A Pod with a generic ephemeral volume whose claim template has `n` labels (every tenth
/// invalid).
pub fn ephemeral_labels(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    volumeMounts:\n    - {name: scratch, mountPath: /s}\n  volumes:\n  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n        metadata:\n          labels:\n",
    );
    for i in 0..n {
        if i % 10 == 9 {
            let _ = writeln!(s, "            'k {i}': v");
        } else {
            let _ = writeln!(s, "            k{i}: v");
        }
    }
    s.push_str("        spec:\n          accessModes: [ReadWriteOnce]\n          resources: {requests: {storage: 1Gi}}\n");
    s
}

/// A Deployment and a Pod whose `claimName` is `n` characters long, next to a claim whose name
/// differs from it in the last character.
pub fn long_claim_name(n: usize) -> String {
    let long = |c: char| "a".repeat(n.saturating_sub(1)) + &c.to_string();
    let mut s = String::new();
    deployment(&mut s, "d", &[("v".into(), long('a'))], &["v".into()]);
    let _ = write!(
        s,
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{{name: c, image: i, volumeMounts: [{{name: v, mountPath: /v}}]}}]\n  volumes: [{{name: v, persistentVolumeClaim: {{claimName: {}}}}}]\n",
        long('a')
    );
    claim(&mut s, &long('b'));
    s
}

/// `n` Services `gov`, each in its own namespace, and `n` StatefulSets in another namespace
/// whose `serviceName` is `gov`: none of them sees a Service.
pub fn services_in_namespaces(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: gov, namespace: ns{i}}}\nspec: {{clusterIP: None, selector: {{app: x}}}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: s{i}, namespace: other}}\nspec:\n  serviceName: gov\n  selector: {{matchLabels: {{app: x}}}}\n  template:\n    metadata: {{labels: {{app: x}}}}\n    spec: {{containers: [{{name: c, image: i}}]}}\n"
        );
    }
    s
}

/// One StatefulSet that mounts `n` names which are no pod volume, and `n` standalone claims of
/// those names (each unused, each explained by the StatefulSet).
pub fn unused_claims_named_like_mounts(n: usize) -> String {
    let mut s = String::from("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: c\n        image: i\n        volumeMounts:\n");
    for i in 0..n {
        let _ = writeln!(s, "        - {{name: m{i}, mountPath: /m/{i}}}");
    }
    for i in 0..n {
        claim(&mut s, &format!("m{i}"));
    }
    s
}

/// `n` claims pinned by `volumeName` to `n` PersistentVolumes of the input, without a class.
pub fn pinned_claims(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv{i}}}\nspec: {{capacity: {{storage: 1Gi}}, accessModes: [ReadWriteOnce], hostPath: {{path: /x}}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: c{i}}}\nspec: {{volumeName: pv{i}, accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n"
        );
    }
    s
}

/// A governing Service whose selector has `n` keys, and its StatefulSet whose pod template has
/// the same `n` labels with other values.
pub fn wide_service_selector(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Service\nmetadata: {name: gov}\nspec:\n  clusterIP: None\n  selector:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "    k{i}: a");
    }
    s.push_str("---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  serviceName: gov\n  selector: {matchLabels: {k0: b}}\n  template:\n    metadata:\n      labels:\n");
    for i in 0..n {
        let _ = writeln!(s, "        k{i}: b");
    }
    s.push_str("    spec: {containers: [{name: c, image: i}]}\n");
    s
}

/// The largest `n` (within 1%) for which `make(n)` is at most `bytes` long.
fn fit(bytes: usize, make: impl Fn(usize) -> String) -> String {
    make(fit_n(bytes, &make))
}

/// The `n` of [`fit`].
fn fit_n(bytes: usize, make: impl Fn(usize) -> String) -> usize {
    let mut n = 64usize;
    let mut len = make(n).len();
    // grow fast, then settle: the size is about linear in n
    for _ in 0..8 {
        let next = (n as u128 * bytes as u128 / len.max(1) as u128) as usize;
        let next = next.max(1) * 995 / 1000;
        if next == n {
            break;
        }
        n = next.max(1);
        len = make(n).len();
    }
    while len > bytes && n > 1 {
        n = n * 99 / 100;
        len = make(n).len();
    }
    n
}

/// Every hostile input at about `bytes` bytes and no more (the webhook's 3 MiB body limit,
/// or the CLI's 16 MiB input limit).
pub fn all(bytes: usize) -> Vec<Hostile> {
    let h = |name: &str, text: String| Hostile {
        name: name.to_string(),
        text,
    };
    vec![
        h("wide-labels", fit(bytes, wide_labels)),
        h("wide-labels-json", fit(bytes, wide_labels_json)),
        h("unknown-fields", fit(bytes, unknown_fields)),
        h("bad-labels", fit(bytes, bad_labels)),
        h("duplicate-keys", fit(bytes, duplicate_keys)),
        h("cross-references", fit(bytes, cross_references)),
        h("long-names", long_names(bytes / 8)),
        h("alias-bomb", alias_bomb(bytes / 3, 5_000)),
        h("many-documents", fit(bytes, many_documents)),
        h("fixable-documents", fit(bytes, fixable_documents)),
        h("deep-nesting", deep_nesting(bytes / 2 - 1)),
        h(
            "deployments-sharing-a-claim",
            fit(bytes, deployments_sharing_a_claim),
        ),
        h(
            "deployments-missing-claims",
            fit(bytes, deployments_missing_claims),
        ),
        h(
            "deployments-many-volumes",
            fit(bytes, deployments_many_volumes),
        ),
        h("pod-many-volumes", fit(bytes, pod_many_volumes)),
        h("ephemeral-labels", fit(bytes, ephemeral_labels)),
        h("long-claim-name", long_claim_name(bytes / 3)),
        h("services-in-namespaces", fit(bytes, services_in_namespaces)),
        h(
            "unused-claims-named-like-mounts",
            fit(bytes, unused_claims_named_like_mounts),
        ),
        h("pinned-claims", fit(bytes, pinned_claims)),
        h("wide-service-selector", fit(bytes, wide_service_selector)),
    ]
}
