//! Building text edits that keep the author's layout: indentation, quoting, comments, flow or
//! block style. Each helper returns `None` when it cannot edit safely; the rule then offers no fix.

use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::patch::PatchOp;
use crate::rule::{Object, RuleMeta};

/// The token in every [`Fix`]: only [`FixBuilder`] can make one, so every fix passes its
/// rule's declaration check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Declared(());

/// Builds a rule's fix: each step adds a text edit and the same change as JSON Patch. The
/// applicability must be one the rule declares (`declare_rule!`'s `fix:`), or there is no
/// builder at all — in every build.
#[derive(Debug, Clone)]
pub struct FixBuilder {
    fix: Fix,
}

impl FixBuilder {
    /// A fix for `rule`, or `None` when the rule does not declare fixes of this applicability.
    pub fn new(
        rule: &RuleMeta,
        applicability: Applicability,
        title: impl Into<String>,
    ) -> Option<FixBuilder> {
        rule.allows(applicability).then(|| FixBuilder {
            fix: Fix {
                applicability,
                title: title.into(),
                edits: Vec::new(),
                patch: Vec::new(),
                declared: Declared(()),
            },
        })
    }

    /// Adds text edits and the JSON Patch operations that say the same (wrapping or moving a
    /// subtree, adding an entry whose text the caller rendered).
    pub fn change(
        mut self,
        edits: impl IntoIterator<Item = TextEdit>,
        patch: impl IntoIterator<Item = PatchOp>,
    ) -> FixBuilder {
        self.fix.edits.extend(edits);
        self.fix.patch.extend(patch);
        self
    }

    /// Replaces a scalar of `obj` at the object-relative pointer `rel` with a string, keeping
    /// its quoting ([`replace_string`]).
    pub fn replace_string(
        self,
        obj: &Object,
        node: &Node,
        rel: &str,
        value: &str,
    ) -> Option<FixBuilder> {
        let edit = replace_string(obj.text, node, value)?;
        Some(self.change(
            [edit],
            [PatchOp::Replace {
                path: obj.ptr(rel),
                value: serde_json::Value::String(value.to_string()),
            }],
        ))
    }

    /// Removes entry `index` of a mapping with its lines ([`remove_entry`]); `pointer` is the
    /// entry's document pointer.
    pub fn remove_entry(
        self,
        text: &str,
        map: &Node,
        index: usize,
        pointer: String,
    ) -> Option<FixBuilder> {
        let edit = remove_entry(text, map, index)?;
        Some(self.change([edit], [PatchOp::Remove { path: pointer }]))
    }

    pub fn build(self) -> Fix {
        self.fix
    }
}

/// A fix from edits and patch operations built by hand, checked against the rule's
/// declaration (see [`FixBuilder`]).
pub fn make(
    rule: &RuleMeta,
    applicability: Applicability,
    title: impl Into<String>,
    edits: Vec<TextEdit>,
    patch: Vec<PatchOp>,
) -> Option<Fix> {
    Some(
        FixBuilder::new(rule, applicability, title)?
            .change(edits, patch)
            .build(),
    )
}
use crate::source::{Entry, Node, Span, Style, Value};

/// Byte offset where the line holding `offset` starts. Searched in bytes: `offset` need not be
/// on a character boundary (one byte before a span's end may be inside a character). A lone
/// CR ends a line, as in YAML.
pub fn line_start(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    b[..offset.min(b.len())]
        .iter()
        .rposition(|&c| c == b'\n' || c == b'\r')
        .map_or(0, |i| i + 1)
}

/// Byte offset just after the line holding `offset` (past its line break — LF, CR LF or a lone
/// CR — or the end of the text). Searched in bytes, as [`line_start`].
pub fn line_end(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    let offset = offset.min(b.len());
    match b[offset..].iter().position(|&c| c == b'\n' || c == b'\r') {
        None => b.len(),
        Some(i) if b[offset + i] == b'\r' && b.get(offset + i + 1) == Some(&b'\n') => {
            offset + i + 2
        }
        Some(i) => offset + i + 1,
    }
}

