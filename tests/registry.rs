//! The registry against the fixtures and the docs:
//! - every fixture folder (`tests/fixtures/<CODE>`) names a registered rule;
//! - every rule that declares a fix offers one on at least one of its fixtures, of each kind it
//!   declares (a `Sometimes` rule shows both a safe and an unsafe fix);
//! - no rule emits a fix kind it did not declare (the rule context drops and counts those);
//! - every rule's Example blocks lint as they claim: the problem makes the rule fire, the
//!   fixed form does not, a live object and the new manifest after it lint as an update;
//!   fragments are placed in a clean object of their kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use claimcheck::engine::{lint_update, Options, SourceFile};
use claimcheck::model::workload::WorkloadKind;
use claimcheck::registry::{self, FixAvailability};
use claimcheck::{Applicability, Diagnostic};

fn fixture_dirs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            (name, p)
        })
        .collect();
    out.sort();
    out
}

fn lint(name: &str, text: &str, old: Option<String>) -> Vec<Diagnostic> {
    let files = [SourceFile {
        path: name.to_string(),
        text: text.to_string(),
    }];
    let olds: Vec<SourceFile> = old
        .map(|t| SourceFile {
            path: format!("{name}.old"),
            text: t,
        })
        .into_iter()
        .collect();
    lint_update(&files, &olds, &Options::default())
        .pop()
        .map(|r| r.diagnostics)
        .unwrap_or_default()
}

/// Every diagnostic of every fixture, keyed by the folder's code.
fn fixture_diagnostics() -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for (code, dir) in fixture_dirs() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for p in files {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let ext = p.extension().and_then(|s| s.to_str()).unwrap_or("");
            if stem.ends_with(".old") || !(ext == "yaml" || ext == "json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("fixture reads");
            let old = std::fs::read_to_string(p.with_file_name(format!("{stem}.old.{ext}"))).ok();
            let diags = lint(&p.display().to_string(), &text, old);
            out.entry(code.clone()).or_default().extend(diags);
        }
    }
    out
}

#[test]
fn every_fixture_folder_names_a_registered_rule() {
    let dirs = fixture_dirs();
    assert!(!dirs.is_empty());
    for (name, _) in &dirs {
        let rule = registry::find(name);
        assert!(
            rule.is_some_and(|r| r.code == name),
            "tests/fixtures/{name} names no registered rule code"
        );
    }
    let with_fixtures: BTreeSet<&str> = dirs.iter().map(|(n, _)| n.as_str()).collect();
    for r in registry::all() {
        assert!(
            with_fixtures.contains(r.code),
            "{} has no tests/fixtures/{} folder",
            r.code,
            r.code
        );
    }
}

