//! The document tree: JSON-like values that remember where they came from.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

/// A byte range in the source text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
}

/// How a node was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    Block,
    Flow,
    /// Not written at all in the source (e.g. an empty value).
    Implicit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One value of a document with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    pub style: Style,
    /// The node is a copy made by an alias (`*name`) or a merge key: its span is the anchor's.
    pub copied: bool,
    /// For a mapping with many keys: key → index of its last entry, so that looking a key up
    /// costs the same in a 200,000-key mapping as in a small one.
    keys: KeyIndex,
}

/// Mappings with more entries than this get a hashed key index.
const INDEXED_FROM: usize = 16;

/// The hashed keys of a large mapping (shared by the copies that aliases make). Equality and
/// debug output ignore it: it is derived from the entries.
#[derive(Clone, Default)]
struct KeyIndex(Option<Arc<KeyHashes>>);

impl KeyIndex {
    fn of(value: &Value) -> KeyIndex {
        match value {
            Value::Map(entries) if entries.len() > INDEXED_FROM => {
                let mut m = KeyHashes::with_capacity(entries.len());
                for (i, e) in entries.iter().enumerate() {
                    let h = m.hash(&e.key);
                    m.at.insert(h, i);
                }
                KeyIndex(Some(Arc::new(m)))
            }
            _ => KeyIndex(None),
        }
    }
}

