//! A round of fixing builds only the findings whose fix it applies (`Ctx::for_fixing`: rules
//! skip the messages of findings without one, past the cap too). What it finds must be what
//! the straightforward way finds — every finding built in full, uncapped, then those with a
//! fix the round applies kept —: the same findings, in the same order, with the same fixes,
//! with safe fixes only and with unsafe ones, on every corpus file, rule fixture and example,
//! on updates, and on inputs far past the cap of findings per rule.

#[path = "support/hostile_inputs.rs"]
mod hostile_inputs;

use claimcheck::engine::{fixing_round_reference, Options, SourceFile};
use hostile_inputs as h;

/// Both ways, with safe fixes and with unsafe ones; how many fixes the rounds found.
fn same(text: &str, old: Option<&str>, what: &str) -> usize {
    let old: Vec<SourceFile> = old
        .map(|t| SourceFile {
            path: "old.yaml".into(),
            text: t.to_string(),
        })
        .into_iter()
        .collect();
    let mut n = 0;
    for unsafe_fixes in [false, true] {
        let options = Options {
            unsafe_fixes,
            ..Options::default()
        };
        let (round, reference) = fixing_round_reference(text, &old, &options);
        assert_eq!(
            round.len(),
            reference.len(),
            "{what} (unsafe: {unsafe_fixes})"
        );
        for (a, b) in round.iter().zip(&reference) {
            if old.is_empty() {
                assert_eq!(a, b, "{what} (unsafe: {unsafe_fixes})");
            } else {
                // on an update a round lints no live object and marks nothing pre-existing
                // (it only drops the fixes an update cannot apply): what it reads — the rule,
                // the place and the fix — is the same
                assert_eq!(
                    (a.code, a.document, &a.pointer, a.span, &a.fix),
                    (b.code, b.document, &b.pointer, b.span, &b.fix),
                    "{what} (unsafe: {unsafe_fixes})"
                );
            }
        }
        n += round.len();
    }
    n
}

fn texts_in(dir: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            texts_in(&p.to_string_lossy(), out);
        } else if p
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p.to_string_lossy().into_owned(), t));
            }
        }
    }
}

#[test]
fn a_fixing_round_finds_the_fixes_of_a_full_lint_on_every_fixture() {
    let mut texts = Vec::new();
    for dir in ["tests/corpus", "tests/fixtures", "examples"] {
        texts_in(dir, &mut texts);
    }
    assert!(texts.len() > 100, "{}", texts.len());
    let fixes: usize = texts.iter().map(|(p, t)| same(t, None, p)).sum();
    assert!(fixes > 100, "{fixes}");
}

#[test]
fn a_fixing_round_finds_the_fixes_of_a_full_lint_on_updates() {
    let mut pairs = Vec::new();
    texts_in("tests/ratchet", &mut pairs);
    // each file as an update of every other of its directory's files (and of itself)
    let mut compared = 0;
    for (p, new) in &pairs {
        for (q, old) in pairs
            .iter()
            .filter(|(q, _)| std::path::Path::new(q).parent() == std::path::Path::new(p).parent())
        {
            same(new, Some(old), &format!("{p} after {q}"));
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared}");
    let (old, new) = h::statefulset_update(1_500);
    same(&new, Some(&old), "a StatefulSet update past the cap");
}

#[test]
fn a_fixing_round_finds_the_fixes_of_a_full_lint_past_the_cap() {
    // unfixable findings by the thousand (labels, unknown fields, mounts that match nothing,
    // claims shared), next to fixable ones past the cap: snake_case fields (a safe rename)
    // and operators in the wrong letter case (a safe fix)
    let mut fixable = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels: {app: web}\n    matchExpressions:\n",
    );
    for i in 0..1_500 {
        fixable.push_str(&format!(
            "      - {{key: k{i}, operator: in, values: [a]}}\n"
        ));
    }
    fixable.push_str("  template:\n    metadata:\n      labels:\n        app: web\n");
    for i in 0..1_500 {
        fixable.push_str(&format!("        bad{i}: 'a b'\n"));
    }
    fixable.push_str("    spec:\n      containers:\n");
    for i in 0..1_200 {
        fixable.push_str(&format!(
            "        - name: c{i}\n          image: nginx\n          image_pull_policy: Always\n          colour: red\n"
        ));
    }
    let n = same(&fixable, None, "fixable past the cap");
    assert!(n >= 2 * (1_500 + 1_200), "{n}");
    for (what, text) in [
        ("bad labels", h::bad_labels(3_000)),
        ("unknown fields", h::unknown_fields(3_000)),
        ("duplicate keys", h::duplicate_keys(3_000)),
        ("cross references", h::cross_references(1_500)),
        ("fixable documents", h::fixable_documents(1_500)),
        ("shared claims", h::deployments_sharing_a_claim(1_500)),
        ("missing claims", h::deployments_missing_claims(1_500)),
        ("many volumes", h::deployments_many_volumes(1_500)),
        ("pod volumes", h::pod_many_volumes(1_500)),
        ("big StatefulSet", h::big_statefulset(1_500, true)),
    ] {
        same(&text, None, what);
    }
}