#[test]
fn every_declared_fix_shows_on_a_fixture_and_no_undeclared_one_exists() {
    let by_folder = fixture_diagnostics();
    let mut seen: BTreeMap<&str, BTreeSet<Applicability>> = BTreeMap::new();
    for diags in by_folder.values() {
        for d in diags {
            if let Some(f) = &d.fix {
                seen.entry(d.code).or_default().insert(f.applicability);
            }
        }
    }
    let mut missing = Vec::new();
    for r in registry::all() {
        let kinds = seen.get(r.code).cloned().unwrap_or_default();
        let needed: &[Applicability] = match r.fix {
            FixAvailability::None => &[],
            FixAvailability::Safe => &[Applicability::Safe],
            FixAvailability::Unsafe => &[Applicability::Unsafe],
            // safe in some cases, unsafe in others: at least one of the two shows
            FixAvailability::Sometimes => &[],
        };
        if r.fix == FixAvailability::Sometimes && kinds.is_empty() {
            missing.push(format!(
                "{} declares fixes but no fixture shows one",
                r.code
            ));
        }
        for k in needed {
            if !kinds.contains(k) {
                missing.push(format!(
                    "{} declares {:?} but no fixture shows a {k:?} fix",
                    r.code, r.fix
                ));
            }
        }
        for k in &kinds {
            assert!(r.allows(*k), "{} showed an undeclared {k:?} fix", r.code);
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert_eq!(
        claimcheck::rule::undeclared_fixes(),
        0,
        "a rule offered a fix kind it does not declare (dropped by the rule context)"
    );
}

/// What a ```yaml block of a rule's `## Example` section stands for, from the text before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The problem: the rule fires.
    Problem,
    /// The fixed form (after "becomes", "fixed", "Add", "Write", "Use"): it does not.
    Fixed,
    /// The live object of an update ("Live object:", "Live claim:"): the next block is the
    /// new manifest, linted as an update of it.
    Live,
}

/// The ```yaml blocks of a rule's `## Example` section, each with its role.
fn example_blocks(docs: &str) -> Vec<(String, Role)> {
    let Some(ex) = docs.split("## Example").nth(1) else {
        return Vec::new();
    };
    let ex = ex.split("\n## ").next().unwrap_or("");
    let mut out = Vec::new();
    let mut role = Role::Problem;
    let mut fixed = false;
    let mut block: Option<String> = None;
    for line in ex.lines() {
        match &mut block {
            Some(b) if line.trim_start().starts_with("```") => {
                out.push((std::mem::take(b), role));
                block = None;
                role = if fixed { Role::Fixed } else { Role::Problem };
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None if line.trim_start().starts_with("```yaml") => block = Some(String::new()),
            None => {
                let lower = line.to_ascii_lowercase();
                let t = line.trim_start();
                if lower.contains("becomes")
                    || lower.contains("fixed")
                    || ["Add", "Write", "Use"]
                        .iter()
                        .any(|w| t.starts_with(&format!("{w} ")) || t == *w)
                {
                    fixed = true;
                    role = Role::Fixed;
                }
                if lower.starts_with("live ") {
                    role = Role::Live;
                }
            }
        }
    }
    out
}

/// A clean object of each kind the examples use: the context a fragment is placed in.
fn base(kind: &str) -> serde_json::Value {
    use serde_json::json;
    match kind {
        "PersistentVolumeClaim" => json!({
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "namespace": "default"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
        }),
        "Service" => json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"clusterIP": "None", "selector": {"app": "web"}, "ports": [{"port": 80}]}
        }),
        "StorageClass" => json!({
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "standard"}, "provisioner": "ebs.csi.aws.com"
        }),
        // another workload kind: the fragment brings its spec
        k if k != "StatefulSet" => {
            let api_version = WorkloadKind::ALL
                .iter()
                .find(|w| w.name() == k)
                .map_or("v1", |w| w.api_version());
            json!({
                "apiVersion": api_version, "kind": k,
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {}
            })
        }
        _ => json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "serviceName": "web",
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}
                },
                "volumeClaimTemplates": [{"metadata": {"name": "data"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
            }
        }),
    }
}

/// Where a fragment's top-level key goes in its object (`None`: the object itself); the
/// fragment's value replaces what the base has there, so that an example can show a field
/// missing (but `metadata` is laid over the base's).
fn place(kind: &str, key: &str) -> Option<&'static [&'static str]> {
    const POD: &[&str] = &["spec", "template", "spec"];
    const CONTAINER: &[&str] = &["spec", "template", "spec", "containers", "0"];
    if kind != "StatefulSet" {
        return match key {
            "apiVersion" | "kind" | "metadata" | "spec" | "provisioner" | "status" => None,
            _ => Some(&["spec"]),
        };
    }
    match key {
        "apiVersion" | "kind" | "metadata" | "spec" | "status" => None,
        "containers" | "initContainers" | "volumes" | "restartPolicy" => Some(POD),
        "volumeMounts" | "volumeDevices" | "ports" | "image" => Some(CONTAINER),
        _ => Some(&["spec"]),
    }
}

/// The kind a fragment without `kind:` describes: a claim's fields make a PVC.
fn fragment_kind(fragment: &serde_json::Map<String, serde_json::Value>) -> &'static str {
    const CLAIM: &[&str] = &[
        "accessModes",
        "resources",
        "volumeMode",
        "dataSource",
        "dataSourceRef",
        "storageClassName",
        "volumeName",
    ];
    let spec = fragment.get("spec").and_then(|s| s.as_object());
    let claim_keys = |m: &serde_json::Map<String, serde_json::Value>| {
        !m.is_empty() && m.keys().all(|k| CLAIM.contains(&k.as_str()))
    };
    if claim_keys(fragment) || spec.is_some_and(|s| claim_keys(s) && !s.contains_key("replicas")) {
        "PersistentVolumeClaim"
    } else {
        "StatefulSet"
    }
}

