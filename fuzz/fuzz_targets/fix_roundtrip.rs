//! Fix round trip on arbitrary text: the fixed text reads with no more errors than the
//! original; where the original reads cleanly, the JSON Patch of the fixes equals their text
//! edits, a second fix changes nothing, and every comment is kept unless a fix says in its
//! title that it deletes it.
#![no_main]

use std::collections::BTreeMap;

use claimcheck::engine::{fix_text, Options};
use claimcheck::source::{parse_stream, Limits, ParseIssueKind};
use libfuzzer_sys::fuzz_target;

fn syntax_errors(text: &str) -> usize {
    parse_stream(text, &Limits::default())
        .issues
        .iter()
        .filter(|i| !matches!(i.kind, ParseIssueKind::DuplicateKey { .. }))
        .count()
}

/// `# ...` comments starting a line or after a space (quotes not considered: only used to
/// compare before and after).
fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| {
            let at = l.find(" #").map(|i| i + 1).or_else(|| {
                l.trim_start()
                    .starts_with('#')
                    .then(|| l.len() - l.trim_start().len())
            })?;
            Some(l[at..].trim_end())
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let out = fix_text("fuzz.yaml", text, &options);
    let before_errors = syntax_errors(text);
    assert!(
        syntax_errors(&out.output) <= before_errors,
        "fix broke the text:\n{}",
        out.output
    );
    let before = parse_stream(text, &Limits::default());
    if !before.issues.is_empty() || out.applied.is_empty() {
        return;
    }
    let after = parse_stream(&out.output, &Limits::default());
    assert!(
        after.issues.is_empty(),
        "{:?}\n{}",
        after.issues,
        out.output
    );
    // the patch equals the text
    assert_eq!(before.documents.len(), after.documents.len());
    let mut docs: BTreeMap<usize, serde_json::Value> = before
        .documents
        .iter()
        .map(|d| (d.index, d.root.to_json()))
        .collect();
    for (doc, ops) in &out.patches {
        if let Some(v) = docs.get_mut(doc) {
            assert!(claimcheck::patch::apply(v, ops).is_ok(), "{ops:?}");
        }
    }
    for d in &after.documents {
        assert_eq!(
            docs.get(&d.index),
            Some(&d.root.to_json()),
            "patch differs from text:\n{}",
            out.output
        );
    }
    // idempotent
    let again = fix_text("fuzz.yaml", &out.output, &options);
    assert!(
        again.applied.is_empty() && again.output == out.output,
        "not idempotent:\n{}\n=>\n{}",
        out.output,
        again.output
    );
    // comments kept unless a fix says it deletes them
    let deletes = out.applied.iter().any(|a| a.title.contains("(deletes "));
    if !deletes {
        for c in comments(text) {
            assert!(
                out.output.contains(c),
                "lost comment {c:?}:\n{}",
                out.output
            );
        }
    }
});