/// Passes a `u64` that is already a hash through unchanged.
#[derive(Default, Clone, Copy)]
pub(crate) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Keys of a mapping by their hash (randomly keyed, as `HashMap`'s) → an entry index, without
/// a copy of each key: the entry holds the key, and a lookup compares it there. Two keys with
/// the same 64-bit hash are told apart by searching the entries (never in practice).
#[derive(Clone)]
pub(crate) struct KeyHashes {
    hasher: std::hash::RandomState,
    pub(crate) at: HashMap<u64, usize, std::hash::BuildHasherDefault<Prehashed>>,
}

impl KeyHashes {
    pub(crate) fn with_capacity(n: usize) -> Self {
        KeyHashes {
            hasher: std::hash::RandomState::new(),
            at: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }
    pub(crate) fn hash(&self, key: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one(key)
    }
}

impl PartialEq for KeyIndex {
    fn eq(&self, _: &KeyIndex) -> bool {
        true
    }
}

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

/// A key and its value in a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
    /// Came from a `<<` merge key rather than being written in this mapping.
    pub merged: bool,
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape_pointer_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_pointer_segment(&mut out, s);
    out
}

/// Appends `s` to a pointer being built, escaped as one segment (without the `/`).
pub fn push_pointer_segment(out: &mut String, s: &str) {
    if !s.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

pub fn unescape_pointer_segment(s: &str) -> String {
    unescape_segment(s).into_owned()
}

/// [`unescape_pointer_segment`], borrowing the segment when it has no escapes (most do not).
fn unescape_segment(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('~') {
        std::borrow::Cow::Owned(s.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `a == b` for keys, inline: lengths first (most keys of a mapping differ in length), then
/// up to 16 bytes in two overlapping word loads instead of a call to `memcmp` (the rules look
/// keys up millions of times in a large input).
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    fn word8(s: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    }
    fn word4(s: &[u8], at: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    }
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

/// [`Node::entry`] in a large mapping, through its hashed keys (apart, so that the search of
/// small mappings stays a small function).
#[inline(never)]
fn indexed_entry<'e>(entries: &'e [Entry], index: &KeyHashes, key: &str) -> Option<&'e Entry> {
    let e = entries.get(*index.at.get(&index.hash(key))?)?;
    if same_key(&e.key, key) {
        Some(e)
    } else {
        // another key with the same hash
        entries.iter().rev().find(|e| same_key(&e.key, key))
    }
}

impl Node {
    pub fn new(value: Value, span: Span, style: Style) -> Self {
        let keys = match &value {
            Value::Map(_) => KeyIndex::of(&value),
            _ => KeyIndex(None),
        };
        Node::with_index(value, span, style, keys)
    }

    /// The node, with its key index worked out by the caller.
    #[inline]
    fn with_index(value: Value, span: Span, style: Style, keys: KeyIndex) -> Self {
        Node {
            value,
            span,
            style,
            copied: false,
            keys,
        }
    }

    /// [`Node::new`] for a mapping read by the builder, with the hashed keys it checked for
    /// duplicates when they index it (each key → its last entry; `None` when two keys had
    /// one hash): they are the mapping's key index.
    pub(crate) fn with_seen_keys(
        value: Value,
        span: Span,
        style: Style,
        seen: Option<KeyHashes>,
    ) -> Self {
        let keys = match (&value, seen) {
            (Value::Map(entries), Some(seen)) if entries.len() > INDEXED_FROM => {
                KeyIndex(Some(Arc::new(seen)))
            }
            _ => KeyIndex::of(&value),
        };
        Node::with_index(value, span, style, keys)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
    pub fn is_flow(&self) -> bool {
        self.style == Style::Flow
    }

    /// The value of `key` in a mapping (the last one when a key is repeated, as decoders keep).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        let entries = self.as_map()?;
        match &self.keys.0 {
            Some(index) => indexed_entry(entries, index, key),
            // small mappings (most): a search, mostly length comparisons (the rules ask each
            // volume for each of some 30 sources)
            None => entries.iter().rev().find(|e| same_key(&e.key, key)),
        }
    }

    /// Follows a path of keys; `None` when a step is missing or not a mapping.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut node = self;
        for k in keys {
            node = node.get(k)?;
        }
        Some(node)
    }

    /// The string at a path of keys.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.path(keys)?.as_str()
    }

    /// Resolves a JSON Pointer.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        if pointer.is_empty() {
            return Some(node);
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let seg = unescape_segment(raw);
            node = match &node.value {
                Value::Map(_) => node.get(&seg)?,
                Value::Seq(items) => items.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Whether byte `at` lies inside a scalar of this tree (a key or a value; aliases' copies,
    /// whose spans are their anchor's, aside). Descends through the collections holding `at`,
    /// looking at no more than 4,096 children in all (past that it answers `false`: fix titles
    /// then name a `#` inside a very large collection as a comment).
    pub fn scalar_at(&self, at: usize) -> bool {
        let inside = |s: Span| s.start <= at && at < s.end;
        // one child looked at: false once the budget is spent
        let spend = |budget: &mut usize| budget.checked_sub(1).map(|b| *budget = b).is_some();
        let mut budget = 4096usize;
        let mut node = self;
        loop {
            if node.copied {
                return false;
            }
            let mut next = None;
            match &node.value {
                Value::Seq(items) => {
                    for n in items {
                        if !spend(&mut budget) {
                            return false;
                        }
                        if !n.copied && inside(n.span) {
                            next = Some(n);
                            break;
                        }
                    }
                }
                // written entries come in source order, before any merged ones
                Value::Map(entries) => {
                    for e in entries
                        .iter()
                        .take_while(|e| !e.merged && e.key_span.start <= at)
                    {
                        if !spend(&mut budget) {
                            return false;
                        }
                        if inside(e.key_span) {
                            return true;
                        }
                        if !e.value.copied && inside(e.value.span) {
                            next = Some(&e.value);
                            break;
                        }
                    }
                }
                _ => return inside(node.span),
            }
            match next {
                Some(n) => node = n,
                None => return false,
            }
        }
    }

    /// The span to show for a pointer: the node itself when it exists; for a missing field the
    /// key of the nearest existing ancestor (or that ancestor's span when it has no key).
    pub fn locate(&self, pointer: &str) -> Span {
        let mut node = self;
        let mut best = self.span;
        if pointer.is_empty() {
            return best;
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return best;
        };
        let mut segs = rest.split('/').peekable();
        while let Some(raw) = segs.next() {
            let seg = unescape_segment(raw);
            let last = segs.peek().is_none();
            match &node.value {
                Value::Map(_) => match node.entry(&seg) {
                    Some(e) => {
                        node = &e.value;
                        best = if last {
                            // the value itself; an empty value is shown at its key
                            if e.value.span.start == e.value.span.end
                                || e.value.style == Style::Implicit
                            {
                                e.key_span
                            } else {
                                e.value.span
                            }
                        } else {
                            e.key_span
                        };
                    }
                    None => return best,
                },
                Value::Seq(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(item) => {
                        node = item;
                        best = item.span;
                    }
                    None => return best,
                },
                _ => return best,
            }
        }
        best
    }

    /// The value as JSON, as a Kubernetes decoder sees it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or(J::Null),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            // sorted once and built in one pass (a repeated key: the last one wins, as with
            // `insert`), instead of a search from the root per key
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// A short name for the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(keys: &[&str]) -> Node {
        let entries = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Entry {
                key: k.to_string(),
                key_span: Span::empty(i),
                value: Node::new(Value::Int(i as i64), Span::empty(i), Style::Plain),
                merged: false,
            })
            .collect();
        Node::new(Value::Map(entries), Span::default(), Style::Block)
    }

    #[test]
    fn large_maps_keep_the_last_of_a_repeated_key() {
        for n in [3, 40] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("k{}", n - i)).collect();
            keys.push("k2".into());
            keys.insert(1, "k2".into());
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let node = map(&refs);
            // the index finds the last entry of a key; the JSON keeps its value
            assert_eq!(node.get("k2").and_then(Node::as_i64), Some(n as i64 + 1));
            assert!(node.get("k0").is_none());
            let json = node.to_json();
            assert_eq!(json["k2"], serde_json::json!(n + 1), "{n}");
            assert_eq!(json.as_object().map(|m| m.len()), Some(n));
            let mut by_insert = serde_json::Map::new();
            for (i, k) in refs.iter().enumerate() {
                by_insert.insert(k.to_string(), serde_json::json!(i));
            }
            assert_eq!(json, serde_json::Value::Object(by_insert));
        }
    }

    #[test]
    fn pointers_with_escapes_locate_their_node() {
        let node = map(&["a/b", "c~d", "e"]);
        assert_eq!(node.pointer("/a~1b").and_then(Node::as_i64), Some(0));
        assert_eq!(node.pointer("/c~0d").and_then(Node::as_i64), Some(1));
        assert_eq!(node.locate("/c~0d/x"), Span::empty(1));
        assert_eq!(node.locate("/e"), Span::empty(2));
        let mut p = String::from("/x");
        push_pointer_segment(&mut p, "a/b~c");
        assert_eq!(p, "/xa~1b~0c");
    }

    #[test]
    fn keys_compare_as_strings() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "abd",
            "xbc",
            "kind",
            "spec",
            "specs",
            "metadata",
            "metadatA",
            "Metadata",
            "apiVersion",
            "apiversion",
            "storageClassName",
            "storageClassNamf",
            "storageClassNamee",
            "volumeClaimTemplates",
            "volumeClaimTemplatez",
            "é",
            "éa",
            "aé",
        ];
        for a in words {
            for b in words {
                assert_eq!(same_key(a, b), a == b, "{a:?} {b:?}");
            }
        }
        // every length up to 40, with one byte changed anywhere
        for n in 0..40 {
            let a: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert!(same_key(&a, &a.clone()));
            for i in 0..n {
                let mut b = a.clone().into_bytes();
                b[i] = b'#';
                let b = String::from_utf8(b).unwrap_or_default();
                assert!(!same_key(&a, &b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn pointer_segments_escape_and_unescape() {
        assert_eq!(escape_pointer_segment("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_pointer_segment("a~1b~0c"), "a/b~c");
        assert_eq!(unescape_pointer_segment("~01"), "~1");
    }
}