/// A YAML fragment of an example as whole objects: each document's top-level keys placed in
/// a clean object of its kind (a document with `apiVersion` and `kind` is taken as it is).
/// `None` when the fragment does not read as mappings.
fn complete(fragment: &str) -> Option<String> {
    let stream = claimcheck::source::parse_stream(fragment, &claimcheck::source::Limits::default());
    if !stream.issues.is_empty() {
        return None;
    }
    let mut docs = Vec::new();
    for d in &stream.documents {
        let v = d.root.to_json();
        let m = v.as_object()?;
        if m.contains_key("apiVersion") && m.contains_key("kind") {
            docs.push(v);
            continue;
        }
        let kind = m
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or_else(|| fragment_kind(m));
        let mut obj = base(kind);
        for (key, value) in m {
            let mut at = &mut obj;
            for seg in place(kind, key).unwrap_or(&[]) {
                at = match seg.parse::<usize>() {
                    Ok(i) => at.get_mut(i)?,
                    Err(_) => at.get_mut(*seg)?,
                };
            }
            let at = at.as_object_mut()?;
            match (key.as_str(), at.get_mut(key), value) {
                // the metadata a fragment gives is laid over the base's (namespace kept)
                (
                    "metadata",
                    Some(serde_json::Value::Object(old)),
                    serde_json::Value::Object(new),
                ) => {
                    old.extend(new.clone());
                }
                _ => {
                    at.insert(key.clone(), value.clone());
                }
            }
        }
        docs.push(obj);
    }
    Some(
        docs.iter()
            .map(|d| serde_json::to_string_pretty(d).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n---\n"),
    )
}

/// Every rule's examples lint as they claim: a problem block makes the rule fire, a fixed form
/// does not; a live object and the block after it are linted as an update. A block that is a
/// fragment is tried as it is (a parse error, a repeated key), then placed in a clean object
/// of its kind (the fragment's keys replace the object's, see [`place`]).
#[test]
fn every_example_lints_as_it_claims() {
    let mut faults = Vec::new();
    let mut checked = 0;
    for r in registry::all() {
        let blocks = example_blocks(r.docs);
        if blocks.is_empty() {
            faults.push(format!("{}: no ```yaml block in its Example", r.code));
        }
        let mut live: Option<String> = None;
        let mut problems = 0;
        for (i, (yaml, role)) in blocks.into_iter().enumerate() {
            if role == Role::Live {
                live = complete(&yaml);
                if live.is_none() {
                    faults.push(format!(
                        "{} example {i}: the live object does not read",
                        r.code
                    ));
                }
                continue;
            }
            let name = format!("{}-example-{i}", r.code);
            let fires = |text: &str| {
                lint(&name, text, live.clone())
                    .iter()
                    .any(|d| d.code == r.code)
            };
            let whole = yaml.contains("apiVersion:") && yaml.contains("kind:");
            let fired = if whole {
                fires(&yaml)
            } else {
                (role == Role::Problem && live.is_none() && fires(&yaml))
                    || complete(&yaml).is_some_and(|t| fires(&t))
            };
            live = None;
            checked += 1;
            problems += usize::from(role == Role::Problem);
            if fired != (role == Role::Problem) {
                faults.push(format!(
                    "{} example {i} ({}) lints the other way:\n{yaml}{}",
                    r.code,
                    if role == Role::Problem {
                        "the problem, the rule does not fire"
                    } else {
                        "the fixed form, the rule fires"
                    },
                    if whole {
                        String::new()
                    } else {
                        format!("completed as:\n{}\n", complete(&yaml).unwrap_or_default())
                    }
                ));
            }
        }
        if problems == 0 {
            faults.push(format!("{}: no example of the problem", r.code));
        }
    }
    assert!(faults.is_empty(), "{}\n{}", faults.len(), faults.join("\n"));
    assert!(checked >= registry::all().len(), "only {checked} examples");
}

/// The layering of the rule code, read from the sources: no rule module imports the engine,
/// the registry or another family (`crate::rules::`); the engine names no rule module; no
/// file under `src/rules/` is much over 400 lines. Unit-test modules (`tests.rs`) keep the
/// layer too: what lints through the engine lives in tests/families.rs.
#[test]
fn rule_modules_keep_their_layer() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("readable dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src/rules"), &mut files);
    assert!(files.len() > 60, "only {} rule files", files.len());
    let mut faults = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable source");
        let name = f.strip_prefix(root).unwrap_or(f).display().to_string();
        if text.lines().count() > 450 {
            faults.push(format!("{name}: {} lines", text.lines().count()));
        }
        for bad in ["crate::engine", "crate::registry", "crate::rules::"] {
            if text.contains(bad) {
                faults.push(format!("{name} uses {bad}"));
            }
        }
    }
    let engine = std::fs::read_to_string(root.join("src/engine.rs")).expect("engine source");
    if engine.contains("rules::") {
        faults.push("src/engine.rs names a rule module".into());
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