/// Just past the colon that ends `entry`'s key: where the value of a `key:` with nothing
/// after it goes (the empty value's own span may sit at the colon or at the next token).
/// `None` when anything but spaces stands between the key and the colon.
pub fn after_key_colon(text: &str, entry: &Entry) -> Option<usize> {
    let key_end = entry.key_span.end;
    let colon = key_end + text.get(key_end..)?.find(':')?;
    text.get(key_end..colon)?
        .trim()
        .is_empty()
        .then_some(colon + 1)
}

/// Column (in bytes) of `offset` within its line.
pub fn column(text: &str, offset: usize) -> usize {
    offset.min(text.len()) - line_start(text, offset)
}

/// The line ending the text uses (LF, CR LF, or a lone CR).
///
/// Read from the first line break only: a fix calls this for each edit it builds, and scanning
/// the whole text each time made many fixes in one large input quadratic (500 fixes in a 2.7 MB
/// file scanned 1.3 GB).
pub fn newline(text: &str) -> &'static str {
    let b = text.as_bytes();
    match b.iter().position(|&c| c == b'\n' || c == b'\r') {
        Some(i) if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') => "\r\n",
        Some(i) if b[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// Whether a flow mapping is written as JSON (quoted keys).
pub fn is_json_style(text: &str, map: &Node) -> bool {
    map.style == Style::Flow
        && map
            .as_map()
            .and_then(|e| e.first())
            .and_then(|e| text.as_bytes().get(e.key_span.start))
            == Some(&b'"')
}

/// A string written as a YAML scalar that reads back as the same string.
pub fn yaml_string(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !matches!(
            crate::source::Node::new(plain_value(s), Span::default(), Style::Plain).value,
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Null
        );
    if plain_ok {
        s.to_string()
    } else {
        json_string(s)
    }
}

fn plain_value(s: &str) -> Value {
    crate::source::parse_stream(s, &crate::source::Limits::default())
        .documents
        .first()
        .map(|d| d.root.value.clone())
        .unwrap_or(Value::Null)
}

/// A JSON string literal (also valid YAML).
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Replaces a scalar's text with `new`, keeping its quoting style where possible.
pub fn replace_string(text: &str, node: &Node, new: &str) -> Option<TextEdit> {
    if node.copied {
        return None;
    }
    let replacement = match node.style {
        Style::DoubleQuoted => json_string(new),
        Style::SingleQuoted if !new.contains('\'') => format!("'{new}'"),
        Style::Plain | Style::SingleQuoted => yaml_string(new),
        Style::Implicit => {
            // `key:` with nothing after it: the empty value sits at the colon; write ` value`
            // after the colon (or at the spot, for an empty sequence item).
            let at = if text.as_bytes().get(node.span.start) == Some(&b':') {
                node.span.start + 1
            } else {
                node.span.start
            };
            return Some(TextEdit::insert(at, format!(" {}", yaml_string(new))));
        }
        _ => return None,
    };
    Some(TextEdit::replace(node.span, replacement))
}

/// Renames a key in place, keeping its quoting.
pub fn rename_key(text: &str, entry: &Entry, new: &str) -> Option<TextEdit> {
    if entry.merged || entry.value.copied {
        return None;
    }
    let first = text.as_bytes().get(entry.key_span.start)?;
    let replacement = match first {
        b'"' => json_string(new),
        b'\'' => format!("'{new}'"),
        _ => yaml_string(new),
    };
    Some(TextEdit::replace(entry.key_span, replacement))
}

/// Adds `key: value` (value already rendered as YAML or JSON text) at the end of a mapping.
pub fn add_entry(text: &str, map: &Node, key: &str, value_text: &str) -> Option<TextEdit> {
    if map.copied {
        return None;
    }
    let entries = map.as_map()?;
    match map.style {
        Style::Flow => {
            let json = is_json_style(text, map);
            let k = if json {
                json_string(key)
            } else {
                yaml_string(key)
            };
            let close = map.span.end.checked_sub(1)?;
            if text.as_bytes().get(close) != Some(&b'}') {
                return None;
            }
            let sep = if entries.is_empty() { "" } else { ", " };
            // insert after the last value so trailing spaces/comments stay put; a key without
            // a value (`{"x"}`) has an empty value that may sit past the brace: use the key then
            let inside = |at: usize| (map.span.start < at && at <= close).then_some(at);
            let at = match entries.last() {
                None => close,
                Some(e) => inside(e.value.span.end)
                    .filter(|_| e.value.style != Style::Implicit)
                    .or_else(|| inside(e.key_span.end))
                    .unwrap_or(close),
            };
            Some(TextEdit::insert(at, format!("{sep}{k}: {value_text}")))
        }
        Style::Block => {
            let last = entries.last()?;
            let indent = column(text, entries.first()?.key_span.start);
            let nl = newline(text);
            let end = last.value.span.end.max(last.key_span.end);
            // after the last line of the last entry
            let at = line_end(text, end.saturating_sub(1).max(last.key_span.start));
            let prefix = if at == text.len() && !text.ends_with('\n') {
                nl
            } else {
                ""
            };
            Some(TextEdit::insert(
                at,
                format!(
                    "{prefix}{}{}: {value_text}{nl}",
                    " ".repeat(indent),
                    yaml_string(key)
                ),
            ))
        }
        _ => None,
    }
}

/// Removes one entry of a mapping with the whole lines it takes (block) or its `key: value, `
/// (flow). `None` when the entry shares its line with a sequence dash or another entry.
pub fn remove_entry(text: &str, map: &Node, index: usize) -> Option<TextEdit> {
    if map.copied {
        return None;
    }
    let entries = map.as_map()?;
    let e = entries.get(index)?;
    if e.merged {
        return None;
    }
    match map.style {
        Style::Flow => {
            if entries.len() == 1 {
                return Some(TextEdit::delete(Span::new(
                    e.key_span.start,
                    e.value.span.end.max(e.key_span.end),
                )));
            }
            if let Some(next) = entries.get(index + 1) {
                Some(TextEdit::delete(Span::new(
                    e.key_span.start,
                    next.key_span.start,
                )))
            } else {
                let prev = entries.get(index.checked_sub(1)?)?;
                Some(TextEdit::delete(Span::new(
                    prev.value.span.end.max(prev.key_span.end),
                    e.value.span.end.max(e.key_span.end),
                )))
            }
        }
        Style::Block => {
            let start = line_start(text, e.key_span.start);
            let before = text.get(start..e.key_span.start)?;
            if !before.chars().all(|c| c == ' ') {
                return None; // `- key: ...` or `a: b, key:` — not a whole line
            }
            let end_of_value = e.value.span.end.max(e.key_span.end);
            let end = line_end(text, end_of_value.saturating_sub(1).max(e.key_span.start));
            Some(TextEdit::delete(Span::new(start, end)))
        }
        _ => None,
    }
}

/// A fix of `rule` that removes entry `index` of a mapping ([`remove_entry`]) together with
/// the same removal as JSON Patch at `pointer` (a document pointer). The only entry of a block
/// mapping is replaced by `{}`, so that the mapping stays one.
pub fn removal(
    rule: &RuleMeta,
    text: &str,
    map: &Node,
    index: usize,
    pointer: String,
    applicability: Applicability,
    title: impl Into<String>,
) -> Option<Fix> {
    let builder = FixBuilder::new(rule, applicability, title)?;
    if let (Style::Block, false, Some([e])) = (map.style, map.copied, map.as_map()) {
        // the only entry of a block mapping: the mapping stays, empty (without the entry's
        // line, the parent key's value would be null)
        let span = Span::new(e.key_span.start, e.value.span.end.max(e.key_span.end));
        let edit = TextEdit::replace(span, "{}");
        return (!e.merged).then(|| {
            builder
                .change([edit], [PatchOp::Remove { path: pointer }])
                .build()
        });
    }
    Some(builder.remove_entry(text, map, index, pointer)?.build())
}

/// Edits in text order (by start, then end; equal spans keep their order): the one sort of
/// edits, shared by [`apply_edits`] and the outputs (one copy of the sort code in the modules).
pub fn sort_edits(edits: &mut [&TextEdit]) {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
}

/// Applies text edits to `text`: in order of position, skipping an edit that overlaps an
/// earlier one, reaches outside the text or splits a character. Returns the new text and the
/// edits applied, each with its (clamped) span. The one implementation of applying edits:
/// the engine's fix loop, `normalize` and the hosts use it.
pub fn apply_edits<'e>(text: &str, edits: &[&'e TextEdit]) -> (String, Vec<(Span, &'e TextEdit)>) {
    let mut edits = edits.to_vec();
    sort_edits(&mut edits);
    let mut out = String::with_capacity(text.len() + 64);
    let mut applied = Vec::with_capacity(edits.len());
    let mut pos = 0;
    for e in edits {
        let (s, t) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
        if s < pos || t < s || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            continue;
        }
        out.push_str(text.get(pos..s).unwrap_or(""));
        out.push_str(&e.replacement);
        applied.push((Span::new(s, t), e));
        pos = t;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    (out, applied)
}

/// The comments (`# ...`, to the end of their line) in `text[span]`: a `#` at the start of a
/// line or after a space or tab that is not inside a scalar of `root`, the document as read
/// (quotes cannot be told from the text alone: `5'0 # x` is a plain scalar and a comment).
pub fn comments_in<'t>(text: &'t str, root: &Node, span: Span) -> Vec<&'t str> {
    let mut out = Vec::new();
    let Some(part) = text.get(span.start.min(text.len())..span.end.min(text.len())) else {
        return out;
    };
    // the byte before the span (looking no further back keeps this linear)
    let mut before = span
        .start
        .checked_sub(1)
        .and_then(|i| text.as_bytes().get(i))
        .copied();
    let mut at = span.start;
    for line in part.split_inclusive('\n') {
        let b = line.as_bytes();
        let first = line
            .match_indices('#')
            .map(|(i, _)| i)
            .filter(|&i| {
                let prev = if i == 0 {
                    before
                } else {
                    b.get(i - 1).copied()
                };
                matches!(prev, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
            })
            .find(|&i| !root.scalar_at(at + i));
        if let Some(i) = first {
            out.push(line[i..].trim_end());
        }
        before = None;
        at += line.len();
    }
    out
}

