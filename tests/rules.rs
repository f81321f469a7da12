//! Fixture tests for every rule: `tests/fixtures/<CODE>/valid*.yaml` must not trigger the rule,
//! `invalid*.yaml` must; each invalid fixture has a snapshot in `tests/snapshots/` holding the
//! diagnostics, the fixed text (unsafe fixes included) and the JSON Patch together.
//! A fixture with a sibling `<name>.old.yaml` is linted as an update of the objects in that file
//! (the update rules, CC5xx, need the live version).
//! `CLAIMCHECK_BLESS=1 cargo test --test rules` rewrites the snapshots.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use claimcheck::engine::{fix_text, lint_update, FileReport, Options, SourceFile};
use claimcheck::source::{parse_stream, Limits, PositionEncoding};

fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("tests/fixtures exists") {
        let dir = dir.expect("dir entry").path();
        let code = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        for f in std::fs::read_dir(&dir).expect("fixture dir") {
            let p = f.expect("entry").path();
            let old_version = p
                .file_stem()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".old"));
            if !old_version && p.extension().is_some_and(|e| e == "yaml" || e == "json") {
                out.push((code.clone(), p));
            }
        }
    }
    out.sort();
    out
}

/// The live version of a fixture's objects: `invalid.yaml` → `invalid.old.yaml`, if present.
fn old_version(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let ext = path.extension()?.to_str()?;
    std::fs::read_to_string(path.with_file_name(format!("{stem}.old.{ext}"))).ok()
}

/// Lints a fixture, as an update when it has an old version.
fn lint_fixture(name: &str, text: &str, old: Option<&str>) -> FileReport {
    let files = [SourceFile {
        path: name.to_string(),
        text: text.to_string(),
    }];
    let olds: Vec<SourceFile> = old
        .map(|t| SourceFile {
            path: format!("{name} (old)"),
            text: t.to_string(),
        })
        .into_iter()
        .collect();
    lint_update(&files, &olds, &Options::default())
        .pop()
        .expect("one report per input")
}

fn snapshot(code: &str, path: &Path, text: &str, old: Option<&str>) -> String {
    let report = lint_fixture(&path.display().to_string(), text, old);
    let dto = claimcheck::output::report_dto(
        std::slice::from_ref(&report),
        &[text],
        PositionEncoding::Utf8,
    );
    let mut s = String::new();
    s.push_str(&format!(
        "# {code} {}\n\n",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    ));
    if old.is_some() {
        s.push_str(
            "(an update of the objects in the `.old` file; the fixing below runs without it)\n\n",
        );
    }
    s.push_str("## diagnostics\n");
    for d in &dto.files[0].diagnostics {
        s.push_str(&format!(
            "{}:{}-{}:{} {} {} {} {}\n",
            d.range.start.line,
            d.range.start.column,
            d.range.end.line,
            d.range.end.column,
            d.code,
            d.severity.as_str(),
            d.pointer,
            d.message
        ));
        if let Some(f) = &d.fix {
            s.push_str(&format!(
                "  fix ({}): {}\n  patch: {}\n",
                serde_json::to_string(&f.applicability).unwrap_or_default(),
                f.title,
                serde_json::to_string(&f.patch).unwrap_or_default()
            ));
        }
    }
    let fixed = fix_text(
        "x",
        text,
        &Options {
            unsafe_fixes: true,
            ..Options::default()
        },
    );
    s.push_str("\n## fixed (unsafe fixes included)\n");
    if fixed.output == text {
        s.push_str("(unchanged)\n");
    } else {
        s.push_str(&claimcheck::fix::unified_diff(
            "fixture",
            text,
            &fixed.output,
        ));
    }
    s.push_str("\n## patch\n");
    for (doc, ops) in &fixed.patches {
        s.push_str(&format!(
            "document {doc}: {}\n",
            serde_json::to_string(ops).unwrap_or_default()
        ));
    }
    s.push_str("\n## left after fixing\n");
    for d in &fixed.remaining.diagnostics {
        s.push_str(&format!("{} {}\n", d.code, d.pointer));
    }
    s
}

