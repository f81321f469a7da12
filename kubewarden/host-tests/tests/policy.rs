//! The claimcheck Kubewarden policy on Kubewarden's own host stack: waPC over wasmtime, fed
//! ValidationRequest JSON (settings + AdmissionRequest) as the policy-server feeds it.

mod common;

use common::*;
use serde_json::{json, Value};

fn fixed_sts() -> Value {
    // The seed with its claim template named and given a spec, as a fix would leave it.
    let mut sts = seed_sts();
    let spec = sts["spec"]["volumeClaimTemplates"][0].take();
    sts["spec"]["volumeClaimTemplates"][0] = json!({"metadata": {"name": "data"}, "spec": spec});
    sts
}

#[test]
fn the_seed_statefulset_is_rejected_with_its_findings() {
    let h = host();
    let r = validate(&h, &request(json!({}), "CREATE", seed_sts(), None));
    assert_eq!(r["accepted"], false, "{r}");
    let msg = r["message"].as_str().unwrap_or_default();
    assert!(msg.contains("CC201 /spec/volumeClaimTemplates/0"), "{msg}");
    assert!(
        msg.contains("CC301 /spec/template/spec/containers/0/volumeMounts/0/name"),
        "{msg}"
    );
    assert_eq!(r["code"], 422, "{r}");
    assert!(r.get("mutated_object").is_none_or(Value::is_null), "{r}");
}

#[test]
fn a_valid_statefulset_is_accepted() {
    let h = host();
    let r = validate(&h, &request(json!({}), "CREATE", fixed_sts(), None));
    assert_eq!(r["accepted"], true, "{r}");
}

#[test]
fn mutate_safe_returns_the_fixed_object() {
    let h = host();
    let seed = seed_sts();
    let r = validate(
        &h,
        &request(json!({"mutate": "safe"}), "CREATE", seed.clone(), None),
    );
    assert_eq!(r["accepted"], true, "{r}");
    let mutated = &r["mutated_object"];
    assert!(mutated.is_object(), "{r}");
    let left = lint_native(mutated, None);
    assert!(
        !left.iter().any(|(c, _)| c == "CC201" || c == "CC301"),
        "{left:?}"
    );
    assert!(!left.iter().any(|(_, s)| s == "error"), "{left:?}");
    // nothing else is lost: the metadata and the pod template are untouched
    assert_eq!(mutated["metadata"], seed["metadata"]);
    assert_eq!(mutated["spec"]["template"], seed["spec"]["template"]);
    assert_eq!(
        mutated["spec"]["volumeClaimTemplates"][0]["metadata"]["name"],
        "data"
    );
    let warnings = r["warnings"].as_array().cloned().unwrap_or_default();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .is_some_and(|w| w.contains("claimcheck fixed CC201"))),
        "{r}"
    );
    // a clean object comes back unmutated
    let r = validate(
        &h,
        &request(json!({"mutate": "safe"}), "CREATE", fixed_sts(), None),
    );
    assert_eq!(r["accepted"], true, "{r}");
    assert!(r.get("mutated_object").is_none_or(Value::is_null), "{r}");
}

#[test]
fn updates_follow_kubernetes_ratcheting() {
    let h = host();
    // Scaling an already-broken StatefulSet (to zero, to remove it) must not be blocked by
    // the faults it already had (issue 9, "Admission you can trust").
    let old = seed_sts();
    let mut scaled = old.clone();
    scaled["spec"]["replicas"] = json!(0);
    let r = validate(&h, &request(json!({}), "UPDATE", scaled, Some(old.clone())));
    assert_eq!(
        r["accepted"], true,
        "scale-to-zero of a broken StatefulSet: {r}"
    );
    // ... but the faults are still reported, as warnings
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains("CC301") && warnings.contains("CC201"),
        "{r}"
    );

    let mut labelled = old.clone();
    labelled["metadata"]["labels"] = json!({"team": "storage"});
    let r = validate(&h, &request(json!({}), "UPDATE", labelled, Some(old)));
    assert_eq!(
        r["accepted"], true,
        "label change of a broken StatefulSet: {r}"
    );
}

