//! The pod-template rules on the workload kinds other than StatefulSet (issue 11): the seed's
//! mistake moved into a Deployment's generic ephemeral volume is caught and fixed as it is in a
//! StatefulSet, messages say what the API server does for each kind, and the kinds' pod specs
//! are read where each keeps it.

use claimcheck::engine::{fix_text, lint_text, KubeVersion, Options};
use claimcheck::Severity;

const SEED_IN_DEPLOYMENT: &str = include_str!("fixtures/CC201/invalid_deployment_ephemeral.yaml");

fn at(version: (u32, u32)) -> Options {
    Options {
        kubernetes_version: KubeVersion::new(version.0, version.1),
        ..Options::default()
    }
}

fn errors(text: &str, options: &Options) -> Vec<(String, String, String)> {
    lint_text("t.yaml", text, options)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.to_string(), d.pointer, d.message))
        .collect()
}

#[test]
fn the_seed_mistake_in_a_deployment_is_caught_and_fixed_safely() {
    let options = at((1, 32));
    let found = errors(SEED_IN_DEPLOYMENT, &options);
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, p, _)| (c.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "CC301",
                "/spec/template/spec/containers/0/volumeMounts/0/name"
            ),
            (
                "CC201",
                "/spec/template/spec/volumes/0/ephemeral/volumeClaimTemplate"
            ),
        ]
    );
    assert!(
        found[1]
            .2
            .contains("Kubernetes 1.32 rejects the Deployment"),
        "{}",
        found[1].2
    );
    // Safe fixes only, as `claimcheck fix` without --unsafe-fixes.
    let fixed = fix_text("t.yaml", SEED_IN_DEPLOYMENT, &options);
    assert!(
        fixed.remaining.diagnostics.is_empty(),
        "left after fixing: {:?}",
        fixed.remaining.diagnostics
    );
    let expected = SEED_IN_DEPLOYMENT.replace(
        "            volumeClaimTemplate:\n              accessModes:\n                - ReadWriteOnce\n              resources:\n                requests:\n                  storage: 1Gi\n",
        "            volumeClaimTemplate:\n              spec:\n                accessModes:\n                  - ReadWriteOnce\n                resources:\n                  requests:\n                    storage: 1Gi\n",
    );
    assert_ne!(
        expected, SEED_IN_DEPLOYMENT,
        "the fixture holds the seed's template"
    );
    assert_eq!(fixed.output, expected);
}

#[test]
fn the_seed_mistake_reads_the_same_in_a_statefulset_and_a_deployment() {
    // The seed itself: the StatefulSet's claim template is a bare spec, fixed by the same rule.
    let seed = include_str!("../examples/seed.yaml");
    let sts: Vec<String> = errors(seed, &at((1, 32)))
        .into_iter()
        .map(|(c, _, _)| c)
        .collect();
    assert!(sts.contains(&"CC201".to_string()), "{sts:?}");
    let fixed = fix_text("seed.yaml", seed, &at((1, 32)));
    assert!(fixed
        .remaining
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error));
}

const POD_SPEC: &str = "      containers:\n        - name: app\n          image: busybox:1.36\n          volumeMounts:\n            - name: dta\n              mountPath: /data\n      volumes:\n        - name: data\n          emptyDir: {}\n";

fn with_pod_spec(head: &str, indent: usize) -> String {
    let body: String = POD_SPEC
        .lines()
        .map(|l| format!("{}{}\n", " ".repeat(indent), &l[6..]))
        .collect();
    format!("{head}{body}")
}