/// Says in a fix's title which comments its edits delete (comments the replacement text
/// keeps do not count).
pub fn name_dropped_comments(text: &str, root: &Node, mut fix: Fix) -> Fix {
    let mut dropped: Vec<&str> = Vec::new();
    for e in &fix.edits {
        if e.span.start == e.span.end {
            continue;
        }
        for c in comments_in(text, root, e.span) {
            if !e.replacement.contains(c) {
                dropped.push(c);
            }
        }
    }
    match dropped.as_slice() {
        [] => {}
        [one] => {
            let shown = crate::model::suggest::clip(one, 60);
            fix.title
                .push_str(&format!(" (deletes the comment `{shown}`)"));
        }
        many => fix
            .title
            .push_str(&format!(" (deletes {} comments)", many.len())),
    }
    fix
}

/// Inserts `by` spaces at the start of every non-empty line whose start lies in `from..to`.
pub fn indent_lines(text: &str, from: usize, to: usize, by: usize) -> Vec<TextEdit> {
    let pad = " ".repeat(by);
    let mut edits = Vec::new();
    let mut at = line_start(text, from);
    if at < from {
        at = line_end(text, from);
    }
    while at < to && at < text.len() {
        let end = line_end(text, at);
        let line = text.get(at..end).unwrap_or("");
        if !line.trim().is_empty() {
            edits.push(TextEdit::insert(at, pad.clone()));
        }
        if end == at {
            break;
        }
        at = end;
    }
    edits
}

