//! What every fix outcome must satisfy, shared by the fix property tests (tests/properties.rs),
//! the comment tests (tests/comments.rs) and the `fix_roundtrip` fuzz target (included with
//! `#[path]`, as tests/support/hostile_inputs.rs is): the fixed text reads with no more syntax
//! errors, its JSON Patch equals its text edits, a second fix changes nothing, and comments
//! are kept unless a fix says in its title that it deletes them. Each check returns the
//! reason it fails, for the caller to assert (`prop_assert!`, `assert!`).
#![allow(dead_code)]

use std::collections::BTreeMap;

use claimcheck::engine::{fix_text, FixOutcome, Options};
use claimcheck::source::{parse_stream, Limits};

/// Syntax errors of a text (repeated keys aside: JSON cannot hold them, YAML readers differ).
pub fn syntax_errors(text: &str) -> usize {
    parse_stream(text, &Limits::default()).errors().count()
}

/// The JSON Patch of the applied fixes, applied to the documents of `before`, gives the
/// documents of the output. Checked where `before` reads cleanly (no repeated keys either,
/// which JSON cannot hold); the output must then read cleanly and keep the documents.
pub fn patch_equals_text(before: &str, out: &FixOutcome) -> Result<(), String> {
    let old = parse_stream(before, &Limits::default());
    if !old.issues.is_empty() {
        return Ok(());
    }
    let new = parse_stream(&out.output, &Limits::default());
    if !new.issues.is_empty() {
        return Err(format!(
            "the fixed text does not read: {:?}\n{}",
            new.issues, out.output
        ));
    }
    if old.documents.len() != new.documents.len() {
        return Err(format!(
            "{} documents became {}:\n{}",
            old.documents.len(),
            new.documents.len(),
            out.output
        ));
    }
    let mut docs: BTreeMap<usize, serde_json::Value> = old
        .documents
        .iter()
        .map(|d| (d.index, d.root.to_json()))
        .collect();
    for (doc, ops) in &out.patches {
        if let Some(v) = docs.get_mut(doc) {
            claimcheck::patch::apply(v, ops)
                .map_err(|e| format!("the patch does not apply ({e}): {ops:?}"))?;
        }
    }
    for d in &new.documents {
        if docs.get(&d.index) != Some(&d.root.to_json()) {
            return Err(format!(
                "the patch differs from the text edits in document {}:\n{before}\n=>\n{}",
                d.index, out.output
            ));
        }
    }
    Ok(())
}

/// A second fix with the same options applies nothing and changes nothing.
pub fn idempotent(path: &str, out: &FixOutcome, options: &Options) -> Result<(), String> {
    let again = fix_text(path, &out.output, options);
    if again.applied.is_empty() && again.output == out.output {
        return Ok(());
    }
    Err(format!(
        "not idempotent: {:?}\n{}\n=>\n{}",
        again.applied.iter().map(|a| &a.title).collect::<Vec<_>>(),
        out.output,
        again.output
    ))
}

/// `# ...` comments starting a line or after a space (quotes not considered: only used to
/// compare before and after).
pub fn comments(text: &str) -> Vec<&str> {
    // a lone CR is a line break in YAML (as are LF and CR LF): a comment ends at either
    text.split(['\n', '\r'])
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

/// How many comments the applied fixes say (in their titles) that they delete.
pub fn declared_deletions(out: &FixOutcome) -> usize {
    out.applied
        .iter()
        .map(|a| {
            let t = &a.title;
            if t.contains("(deletes the comment") {
                1
            } else if let Some(rest) = t.split("(deletes ").nth(1) {
                rest.split(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}
