//! Comments survive fixes: comments are added to the corpus files and the conformance cases
//! (at the end of random lines, or of every line), then `fix --unsafe-fixes` runs. Every comment
//! is still there unless a fix that was applied says in its title that it deletes it; a second
//! fix changes nothing; and the JSON Patch of the fixes equals their text edits.
//! The seed is fixed; raise `PROPTEST_CASES` locally to search more.

use std::sync::OnceLock;

use claimcheck::engine::{fix_text, Options};
use claimcheck::source::{parse_stream, Limits};
use proptest::prelude::*;

#[path = "support/fix_checks.rs"]
mod fix_checks;
#[path = "support/props.rs"]
mod props;

fn inputs() -> &'static Vec<String> {
    static INPUTS: OnceLock<Vec<String>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut out = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(format!("{root}/tests/corpus"))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if f.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    out.push(t);
                }
            }
        }
        let cases = std::fs::read_to_string(format!("{root}/tests/conformance/cases.jsonl"))
            .unwrap_or_default();
        for line in cases.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(y) = v.get("yaml").and_then(|y| y.as_str()) {
                    out.push(y.to_string());
                }
            }
        }
        out
    })
}

fn docs(text: &str) -> Option<Vec<serde_json::Value>> {
    let s = parse_stream(text, &Limits::default());
    s.issues
        .is_empty()
        .then(|| s.documents.iter().map(|d| d.root.to_json()).collect())
}

/// Appends `  # cN` to the lines picked by `pick`; `None` when that changes what the text
/// means (a line inside a block scalar, say) or the text does not read cleanly.
fn with_comments(text: &str, pick: impl Fn(usize) -> bool) -> Option<(String, Vec<String>)> {
    let before = docs(text)?;
    let mut out = String::new();
    let mut added = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        out.push_str(body);
        if pick(i) && !body.trim().is_empty() && !body.contains('#') {
            let c = format!("# c{i}");
            out.push_str("  ");
            out.push_str(&c);
            added.push(c);
        }
        out.push_str(eol);
    }
    (docs(&out)? == before).then_some((out, added))
}

fn check(text: &str, added: &[String]) -> Result<(), TestCaseError> {
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let out = fix_text("c.yaml", text, &options);
    let lost: Vec<&String> = added
        .iter()
        .filter(|c| !out.output.contains(&format!("{c}\n")) && !out.output.ends_with(c.as_str()))
        .collect();
    prop_assert!(
        lost.len() <= fix_checks::declared_deletions(&out),
        "lost {lost:?} with fixes {:?}\n{text}\n=>\n{}",
        out.applied.iter().map(|a| &a.title).collect::<Vec<_>>(),
        out.output
    );
    // a second fix changes nothing
    fix_checks::idempotent("c.yaml", &out, &options).map_err(TestCaseError::fail)?;
    // the patch equals the text edits
    fix_checks::patch_equals_text(text, &out).map_err(TestCaseError::fail)?;
    Ok(())
}

proptest! {
    #![proptest_config(props::config(64, 0xC0FF_EE11))]

    #[test]
    fn comments_on_random_lines_survive_fixes(case in any::<prop::sample::Index>(), every in 1usize..5, offset in 0usize..5) {
        let inputs = inputs();
        prop_assume!(!inputs.is_empty());
        let text = &inputs[case.index(inputs.len())];
        // every line (every == 1) or every few lines
        if let Some((commented, added)) = with_comments(text, |i| i % every == offset % every) {
            check(&commented, &added)?;
        }
    }
}

#[test]
fn the_inputs_are_there() {
    assert!(inputs().len() > 400, "{}", inputs().len());
}

#[test]
fn a_comment_on_an_empty_access_mode_list_survives_its_fix() {
    let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: []  # keep me\n  resources:\n    requests:\n      storage: 1Gi\n";
    let out = fix_text(
        "c.yaml",
        text,
        &Options {
            unsafe_fixes: true,
            ..Options::default()
        },
    );
    assert_eq!(out.applied.len(), 1);
    assert!(
        out.output
            .contains("accessModes: [ReadWriteOnce]  # keep me\n"),
        "{}",
        out.output
    );
}