#[test]
fn every_kind_is_read_where_it_keeps_its_pod_spec_and_named_in_the_message() {
    let cases = [
        ("Deployment", "/spec/template/spec", with_pod_spec("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n", 6)),
        ("ReplicaSet", "/spec/template/spec", with_pod_spec("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n", 6)),
        ("DaemonSet", "/spec/template/spec", with_pod_spec("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n", 6)),
        ("Job", "/spec/template/spec", with_pod_spec("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n", 6)),
        ("CronJob", "/spec/jobTemplate/spec/template/spec", with_pod_spec("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n", 10)),
        ("ReplicationController", "/spec/template/spec", with_pod_spec("apiVersion: v1\nkind: ReplicationController\nmetadata: {name: a}\nspec:\n  selector: {app: a}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n", 6)),
        ("Pod", "/spec", with_pod_spec("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n", 2)),
        ("PodTemplate", "/template/spec", with_pod_spec("apiVersion: v1\nkind: PodTemplate\nmetadata: {name: a}\ntemplate:\n  metadata: {labels: {app: a}}\n  spec:\n", 4)),
    ];
    for (kind, base, text) in cases {
        let found = errors(&text, &at((1, 32)));
        let want = format!("{base}/containers/0/volumeMounts/0/name");
        let hit = found.iter().find(|(c, p, _)| c == "CC301" && *p == want);
        let Some((_, _, message)) = hit else {
            panic!("{kind}: no CC301 at {want}: {found:?}\n{text}");
        };
        assert!(
            message.contains("did you mean `data`?")
                && message.ends_with(&format!("Kubernetes 1.32 rejects the {kind}.")),
            "{kind}: {message}"
        );
        // The did-you-mean fix is unsafe: applied only on request.
        let fixed = fix_text(
            "t.yaml",
            &text,
            &Options {
                unsafe_fixes: true,
                ..at((1, 32))
            },
        );
        assert!(
            fixed.output.contains("- name: data\n") && !fixed.output.contains("dta"),
            "{kind}: {}",
            fixed.output
        );
    }
}

#[test]
fn a_statefulset_before_1_34_is_accepted_and_its_pods_fail() {
    let sts = with_pod_spec("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec:\n  serviceName: a\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n", 6);
    let old = errors(&sts, &at((1, 32)));
    let (_, _, m) = old
        .iter()
        .find(|(c, _, _)| c == "CC301")
        .expect("CC301 on a StatefulSet");
    assert!(
        m.contains("Kubernetes 1.32 accepts the StatefulSet, then every pod creation fails"),
        "{m}"
    );
    let new = errors(&sts, &at((1, 34)));
    let (_, _, m) = new
        .iter()
        .find(|(c, _, _)| c == "CC301")
        .expect("CC301 on a StatefulSet");
    assert!(m.contains("Kubernetes 1.34 rejects the StatefulSet"), "{m}");
}

#[test]
fn an_ephemeral_volume_with_a_rejected_claim_spec_is_not_a_volume_for_mounts() {
    // A Pod whose ephemeral claim spec lacks access modes: pod validation rejects the volume
    // and then reports the mount as Not found, as the conformance data records.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      volumeMounts:\n        - {name: work, mountPath: /work}\n  volumes:\n    - name: work\n      ephemeral:\n        volumeClaimTemplate:\n          spec:\n            resources: {requests: {storage: 1Gi}}\n";
    let found: Vec<(String, String)> = errors(pod, &at((1, 32)))
        .into_iter()
        .map(|(c, p, _)| (c, p))
        .collect();
    assert_eq!(
        found,
        [
            (
                "CC301".to_string(),
                "/spec/containers/0/volumeMounts/0/name".to_string()
            ),
            (
                "CC205".to_string(),
                "/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/accessModes".to_string()
            ),
        ]
    );
    // With the access modes the volume is whole again.
    let good = pod.replace(
        "            resources:",
        "            accessModes: [ReadWriteOnce]\n            resources:",
    );
    assert!(errors(&good, &at((1, 32))).is_empty());
}

#[test]
fn objects_of_unserved_versions_are_not_read_as_workloads() {
    let old = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: x\n          volumeMounts:\n            - {name: nothing, mountPath: /d}\n";
    let found = errors(old, &at((1, 32)));
    assert!(
        found.iter().all(|(c, _, _)| !c.starts_with("CC3")),
        "{found:?}"
    );
}