#[test]
fn an_update_that_introduces_a_fault_is_denied() {
    let h = host();
    let old = fixed_sts();
    let mut new = old.clone();
    new["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["name"] = json!("logs");
    let r = validate(&h, &request(json!({}), "UPDATE", new, Some(old.clone())));
    assert_eq!(r["accepted"], false, "{r}");
    let msg = r["message"].as_str().unwrap_or_default();
    assert!(msg.contains("CC301"), "{msg}");

    // claim templates are immutable: changing them is denied (CC502), as the API server does
    let mut resized = old.clone();
    resized["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] =
        json!("2Gi");
    let r = validate(&h, &request(json!({}), "UPDATE", resized, Some(old)));
    assert_eq!(r["accepted"], false, "{r}");
    assert!(codes(r["message"].as_str().unwrap_or_default()).contains(&"CC502".to_string()));
}

#[test]
fn mutation_on_update_never_touches_immutable_fields() {
    let h = host();
    let old = seed_sts();
    let mut scaled = old.clone();
    scaled["spec"]["replicas"] = json!(0);
    let r = validate(
        &h,
        &request(
            json!({"mutate": "unsafe"}),
            "UPDATE",
            scaled,
            Some(old.clone()),
        ),
    );
    assert_eq!(r["accepted"], true, "{r}");
    if let Some(m) = r.get("mutated_object").filter(|m| m.is_object()) {
        for field in [
            "volumeClaimTemplates",
            "selector",
            "serviceName",
            "podManagementPolicy",
        ] {
            assert_eq!(m["spec"][field], old["spec"][field], "{field} changed: {r}");
        }
    }
}

#[test]
fn persistent_volume_claims_are_checked() {
    let h = host();
    let pvc = |modes: Value| {
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
               "metadata": {"name": "data", "namespace": "default"},
               "spec": {"accessModes": modes, "resources": {"requests": {"storage": "1Gi"}}}})
    };
    let r = validate(
        &h,
        &request(json!({}), "CREATE", pvc(json!(["ReadWriteOnce"])), None),
    );
    assert_eq!(r["accepted"], true, "{r}");
    let r = validate(&h, &request(json!({}), "CREATE", pvc(json!([])), None));
    assert_eq!(r["accepted"], false, "{r}");
    assert!(
        r["message"]
            .as_str()
            .unwrap_or_default()
            .contains("/spec/accessModes"),
        "{r}"
    );
}

#[test]
fn delete_subresources_and_other_kinds_pass() {
    let h = host();
    let r = validate(
        &h,
        &request(json!({}), "DELETE", Value::Null, Some(seed_sts())),
    );
    assert_eq!(r["accepted"], true, "DELETE: {r}");

    let mut scale: Value =
        serde_json::from_slice(&request(json!({}), "UPDATE", seed_sts(), Some(seed_sts())))
            .expect("json");
    scale["request"]["subResource"] = json!("scale");
    let r = validate(&h, scale.to_string().as_bytes());
    assert_eq!(r["accepted"], true, "scale subresource: {r}");

    let service = json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "nowhere"}]}});
    let r = validate(&h, &request(json!({}), "CREATE", service, None));
    assert_eq!(r["accepted"], true, "Service: {r}");

    let r = validate(&h, &request(json!({}), "CONNECT", seed_sts(), None));
    assert_eq!(r["accepted"], true, "CONNECT: {r}");
}

/// A Deployment whose only volumeMount names `cache` while its volume is `volume`.
fn deployment(volume: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                    "volumeMounts": [{"name": "cache", "mountPath": "/cache"}]}],
                    "volumes": [{"name": volume, "emptyDir": {}}]}}}})
}

