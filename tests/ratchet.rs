//! Ratcheting on UPDATE (`tests/ratchet/`): a fault the live object already had is a warning
//! that says so, never a denial; a fault the update introduces denies; no fix changes a field
//! an update cannot change. Checked through `admission::review` (validate and mutate) and
//! through the CLI's `check --old`.

use std::path::PathBuf;
use std::process::Command;

use claimcheck::admission::{review, Mode, ReviewOptions};
use claimcheck::engine::{lint_update, KubeVersion, Options, SourceFile};
use claimcheck::source::{parse_stream, Limits};
use claimcheck::Severity;
use serde_json::{json, Value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ratchet")
}

fn text(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn object(name: &str) -> Value {
    let stream = parse_stream(&text(name), &Limits::default());
    stream.documents[0].root.to_json()
}

fn request(op: &str, new: &str, old: Option<&str>) -> String {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "ratchet-1",
            "kind": {"group": "apps", "version": "v1", "kind": "StatefulSet"},
            "resource": {"group": "apps", "version": "v1", "resource": "statefulsets"},
            "operation": op,
            "object": object(new),
            "oldObject": old.map(object),
        }
    })
    .to_string()
}

fn options(minor: u32) -> ReviewOptions {
    ReviewOptions {
        lint: Options {
            kubernetes_version: KubeVersion::new(1, minor),
            ..Options::default()
        },
        ..ReviewOptions::default()
    }
}

fn warnings(r: &Value) -> Vec<String> {
    r["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect()
}

const ALLOWED: &[&str] = &[
    "scale-to-zero.yaml",
    "label.yaml",
    "finalizer.yaml",
    "image-bump.yaml",
];

#[test]
fn the_live_object_is_denied_on_create() {
    let out = review(&request("CREATE", "live.yaml", None), &options(32)).expect("review");
    assert_eq!(out["response"]["allowed"], false, "{out}");
}

#[test]
fn updates_of_an_already_broken_statefulset_are_allowed_with_warnings() {
    for minor in [32, 34, 37] {
        for f in ALLOWED {
            let out =
                review(&request("UPDATE", f, Some("live.yaml")), &options(minor)).expect("review");
            let r = &out["response"];
            assert_eq!(r["allowed"], true, "{f} on 1.{minor}: {out}");
            assert!(r.get("status").is_none(), "{f}: {out}");
            let w = warnings(r);
            for code in ["CC201", "CC301"] {
                let hit = w
                    .iter()
                    .find(|w| w.starts_with(code))
                    .unwrap_or_else(|| panic!("{f} 1.{minor}: no {code} warning in {w:?}"));
                assert!(hit.contains("already in the live object"), "{hit}");
                assert!(
                    hit.contains(&format!("Kubernetes 1.{minor} accepts this update")),
                    "{hit}"
                );
                assert!(!hit.contains("rejects the StatefulSet"), "{hit}");
                if minor >= 34 {
                    assert!(hit.contains("ratchets"), "{hit}");
                }
            }
        }
    }
}

#[test]
fn an_update_that_introduces_a_broken_mount_is_denied() {
    let out = review(
        &request("UPDATE", "broken-mount.yaml", Some("live.yaml")),
        &options(32),
    )
    .expect("review");
    let r = &out["response"];
    assert_eq!(r["allowed"], false, "{out}");
    let message = r["status"]["message"].as_str().unwrap_or("");
    // only the new mount denies; the old faults are warnings
    assert!(message.contains("1 problem:"), "{message}");
    assert!(
        message.contains("CC301 /spec/template/spec/containers/0/volumeMounts/1/name"),
        "{message}"
    );
    assert!(message.contains("`cache`"), "{message}");
    let w = warnings(r);
    assert!(
        w.iter().any(|w| w
            .starts_with("CC301 /spec/template/spec/containers/0/volumeMounts/0/name")
            && w.contains("already in the live object")),
        "{w:?}"
    );
}

#[test]
fn mutate_on_update_offers_no_fix_of_the_immutable_claim_templates() {
    let mutate = ReviewOptions {
        mode: Mode::Mutate,
        ..options(32)
    };
    // CREATE: the claim template is repaired
    let out = review(&request("CREATE", "live.yaml", None), &mutate).expect("review");
    assert_eq!(out["response"]["patchType"], "JSONPatch", "{out}");
    // UPDATE: claim templates cannot change, so no patch touches them
    for f in ALLOWED {
        let out = review(&request("UPDATE", f, Some("live.yaml")), &mutate).expect("review");
        let r = &out["response"];
        assert_eq!(r["allowed"], true);
        assert!(r.get("patch").is_none(), "{f}: {out}");
    }
}

#[test]
fn lint_update_marks_pre_existing_findings_and_matches_containers_by_name() {
    let old = [SourceFile {
        path: "live.yaml".into(),
        text: text("live.yaml"),
    }];
    let new = [SourceFile {
        path: "image-bump.yaml".into(),
        text: text("image-bump.yaml"),
    }];
    let report = lint_update(&new, &old, &Options::default());
    let d = &report[0].diagnostics;
    let mount = d
        .iter()
        .find(|d| d.code == "CC301")
        .expect("CC301 reported");
    // the container moved from index 0 to 1: still the same fault
    assert_eq!(
        mount.pointer,
        "/spec/template/spec/containers/1/volumeMounts/0/name"
    );
    assert!(mount.pre_existing);
    assert_eq!(mount.severity, Severity::Warning);
    let tpl = d
        .iter()
        .find(|d| d.code == "CC201")
        .expect("CC201 reported");
    assert!(tpl.pre_existing && tpl.fix.is_none(), "{tpl:?}");
    assert!(tpl.message.contains("--cascade=orphan"), "{}", tpl.message);
    assert!(!d.iter().any(|d| d.severity == Severity::Error), "{d:?}");
}

#[test]
fn canonical_pointers_name_merge_keyed_items() {
    let stream = parse_stream(&text("image-bump.yaml"), &Limits::default());
    let root = &stream.documents[0].root;
    assert_eq!(
        claimcheck::ratchet::canonical_pointer(
            root,
            "/spec/template/spec/containers/1/volumeMounts/0/name"
        ),
        "/spec/template/spec/containers/[name=nginx]/volumeMounts/[mountPath=~1usr~1share~1nginx~1html]/name"
    );
    // an index past the end, or a list without a merge key, stays as it is
    assert_eq!(
        claimcheck::ratchet::canonical_pointer(root, "/spec/template/spec/containers/9/x"),
        "/spec/template/spec/containers/9/x"
    );
}

fn cli(args: &[&str]) -> (i32, Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .current_dir(dir())
        .args(args)
        .output()
        .expect("run claimcheck");
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code().unwrap_or(-1), v)
}