#[test]
fn many_mounts_and_volumes_cost_linear_output() {
    // 20,000 volumes, and 20,000 mounts that all use one path and name no volume: each mount
    // is reported once per fault, and the messages list a bounded number of volumes.
    let n = 20_000;
    let mut text = String::from("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec:\n      containers:\n        - name: app\n          image: busybox:1.36\n          volumeMounts:\n");
    for i in 0..n {
        text.push_str(&format!(
            "            - {{name: mount-{i}, mountPath: /same}}\n"
        ));
    }
    text.push_str("      volumes:\n");
    for i in 0..n {
        text.push_str(&format!("        - {{name: volume-{i}, emptyDir: {{}}}}\n"));
    }
    assert!(text.len() < 3 * 1024 * 1024);
    let ds = lint_text("big.yaml", &text, &at((1, 32))).diagnostics;
    let count = |code: &str| ds.iter().filter(|d| d.code == code).count();
    // every one up to the cap on findings, then one finding that counts the rest
    let cap = claimcheck::rule::MAX_FINDINGS_PER_RULE;
    assert_eq!(count("CC301"), cap + 1);
    assert_eq!(count("CC303"), cap + 1);
    assert!(ds
        .iter()
        .any(|d| d.code == "CC303" && d.message.starts_with("18,999 more CC303 findings")));
    let bytes: usize = ds.iter().map(|d| d.message.len()).sum();
    assert!(
        bytes < ds.len() * 600,
        "{bytes} bytes in {} messages",
        ds.len()
    );
    assert!(
        ds.iter()
            .any(|d| d.code == "CC301" && d.message.contains("and 19,990 more")),
        "{:?}",
        ds.iter().find(|d| d.code == "CC301").map(|d| &d.message)
    );
}

#[test]
fn a_statefulsets_ephemeral_volumes_get_the_claim_checks_with_its_consequence() {
    // The seed's bare spec in a StatefulSet's generic ephemeral volume (not a claim template):
    // before 1.34 the StatefulSet is stored and its pods fail; from 1.34 it is rejected.
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          volumeMounts:\n            - {name: cache, mountPath: /cache}\n      volumes:\n        - name: cache\n          ephemeral:\n            volumeClaimTemplate:\n              accessModes: [ReadWriteOnce]\n              resources: {requests: {storage: 1Gi}}\n";
    for (version, phrase) in [
        (
            (1, 32),
            "Kubernetes 1.32 accepts the StatefulSet, then every pod creation fails",
        ),
        ((1, 34), "Kubernetes 1.34 rejects the StatefulSet"),
    ] {
        let found = errors(sts, &at(version));
        let (_, _, m) = found
            .iter()
            .find(|(c, p, _)| {
                c == "CC201" && p == "/spec/template/spec/volumes/0/ephemeral/volumeClaimTemplate"
            })
            .unwrap_or_else(|| panic!("no CC201: {found:?}"));
        assert!(m.contains(phrase), "{m}");
        let fixed = fix_text("t.yaml", sts, &at(version));
        assert!(
            fixed
                .output
                .contains("volumeClaimTemplate:\n              spec:\n                accessModes: [ReadWriteOnce]\n"),
            "{}",
            fixed.output
        );
        assert!(
            fixed
                .remaining
                .diagnostics
                .iter()
                .all(|d| d.severity != Severity::Error),
            "{:?}",
            fixed.remaining.diagnostics
        );
    }
}

#[test]
fn the_cli_catches_and_fixes_the_seed_mistake_in_a_deployment() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("claimcheck-workloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("deployment.yaml");
    std::fs::write(&file, SEED_IN_DEPLOYMENT).expect("write the manifest");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_claimcheck"))
            .args(args)
            .arg(&file)
            .output()
            .expect("run claimcheck")
    };
    let check = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--kubernetes-version",
        "1.32",
    ]);
    assert_eq!(check.status.code(), Some(1), "errors exit with 1");
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON report");
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["CC301", "CC201"]);
    // `fix` writes the file in place with the safe fixes; then nothing is left.
    let fix = run(&["fix", "--no-config", "--kubernetes-version", "1.32"]);
    assert_eq!(
        fix.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fix.stderr)
    );
    let fixed = std::fs::read_to_string(&file).expect("read the fixed manifest");
    assert!(
        fixed.contains(
            "            volumeClaimTemplate:\n              spec:\n                accessModes:\n"
        ),
        "{fixed}"
    );
    assert!(
        fixed.starts_with("# The seed's mistake in a Deployment"),
        "comments are kept"
    );
    let again = run(&["check", "--no-config", "--kubernetes-version", "1.32"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