#[test]
fn a_deployment_whose_mount_names_no_volume_is_rejected() {
    let h = host();
    let r = validate(&h, &request(json!({}), "CREATE", deployment("cahce"), None));
    assert_eq!(r["accepted"], false, "{r}");
    assert_eq!(r["code"], 422, "{r}");
    let msg = r["message"].as_str().unwrap_or_default();
    assert!(msg.contains("claimcheck denied this Deployment"), "{msg}");
    assert!(
        msg.contains("CC301 /spec/template/spec/containers/0/volumeMounts/0/name"),
        "{msg}"
    );
    let r = validate(&h, &request(json!({}), "CREATE", deployment("cache"), None));
    assert_eq!(r["accepted"], true, "{r}");
}

#[test]
fn the_kinds_setting_narrows_what_is_reviewed() {
    let h = host();
    // StatefulSets only: the Deployment passes untouched, the seed is still rejected
    let only = json!({"kinds": ["statefulsets"]});
    let r = validate(
        &h,
        &request(only.clone(), "CREATE", deployment("cahce"), None),
    );
    assert_eq!(r, json!({"accepted": true}));
    let r = validate(&h, &request(only, "CREATE", seed_sts(), None));
    assert_eq!(r["accepted"], false, "{r}");
    // Deployments only: now the seed StatefulSet passes
    let r = validate(
        &h,
        &request(json!({"kinds": ["Deployment"]}), "CREATE", seed_sts(), None),
    );
    assert_eq!(r, json!({"accepted": true}));
}

#[test]
fn settings_select_ignore_severity_and_threshold() {
    let h = host();
    let seed = || seed_sts();
    // ignoring the two rule families leaves no error on the seed
    let r = validate(
        &h,
        &request(
            json!({"ignore": ["CC2", "volume-mount-not-found"]}),
            "CREATE",
            seed(),
            None,
        ),
    );
    let msg = r["message"].as_str().unwrap_or_default().to_string();
    assert!(!msg.contains("CC201") && !msg.contains("CC301"), "{r}");
    // select only CC3: CC201 is not reported
    let r = validate(
        &h,
        &request(json!({"select": ["CC3"]}), "CREATE", seed(), None),
    );
    let c = codes(r["message"].as_str().unwrap_or_default());
    assert_eq!(c, vec!["CC301".to_string()], "{r}");
    // severity override: CC301 as a warning no longer denies by itself
    let r = validate(
        &h,
        &request(
            json!({"select": ["CC301"], "severity": {"CC301": "warning"}}),
            "CREATE",
            seed(),
            None,
        ),
    );
    assert_eq!(r["accepted"], true, "{r}");
    assert!(r["warnings"].to_string().contains("CC301"), "{r}");
    // ... unless the threshold is warning
    let r = validate(
        &h,
        &request(
            json!({"select": ["CC301"], "severity": {"CC301": "warning"}, "denyAt": "warning"}),
            "CREATE",
            seed(),
            None,
        ),
    );
    assert_eq!(r["accepted"], false, "{r}");
    // the Kubernetes version reaches the messages
    let r = validate(
        &h,
        &request(json!({"kubernetesVersion": "1.32"}), "CREATE", seed(), None),
    );
    assert!(
        r["message"].as_str().unwrap_or_default().contains("1.32"),
        "{r}"
    );
}