/// Whether a mapping repeats a key (CC002): its JSON form then drops entries, so no fix
/// that touches it can be expressed faithfully as a JSON Patch.
pub fn has_duplicate_keys(map: &Node) -> bool {
    let entries = map.as_map().unwrap_or(&[]);
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    !entries.iter().all(|e| seen.insert(e.key.as_str()))
}

/// The source text of an entry, `key: value`.
pub fn entry_text<'t>(text: &'t str, e: &Entry) -> Option<&'t str> {
    text.get(e.key_span.start..e.value.span.end.max(e.key_span.end))
}

/// A unified diff of two texts (whole-line hunks with 3 lines of context).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // LCS table on lines (inputs are manifests: small enough for O(n*m))
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > 25_000_000 {
        return format!("--- a/{path}\n+++ b/{path}\n(file too large to diff)\n");
    }
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // edit script: (tag, line) with ' ', '-', '+'
    let mut ops: Vec<(char, &str, usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i], i, j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i], i, j));
            i += 1;
        } else {
            ops.push(('+', b[j], i, j));
            j += 1;
        }
    }
    let p = path.trim_start_matches('/');
    let mut out = format!("--- a/{p}\n+++ b/{p}\n");
    let ctx = 3;
    let mut k = 0;
    while k < ops.len() {
        if ops[k].0 == ' ' {
            k += 1;
            continue;
        }
        let start = k.saturating_sub(ctx);
        let mut end = k;
        let mut last_change = k;
        while end < ops.len() {
            if ops[end].0 != ' ' {
                last_change = end;
            } else if end - last_change > 2 * ctx {
                break;
            }
            end += 1;
        }
        let end = (last_change + ctx + 1).min(ops.len());
        let hunk = &ops[start..end];
        let old_start = hunk.first().map_or(0, |o| o.2);
        let new_start = hunk.first().map_or(0, |o| o.3);
        let old_len = hunk.iter().filter(|o| o.0 != '+').count();
        let new_len = hunk.iter().filter(|o| o.0 != '-').count();
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            old_start + 1,
            old_len,
            new_start + 1,
            new_len
        ));
        for (tag, line, _, _) in hunk {
            out.push(*tag);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        k = end;
    }
    out
}

