//! The registry against the fixtures and the docs:
//! - every fixture folder (`tests/fixtures/<CODE>`) names a registered rule;
//! - every rule that declares a fix offers one on at least one of its fixtures, of each kind it
//!   declares (a `Sometimes` rule shows both a safe and an unsafe fix);
//! - no rule emits a fix kind it did not declare (the rule context drops and counts those);
//! - the Example blocks of the docs that are whole objects lint as they claim: the first block
//!   (the problem) makes the rule fire, a block after "becomes" (the fixed form) does not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use claimcheck::engine::{lint_update, Options, SourceFile};
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

/// The ```yaml blocks of a rule's `## Example` section, and whether each comes after a
/// "becomes" (the fixed form).
fn example_blocks(docs: &str) -> Vec<(String, bool)> {
    let Some(ex) = docs.split("## Example").nth(1) else {
        return Vec::new();
    };
    let ex = ex.split("\n## ").next().unwrap_or("");
    let mut out = Vec::new();
    let mut fixed = false;
    let mut block: Option<String> = None;
    for line in ex.lines() {
        match &mut block {
            Some(b) if line.trim_start().starts_with("```") => {
                out.push((std::mem::take(b), fixed));
                block = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None if line.trim_start().starts_with("```yaml") => block = Some(String::new()),
            None => {
                if line.contains("becomes") || line.to_ascii_lowercase().contains("fixed") {
                    fixed = true;
                }
            }
        }
    }
    out
}

#[test]
fn whole_object_examples_lint_as_they_claim() {
    let mut checked = 0;
    for r in registry::all() {
        for (i, (yaml, fixed)) in example_blocks(r.docs).into_iter().enumerate() {
            if !(yaml.contains("apiVersion:") && yaml.contains("kind:")) {
                continue; // a fragment: its context is in the text around it
            }
            let fires = lint(&format!("{}-example-{i}", r.code), &yaml, None)
                .iter()
                .any(|d| d.code == r.code);
            assert_eq!(
                fires,
                !fixed,
                "{} example {i} ({}) lints the other way:\n{yaml}",
                r.code,
                if fixed { "fixed form" } else { "problem" }
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} whole-object examples");
}

/// The layering of the rule code, read from the sources: no rule module imports the engine,
/// the registry or another family (`crate::rules::`); the engine names no rule module; no
/// file under `src/rules/` is much over 400 lines. (Unit-test modules, `tests.rs`, lint
/// through the engine and are exempt.)
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
        if f.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
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