#[test]
fn cli_check_old_ratchets() {
    let (code, _) = cli(&["check", "--format", "json", "live.yaml"]);
    assert_eq!(code, 1, "the live object alone has errors");
    for f in ALLOWED {
        let (code, v) = cli(&["check", "--format", "json", "--old", "live.yaml", f]);
        assert_eq!(code, 0, "{f}: {v}");
        let diags = v["files"][0]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for c in ["CC201", "CC301"] {
            let d = diags
                .iter()
                .find(|d| d["code"] == c)
                .unwrap_or_else(|| panic!("{f}: {c} missing"));
            assert_eq!(d["severity"], "warning", "{f}: {d}");
            assert!(d["fix"].is_null(), "{f}: {d}");
            // the JSON contract's optional field: the live object had it already
            assert_eq!(d["preExisting"], true, "{f}: {d}");
        }
    }
    let (code, v) = cli(&[
        "check",
        "--format",
        "json",
        "--old",
        "live.yaml",
        "broken-mount.yaml",
    ]);
    assert_eq!(code, 1, "{v}");
    let errors: Vec<&Value> = v["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0]["pointer"],
        "/spec/template/spec/containers/0/volumeMounts/1/name"
    );
    // what the update brings is not pre-existing: the field is left out
    assert!(errors[0].get("preExisting").is_none(), "{}", errors[0]);
    // without --old nothing is pre-existing
    let (_, v) = cli(&["check", "--format", "json", "live.yaml"]);
    let diags = v["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!diags.is_empty());
    assert!(diags.iter().all(|d| d.get("preExisting").is_none()), "{v}");
}

/// The part of a manifest from `volumeClaimTemplates:` on (immutable on update).
fn claim_templates(text: &str) -> &str {
    text.find("  volumeClaimTemplates:")
        .map(|i| &text[i..])
        .unwrap_or_else(|| panic!("no claim templates: {text}"))
}

/// `fix --old LIVE FILE`: only the fixes an update allows. The update below bumps the image
/// and sets `restartPolicy: OnFailure` (CC107, a safe fix in the mutable pod template); the
/// live object's broken claim template (CC201, whose fix rewrites the immutable claim
/// templates) is left as it is, with and without --unsafe-fixes.
#[test]
fn cli_fix_old_applies_only_the_fixes_an_update_allows() {
    let tmp = std::env::temp_dir().join(format!("claimcheck-fix-old-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let live = tmp.join("live.yaml");
    std::fs::write(&live, text("live.yaml")).expect("write live");
    let update = text("image-bump.yaml").replacen(
        "      containers:\n",
        "      restartPolicy: OnFailure\n      containers:\n",
        1,
    );
    assert!(update.contains("restartPolicy: OnFailure"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_claimcheck"))
            .current_dir(&tmp)
            .args(args)
            .output()
            .expect("run claimcheck")
    };
    for extra in [&[][..], &["--unsafe-fixes"][..]] {
        let new = tmp.join("new.yaml");
        std::fs::write(&new, &update).expect("write new");
        let mut args = vec!["fix", "--old", "live.yaml"];
        args.extend_from_slice(extra);
        args.push("new.yaml");
        let o = run(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        // what is left (CC201, CC301) was in the live object: warnings, so exit 0
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {stderr}");
        assert!(stderr.contains("fixed CC107"), "{extra:?}: {stderr}");
        assert!(!stderr.contains("fixed CC201"), "{extra:?}: {stderr}");
        let fixed = std::fs::read_to_string(&new).expect("read new");
        assert!(!fixed.contains("OnFailure"), "{extra:?}: {fixed}");
        assert_eq!(
            claim_templates(&fixed),
            claim_templates(&update),
            "{extra:?}: the claim templates are immutable"
        );
        assert!(fixed.contains("nginx:1.27.3"), "{fixed}");
    }
    // the same file without --old: a create, so the claim template is fixed too
    std::fs::write(tmp.join("new.yaml"), &update).expect("write new");
    let o = run(&["fix", "--stdout", "new.yaml"]);
    let created = String::from_utf8_lossy(&o.stdout);
    assert_ne!(
        claim_templates(&created),
        claim_templates(&update),
        "{created}"
    );
    // normalize takes no --old
    let o = run(&["normalize", "--old", "live.yaml", "new.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("normalize does not take --old"));
    let _ = std::fs::remove_dir_all(&tmp);
}

/// A Pod's spec cannot change on update (apart from images and a few scheduling fields), so the
/// did-you-mean fix of a mount the update misspelled is not offered; the same mistake on create
/// gets the fix.
#[test]
fn no_fix_on_update_touches_a_pods_immutable_spec() {
    let pod = |mount: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  containers:\n    - name: sh\n      image: busybox:1.36\n      volumeMounts:\n        - name: {mount}\n          mountPath: /scratch\n  volumes:\n    - name: scratch\n      emptyDir: {{}}\n"
        )
    };
    let file = |t: String| {
        [SourceFile {
            path: "pod.yaml".into(),
            text: t,
        }]
    };
    let create = claimcheck::engine::lint(&file(pod("scrach")), &Options::default());
    let on_create = create[0]
        .diagnostics
        .iter()
        .find(|d| d.code == "CC301")
        .expect("CC301 on create");
    assert!(on_create.fix.is_some(), "{on_create:?}");
    let update = lint_update(
        &file(pod("scrach")),
        &file(pod("scratch")),
        &Options::default(),
    );
    let on_update = update[0]
        .diagnostics
        .iter()
        .find(|d| d.code == "CC301")
        .expect("CC301 on update");
    assert!(!on_update.pre_existing, "{on_update:?}");
    assert!(on_update.fix.is_none(), "{on_update:?}");
    assert!(
        on_update
            .message
            .contains("spec of an existing Pod cannot change"),
        "{}",
        on_update.message
    );
}
