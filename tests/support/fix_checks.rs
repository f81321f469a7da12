//! What every fix outcome must satisfy, shared by the fix property tests (tests/properties.rs),
//! the comment tests (tests/comments.rs) and the `fix_roundtrip` fuzz target (included with
//! `#[path]`, as tests/support/hostile_inputs.rs is): the fixed text reads with no more syntax
//! errors, its JSON Patch equals its text edits, a second fix changes nothing, and comments
//! are kept unless a fix says in its title that it deletes them. Each check returns the
//! reason it fails, for the caller to assert (`prop_assert!`, `assert!`).
#![allow(dead_code)]

use std::collections::BTreeMap;

use claimcheck::engine::{fix_text, FixOutcome, Options};
use claimcheck::source::{parse_stream, Limits, Node, Value};

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

/// `# ...` comments starting a line or after a space or tab, to the end of their line. A `#`
/// inside a scalar as the reader reads the text (a quoted string, also one over several lines)
/// is no comment.
pub fn comments(text: &str) -> Vec<&str> {
    let scalars = scalar_spans(text);
    let inside = |at: usize| {
        // the last scalar starting before `at` (scalars do not overlap)
        let k = scalars.partition_point(|&(start, _)| start < at);
        k > 0 && at < scalars[k - 1].1
    };
    let mut out = Vec::new();
    let mut line_start = 0;
    // a lone CR is a line break in YAML (as are LF and CR LF): a comment ends at either
    for l in text.split(['\n', '\r']) {
        let b = l.as_bytes();
        let first = l
            .match_indices('#')
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || matches!(b[i - 1], b' ' | b'\t'))
            .find(|&i| !inside(line_start + i));
        if let Some(i) = first {
            out.push(l[i..].trim_end());
        }
        line_start += l.len() + 1;
    }
    out
}

/// The spans of the scalars (values and keys) of a text, sorted.
fn scalar_spans(text: &str) -> Vec<(usize, usize)> {
    fn walk(node: &Node, out: &mut Vec<(usize, usize)>) {
        if node.copied {
            return; // an alias's copy: its spans are the anchor's
        }
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|n| walk(n, out)),
            Value::Map(entries) => {
                for e in entries {
                    out.push((e.key_span.start, e.key_span.end));
                    walk(&e.value, out);
                }
            }
            _ => out.push((node.span.start, node.span.end)),
        }
    }
    let mut out = Vec::new();
    for d in parse_stream(text, &Limits::default()).documents {
        walk(&d.root, &mut out);
    }
    out.sort_unstable();
    out
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