/// Applying the JSON Patch to the parsed original gives the parsed fixed text.
fn check_patch_invariant(path: &Path, text: &str) {
    let fixed = fix_text(
        "x",
        text,
        &Options {
            unsafe_fixes: true,
            ..Options::default()
        },
    );
    let before = parse_stream(text, &Limits::default());
    let after = parse_stream(&fixed.output, &Limits::default());
    assert!(
        after.errors().count() <= before.errors().count(),
        "{}: fixing introduced a parse error:\n{}",
        path.display(),
        fixed.output
    );
    let mut docs: BTreeMap<usize, serde_json::Value> = before
        .documents
        .iter()
        .map(|d| (d.index, d.root.to_json()))
        .collect();
    for (doc, ops) in &fixed.patches {
        let v = docs.get_mut(doc).expect("patched document exists");
        claimcheck::patch::apply(v, ops)
            .unwrap_or_else(|e| panic!("{}: patch does not apply: {e}", path.display()));
    }
    for d in &after.documents {
        assert_eq!(
            docs.get(&d.index),
            Some(&d.root.to_json()),
            "{}: document {} differs between patch and text fix",
            path.display(),
            d.index
        );
    }
}

#[test]
fn fixtures_trigger_their_rule_and_match_snapshots() {
    let bless = std::env::var_os("CLAIMCHECK_BLESS").is_some();
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(!all.is_empty());
    for (code, path) in &all {
        let text = std::fs::read_to_string(path).expect("fixture readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let old = old_version(path);
        let report = lint_fixture(name, &text, old.as_deref());
        let hits = report
            .diagnostics
            .iter()
            .filter(|d| d.code == code.as_str())
            .count();
        if name.starts_with("valid") {
            if hits > 0 {
                failures.push(format!(
                    "{}: {code} fired on a valid fixture",
                    path.display()
                ));
            }
            continue;
        }
        if hits == 0 {
            failures.push(format!("{}: {code} did not fire", path.display()));
        }
        check_patch_invariant(path, &text);
        let snap = snapshot(code, Path::new(name), &text, old.as_deref());
        let snap_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(format!(
                "{code}__{}.snap",
                name.trim_end_matches(".yaml").trim_end_matches(".json")
            ));
        if bless {
            std::fs::write(&snap_path, &snap).expect("write snapshot");
        } else {
            match std::fs::read_to_string(&snap_path) {
                Ok(old) if old == snap => {}
                Ok(old) => failures.push(format!(
                    "{}: snapshot differs (CLAIMCHECK_BLESS=1 to accept)\n--- stored\n{old}\n--- now\n{snap}",
                    snap_path.display()
                )),
                Err(_) => failures.push(format!("{}: no snapshot (CLAIMCHECK_BLESS=1 to create)", snap_path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_fixtures() {
    let all = fixtures();
    let mut missing = Vec::new();
    for r in claimcheck::registry::all() {
        let has = |prefix: &str| {
            all.iter().any(|(c, p)| {
                c == r.code
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefix))
            })
        };
        if !has("valid") || !has("invalid") {
            missing.push(r.code);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without valid/invalid fixtures: {missing:?}"
    );
}

/// A fix that fails its check (here CC206's on an anchored item whose alias is used
/// elsewhere: the edit would drop the anchor) holds back neither the fixes before it nor those
/// after it in the same round: the round keeps every fix that leaves the text sound.
#[test]
fn a_fix_that_fails_its_check_does_not_hold_back_the_others() {
    let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [&m rwo, rox]\n  resources: {requests: {storage: 1Gi}}\n  volumeName: *m\n";
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let fixed = fix_text("x", text, &options);
    let applied: Vec<(&str, &str)> = fixed
        .applied
        .iter()
        .map(|a| (a.code, a.title.as_str()))
        .collect();
    assert_eq!(
        applied,
        [
            (
                "CC409",
                "Set `storageClassName: \"\"` so that no default class is filled in"
            ),
            ("CC206", "Write `ReadOnlyMany`"),
        ]
    );
    assert!(
        fixed.output.contains("accessModes: [&m rwo, ReadOnlyMany]"),
        "{}",
        fixed.output
    );
    // converged: a second run offers only the fix that cannot be applied
    assert_eq!(fix_text("x", &fixed.output, &options).output, fixed.output);
}