/// A safe fix of `rule` that replaces a string differing from `to` only in letter case or
/// surrounding spaces.
pub fn case_fix(rule: &RuleMeta, obj: &Object, node: &Node, ptr: &str, to: &str) -> Option<Fix> {
    let from = node.as_str()?;
    Some(
        FixBuilder::new(
            rule,
            Applicability::Safe,
            format!("Write `{to}` instead of `{from}`"),
        )?
        .replace_string(obj, node, ptr, to)?
        .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_stream, Limits};

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        apply_edits(text, &edits.iter().collect::<Vec<_>>()).0
    }

    fn root(text: &str) -> Node {
        parse_stream(text, &Limits::default()).documents[0]
            .root
            .clone()
    }

    #[test]
    fn add_entry_block_and_flow() {
        let t = "a:\n  b: 1 # keep\nc: 2\n";
        let r = root(t);
        let a = r.get("a").cloned().unwrap_or_else(|| r.clone());
        let e = add_entry(t, &a, "x", "y").into_iter().collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "a:\n  b: 1 # keep\n  x: y\nc: 2\n");
        let t = "a: {b: 1}\n";
        let r = root(t);
        let a = r.get("a").cloned().unwrap_or_else(|| r.clone());
        let e = add_entry(t, &a, "x", "y").into_iter().collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "a: {b: 1, x: y}\n");
        let t = "{\"a\": {}}";
        let r = root(t);
        let a = r.get("a").cloned().unwrap_or_else(|| r.clone());
        let e = add_entry(t, &a, "x", "\"y\"")
            .into_iter()
            .collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "{\"a\": {x: \"y\"}}");
    }

    #[test]
    fn remove_entry_takes_whole_lines() {
        let t = "a: 1\nb:\n  - x\nc: 3\n";
        let r = root(t);
        let e = remove_entry(t, &r, 1).into_iter().collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "a: 1\nc: 3\n");
        let t = "{a: 1, b: 2, c: 3}";
        let r = root(t);
        let e = remove_entry(t, &r, 2).into_iter().collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "{a: 1, b: 2}");
    }

    #[test]
    fn empty_values_are_filled_after_the_colon() {
        let t = "a:\nb: 1\n";
        let r = root(t);
        let e = r
            .get("a")
            .and_then(|n| replace_string(t, n, "x"))
            .into_iter()
            .collect::<Vec<_>>();
        assert_eq!(apply(t, &e), "a: x\nb: 1\n");
    }

    #[test]
    fn strings_keep_their_quotes() {
        let t = "a: \"x\"\nb: 'y'\nc: z\n";
        let r = root(t);
        let mut edits = Vec::new();
        for k in ["a", "b", "c"] {
            if let Some(n) = r.get(k) {
                edits.extend(replace_string(t, n, "yes"));
            }
        }
        assert_eq!(apply(t, &edits), "a: \"yes\"\nb: 'yes'\nc: \"yes\"\n");
    }
}