#[test]
fn validate_settings_accepts_good_settings_and_names_the_bad_key() {
    let h = host();
    let check = |s: &str| call_json(&h, "validate_settings", s.as_bytes());
    for good in [
        "{}",
        "null",
        r#"{"kubernetesVersion": "1.32", "select": ["ALL"], "extendSelect": ["CC3"],
            "ignore": ["CC401", "volume-mount-not-found"], "severity": {"CC305": "error", "CC4": "hint"},
            "denyAt": "warning", "mutate": "unsafe"}"#,
        r#"{"mutate": "off"}"#,
        r#"{"kinds": ["Deployment", "cronjobs", "PersistentVolumeClaim"]}"#,
        r#"{"mutate": "safe", "kubernetesVersion": "v1.34.2"}"#,
    ] {
        let r = check(good);
        assert_eq!(r["valid"], true, "{good}: {r}");
    }
    for (bad, key) in [
        (r#"{"kubernetesVersion": "1.99"}"#, "kubernetesVersion"),
        (r#"{"kubernetesVersion": 1.30}"#, "kubernetesVersion"),
        (r#"{"select": ["CC999"]}"#, "select"),
        (r#"{"select": "CC3"}"#, "select"),
        (r#"{"extendSelect": ["nope"]}"#, "extendSelect"),
        (r#"{"ignore": ["volume-mount-not-fond"]}"#, "ignore"),
        (r#"{"severity": {"CC301": "loud"}}"#, "severity.CC301"),
        (r#"{"severity": {"CC999": "error"}}"#, "severity.CC999"),
        (r#"{"denyAt": "fatal"}"#, "denyAt"),
        (r#"{"mutate": "yes"}"#, "mutate"),
        (r#"{"mutate": true}"#, "mutate"),
        (r#"{"fixes": "safe"}"#, "fixes"),
        (r#"{"kinds": ["Service"]}"#, "kinds"),
        (r#"{"kinds": []}"#, "kinds"),
        (r#"{"kinds": "Deployment"}"#, "kinds"),
        (r#"{"kinds": [1]}"#, "kinds[0]"),
        (r#"["CC301"]"#, "settings"),
        ("not json", "JSON"),
    ] {
        let r = check(bad);
        assert_eq!(r["valid"], false, "{bad}: {r}");
        let msg = r["message"].as_str().unwrap_or_default();
        assert!(msg.contains(key), "{bad}: the message names `{key}`: {msg}");
    }
    // a typo gets the core's did-you-mean
    let r = check(r#"{"ignore": ["volume-mount-not-fond"]}"#);
    assert!(
        r["message"].to_string().contains("volume-mount-not-found"),
        "{r}"
    );
}

#[test]
fn malformed_requests_get_an_error_answer_and_the_host_survives() {
    let h = host();
    let good = request(json!({}), "CREATE", seed_sts(), None);
    let mut no_object: Value = serde_json::from_slice(&good).expect("json");
    no_object["request"]["object"] = json!("a string");
    let mut nested = String::new();
    for _ in 0..100_000 {
        nested.push('[');
    }
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"not json".to_vec(),
        good[..good.len() / 2].to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        br#"{"request": "x"}"#.to_vec(),
        br#"{"settings": {"mutate": "sometimes"}, "request": {}}"#.to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        nested.into_bytes(),
        // CREATE of a StatefulSet whose object is not an object
        no_object.to_string().into_bytes(),
    ];
    for payload in &cases {
        let shown = String::from_utf8_lossy(&payload[..payload.len().min(60)]).to_string();
        let out = call(&h, "validate", payload)
            .unwrap_or_else(|e| panic!("{shown}: the guest failed instead of answering: {e}"));
        let r: Value = serde_json::from_slice(&out).expect("JSON answer");
        assert_eq!(r["accepted"], false, "{shown}: {r}");
        assert_eq!(r["code"], 400, "{shown}: {r}");
        assert!(
            r["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("claimcheck: ")),
            "{r}"
        );
        // the same instance keeps answering
        let r = validate(&h, &good);
        assert_eq!(r["accepted"], false, "after {shown}: {r}");
        assert!(
            r["message"].to_string().contains("CC301"),
            "after {shown}: {r}"
        );
    }
    // an unknown function is an error from the guest, not a trap
    assert!(call(&h, "no_such_function", b"{}").is_err());
    let r = validate(&h, &good);
    assert!(r["message"].to_string().contains("CC301"), "{r}");
}

#[test]
fn the_module_speaks_wapc_v1_and_carries_its_metadata() {
    let h = host();
    let v = call_json(&h, "protocol_version", b"");
    assert_eq!(v, json!("v1"));
    let bytes = module_bytes();
    let meta = claimcheck_kubewarden_host_tests::read_metadata(bytes)
        .expect("a readable module")
        .expect("the module is annotated (io.kubewarden.metadata)");
    assert_eq!(meta["protocolVersion"], v);
    assert_eq!(meta["mutating"], true);
    assert_eq!(meta["executionMode"], "kubewarden-wapc");
    assert_eq!(meta["contextAwareResources"], json!([]));
    let rules = meta["rules"].as_array().cloned().unwrap_or_default();
    let has = |group: &str, resource: &str| {
        rules.iter().any(|r| {
            r["apiGroups"] == json!([group])
                && r["apiVersions"] == json!(["v1"])
                && r["resources"]
                    .as_array()
                    .is_some_and(|rs| rs.contains(&json!(resource)))
                && r["operations"] == json!(["CREATE", "UPDATE"])
        })
    };
    // every kind the core reviews (tests/deploy.rs holds metadata.yml to the core's list)
    for (group, resource) in [
        ("apps", "statefulsets"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("apps", "daemonsets"),
        ("batch", "jobs"),
        ("batch", "cronjobs"),
        ("", "replicationcontrollers"),
        ("", "pods"),
        ("", "podtemplates"),
        ("", "persistentvolumeclaims"),
    ] {
        assert!(has(group, resource), "{group}/{resource}: {meta}");
    }
    let a = &meta["annotations"];
    for key in claimcheck_kubewarden_host_tests::REQUIRED_ANNOTATIONS {
        assert!(
            a[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {meta}"
        );
    }
    for key in [
        "io.artifacthub.displayName",
        "io.artifacthub.keywords",
        "io.artifacthub.resources",
    ] {
        assert!(
            a[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {meta}"
        );
    }
    // kwctl annotate --usage-path: the policy's README
    let usage = a["io.kubewarden.policy.usage"].as_str().unwrap_or_default();
    assert!(
        usage.contains("ClusterAdmissionPolicy"),
        "usage: {usage:.200}"
    );
    // the section holds exactly what metadata.yml says (plus protocol and usage)
    let yaml =
        std::fs::read_to_string(repo().join("kubewarden/metadata.yml")).expect("metadata.yml");
    let from_yaml =
        claimcheck_kubewarden_host_tests::metadata_json(&yaml, Some(usage)).expect("valid");
    assert_eq!(meta, from_yaml);
    // no wasm-bindgen (JavaScript) imports leak into the policy: only WASI and waPC
    for import in module().imports() {
        assert!(
            matches!(import.module(), "wasi_snapshot_preview1" | "wapc"),
            "unexpected import {}::{}",
            import.module(),
            import.name()
        );
    }
    let exports: Vec<&str> = module().exports().map(|e| e.name()).collect();
    for needed in ["__guest_call", "wapc_init"] {
        assert!(exports.contains(&needed), "{exports:?}");
    }
    assert!(
        !exports.iter().any(|e| e.starts_with("__wbindgen")),
        "wasm-bindgen is linked into the policy: {exports:?}"
    );
}

#[test]
fn annotate_refuses_what_kwctl_would() {
    use claimcheck_kubewarden_host_tests::{annotate, metadata_json};
    let yaml =
        std::fs::read_to_string(repo().join("kubewarden/metadata.yml")).expect("metadata.yml");
    let meta = metadata_json(&yaml, None).expect("valid");
    // already annotated
    assert!(annotate(module_bytes(), &meta).is_err());
    // missing pieces of metadata
    for (from, to) in [
        ("mutating: true", "mutating: maybe"),
        ("executionMode: kubewarden-wapc", "executionMode: opa"),
        ("  io.kubewarden.policy.license: Apache-2.0\n", ""),
    ] {
        assert!(yaml.contains(from), "{from}");
        let e = metadata_json(&yaml.replace(from, to), None).expect_err(to);
        assert!(e.starts_with("metadata.yml:"), "{e}");
    }
    // not a waPC module
    let empty_module = b"\0asm\x01\0\0\0";
    assert!(annotate(empty_module, &meta).unwrap_err().contains("waPC"));
}
