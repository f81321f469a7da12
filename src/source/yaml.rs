//! YAML streams read the way kubectl reads them: YAML 1.1 scalars (as in sigs.k8s.io/yaml),
//! `<<` merge keys, duplicate keys reported, and hard limits on size, depth and aliases.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::index::CharToByte;
use super::node::{push_pointer_segment, same_key, Entry, KeyHashes, Node, Span, Style, Value};

/// Bounds that keep hostile input from hanging or exhausting the host.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// How many nodes aliases (`*name`) and merge keys may copy in one input.
    pub max_alias_nodes: usize,
    /// How many bytes of keys and scalars aliases and merge keys may copy in one input: the
    /// larger of this and the input's own size (a copy costs what the text it copies costs,
    /// so a 1 MiB scalar aliased 5,000 times stops at once instead of taking 5 GB).
    pub max_alias_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 128,
            max_alias_nodes: 100_000,
            max_alias_bytes: 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParseIssueKind {
    Syntax,
    /// `key` written again in one mapping: where it was first written, and the pointer of the
    /// mapping (the repeats of a key in a mapping share one copy of each).
    DuplicateKey {
        key: Arc<str>,
        first: Span,
        mapping: Arc<str>,
    },
    TooLarge,
    TooDeep,
    AliasBudget,
    Unsupported,
}

/// A problem found while reading the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseIssue {
    pub kind: ParseIssueKind,
    /// The message of every issue but a repeated key, whose message and pointer are made
    /// when asked for ([`ParseIssue::message`], [`ParseIssue::pointer`]): a mapping may
    /// repeat a key 300,000 times, and a report shows a few of them.
    message: String,
    pub span: Span,
    /// Index of the document in the stream.
    pub document: usize,
}

impl ParseIssue {
    fn new(kind: ParseIssueKind, message: String, span: Span, document: usize) -> Self {
        ParseIssue {
            kind,
            message,
            span,
            document,
        }
    }

    /// What is wrong, in a sentence.
    pub fn message(&self) -> Cow<'_, str> {
        match &self.kind {
            ParseIssueKind::DuplicateKey { key, .. } => {
                Cow::Owned(format!("duplicate key `{key}`"))
            }
            _ => Cow::Borrowed(&self.message),
        }
    }

    /// Where in its document (a JSON Pointer, for a repeated key), else "".
    pub fn pointer(&self) -> String {
        match &self.kind {
            ParseIssueKind::DuplicateKey { key, mapping, .. } => {
                let mut p = String::with_capacity(mapping.len() + 1 + key.len());
                p.push_str(mapping);
                p.push('/');
                push_pointer_segment(&mut p, key);
                p
            }
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ParsedDocument {
    pub root: Node,
    pub span: Span,
    pub index: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedStream {
    pub documents: Vec<ParsedDocument>,
    pub issues: Vec<ParseIssue>,
}

impl ParsedStream {
    /// The reading problems that make the text unreadable: every issue except a duplicate key
    /// (the text still reads; CC002 reports it). A fix must never add one.
    pub fn errors(&self) -> impl Iterator<Item = &ParseIssue> {
        self.issues
            .iter()
            .filter(|i| !matches!(i.kind, ParseIssueKind::DuplicateKey { .. }))
    }
}

pub(super) enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Span, bool)>,
        merges: Vec<Node>,
        /// From its 17th key: the keys written in this mapping so far, hashed.
        seen: Option<Box<Seen>>,
        /// Once a key is repeated: the pointer of this mapping and the last key repeated,
        /// for the issues of the repeats to share.
        repeats: Option<(Arc<str>, Arc<str>)>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
}

/// The keys written in a large mapping being read (not merged), for the duplicate check:
/// each key → its first entry, and the later entries of repeated keys in order (with them, the
/// mapping's key index once it is read: each key → its last entry, see
/// [`Node::with_seen_keys`]).
pub(super) struct Seen {
    keys: KeyHashes,
    repeats: Vec<(u64, usize)>,
    /// Two different keys with one hash (never in practice): `keys` is then no index.
    collided: bool,
}

impl Seen {
    /// The keys of `entries`, the first entries of a mapping.
    fn of(entries: &[Entry]) -> Seen {
        let mut seen = Seen {
            keys: KeyHashes::with_capacity(32),
            repeats: Vec::new(),
            collided: false,
        };
        for (i, e) in entries.iter().enumerate() {
            let h = seen.keys.hash(&e.key);
            seen.add(h, &e.key, i, entries);
        }
        seen
    }

    /// Takes key `k` (hashed `h`) of entry `at`, the next one of `entries`: the span of its
    /// first entry when it was written before.
    fn add(&mut self, h: u64, k: &str, at: usize, entries: &[Entry]) -> Option<Span> {
        let Some(first) = self.keys.at.get(&h).and_then(|i| entries.get(*i)) else {
            self.keys.at.insert(h, at);
            return None;
        };
        if same_key(&first.key, k) {
            // (a key repeated in a row: its last entry only)
            match self.repeats.last_mut() {
                Some((last, i)) if *last == h => *i = at,
                _ => self.repeats.push((h, at)),
            }
            return Some(first.key_span);
        }
        // another key with the same hash
        self.collided = true;
        entries[..at.min(entries.len())]
            .iter()
            .find(|e| same_key(&e.key, k))
            .map(|e| e.key_span)
    }

    /// The mapping's key index (`None` when two keys had one hash).
    fn index(self) -> Option<KeyHashes> {
        let mut keys = self.keys;
        for (h, at) in self.repeats {
            keys.at.insert(h, at);
        }
        (!self.collided).then_some(keys)
    }
}

/// An anchored node with what copying it costs.
struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
}

pub(super) struct Builder<'a> {
    pub(super) text: &'a str,
    /// Character indices (saphyr-parser's positions) to bytes; made when saphyr-parser runs.
    chars: Option<CharToByte>,
    limits: Limits,
    anchors: HashMap<usize, Anchored>,
    copied_budget: usize,
    /// Bytes of keys and scalars that aliases and merge keys may still copy.
    copied_bytes_budget: usize,
    /// Bytes that the anchors' own copies may still take (anchors inside anchors copy the
    /// same text again).
    anchored_bytes_budget: usize,
    pub(super) stack: Vec<Frame>,
    /// The emptied vectors of finished frames, for the next frames to fill: a finished
    /// collection takes an exact-size copy of its items, so that a tree of many small
    /// mappings keeps no spare room (a vector grown one push at a time keeps room for 4
    /// entries at least, and up to twice what it holds), and building one costs a single
    /// allocation.
    spare_items: Vec<Vec<Node>>,
    spare_entries: Vec<Vec<Entry>>,
    issues: Vec<ParseIssue>,
    document: usize,
    documents: Vec<ParsedDocument>,
    /// The finished root of the document being read.
    root: Option<Node>,
    doc_start: usize,
    in_doc: bool,
    /// Never fall back to saphyr-parser (for tests of the fast reader): `fell_back` says that
    /// it would have.
    fast_only: bool,
    fell_back: bool,
}

/// Reads every document of a YAML (or JSON) stream.
pub fn parse_stream(text: &str, limits: &Limits) -> ParsedStream {
    if let Some(out) = too_large(text, limits) {
        return out;
    }
    let mut b = Builder::new(text, limits);
    super::fast::read(&mut b);
    b.finish()
}

/// [`parse_stream`] through saphyr-parser alone (the reference the fast reader is tested
/// against).
#[doc(hidden)]
pub fn parse_stream_reference(text: &str, limits: &Limits) -> ParsedStream {
    if let Some(out) = too_large(text, limits) {
        return out;
    }
    let mut b = Builder::new(text, limits);
    b.saphyr(0, None);
    b.finish()
}

/// [`parse_stream`] through the fast reader alone: `None` when some document of the text is
/// outside what it reads (the full reader then reads that document with saphyr-parser).
#[doc(hidden)]
pub fn parse_stream_fast(text: &str, limits: &Limits) -> Option<ParsedStream> {
    if let Some(out) = too_large(text, limits) {
        return Some(out);
    }
    let mut b = Builder::new(text, limits);
    b.fast_only = true;
    super::fast::read(&mut b);
    if b.fell_back {
        return None;
    }
    Some(b.finish())
}

fn too_large(text: &str, limits: &Limits) -> Option<ParsedStream> {
    if text.len() <= limits.max_bytes {
        return None;
    }
    let mut out = ParsedStream::default();
    out.issues.push(ParseIssue::new(
        ParseIssueKind::TooLarge,
        format!(
            "input is {} bytes, over the limit of {} bytes",
            text.len(),
            limits.max_bytes
        ),
        Span::empty(0),
        0,
    ));
    Some(out)
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &Limits) -> Self {
        Builder {
            text,
            chars: None,
            limits: *limits,
            anchors: HashMap::new(),
            copied_budget: limits.max_alias_nodes,
            copied_bytes_budget: limits.max_alias_bytes.max(text.len()),
            anchored_bytes_budget: limits.max_alias_bytes.max(text.len()).saturating_mul(4),
            stack: Vec::new(),
            spare_items: Vec::new(),
            spare_entries: Vec::new(),
            issues: Vec::new(),
            document: 0,
            documents: Vec::new(),
            root: None,
            doc_start: 0,
            in_doc: false,
            fast_only: false,
            fell_back: false,
        }
    }

    fn finish(self) -> ParsedStream {
        ParsedStream {
            documents: self.documents,
            issues: self.issues,
        }
    }

    /// The state at the start of a document, to go back to when the fast reader gives up on
    /// it: (documents, issues).
    pub(super) fn mark(&self) -> (usize, usize) {
        (self.documents.len(), self.issues.len())
    }

    /// Forgets what was read since `mark` (a document the fast reader gave up on).
    pub(super) fn rewind(&mut self, mark: (usize, usize)) {
        self.documents.truncate(mark.0);
        self.issues.truncate(mark.1);
        self.document = self.documents.len();
        self.stack.clear();
        self.root = None;
        self.in_doc = false;
        self.anchors.clear();
    }

    /// Reads the text from byte `from` (the start of the text or of a `---` line) with
    /// saphyr-parser: to the end, or (with `until`) up to the document that starts at byte
    /// `until`. Returns where the document that ended there ends (`until`), or `None` when
    /// reading stopped (a syntax error, a limit, or the end of the stream).
    pub(super) fn saphyr(&mut self, from: usize, until: Option<usize>) -> Option<usize> {
        if self.fast_only {
            self.fell_back = true;
            return None;
        }
        let text = self.text;
        let chars = self.chars.take().unwrap_or_else(|| CharToByte::new(text));
        let go_on = self.saphyr_with(&chars, from, until);
        self.chars = Some(chars);
        go_on
    }

    fn saphyr_with(
        &mut self,
        chars: &CharToByte,
        from: usize,
        until: Option<usize>,
    ) -> Option<usize> {
        let text = self.text;
        let rest = text.get(from..)?;
        let base = chars.char_of(from);
        let byte = |c: usize| chars.byte(base + c).min(text.len());
        let parser = Parser::new_from_str(rest).keep_tags(true);
        for ev in parser {
            let (event, span) = match ev {
                Ok(x) => x,
                Err(e) => {
                    let at = byte(e.marker().index());
                    let deep = e.info().contains("recursion limit");
                    let message = if deep {
                        format!(
                            "nesting deeper than {} levels; refusing to read further",
                            self.limits.max_depth
                        )
                    } else {
                        format!("YAML syntax error: {}", e.info())
                    };
                    self.issue(
                        if deep {
                            ParseIssueKind::TooDeep
                        } else {
                            ParseIssueKind::Syntax
                        },
                        message,
                        Span::new(at, next_char_end(text, at)),
                    );
                    return None;
                }
            };
            let start = byte(span.start.index());
            let end = byte(span.end.index());
            let done = matches!(event, Event::DocumentEnd) && until.is_some_and(|u| start >= u);
            if !self.event(event, start, end) {
                return None;
            }
            if done {
                return Some(start);
            }
        }
        None
    }

    /// Takes one event of the stream (with its byte span); false when reading must stop.
    pub(super) fn event(&mut self, event: Event<'a>, start: usize, end: usize) -> bool {
        let text = self.text;
        let b = self;
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                b.in_doc = true;
                b.doc_start = start;
                b.root = None;
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                if b.in_doc {
                    let node = b.root.take().unwrap_or_else(|| {
                        Node::new(Value::Null, Span::empty(start), Style::Implicit)
                    });
                    let span =
                        Span::new(b.doc_start.min(node.span.start), node.span.end.max(start));
                    b.documents.push(ParsedDocument {
                        root: node,
                        span,
                        index: b.document,
                    });
                    b.document += 1;
                }
                b.in_doc = false;
            }
            Event::Alias(id) => {
                let Some(anchored) = b.anchors.get(&id) else {
                    // an anchor of an earlier document (saphyr-parser keeps anchors from one
                    // document to the next; they do not reach past a document): said as
                    // saphyr-parser says an anchor it never saw, whichever reader read the
                    // earlier document
                    b.issue(
                        ParseIssueKind::Syntax,
                        "YAML syntax error: while parsing node, found unknown anchor".into(),
                        Span::new(start, next_char_end(text, start)),
                    );
                    return false;
                };
                let (n, bytes) = (anchored.nodes, anchored.bytes);
                if !b.charge(n, bytes, "aliases", Span::new(start, end)) {
                    return false;
                }
                let Some(mut node) = b.anchors.get(&id).map(|a| a.node.clone()) else {
                    return false;
                };
                mark_copied(&mut node);
                if !b.complete(node) {
                    return false;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                return b.scalar(value, style, anchor, tag.as_deref(), start, end, false);
            }
            Event::SequenceStart(anchor, _) => {
                if b.stack.len() >= b.limits.max_depth {
                    b.too_deep(start);
                    return false;
                }
                let flow = text.as_bytes().get(start) == Some(&b'[');
                b.stack.push(Frame::Seq {
                    items: b.spare_items.pop().unwrap_or_default(),
                    start,
                    anchor,
                    flow,
                });
            }
            Event::MappingStart(anchor, _) => {
                if b.stack.len() >= b.limits.max_depth {
                    b.too_deep(start);
                    return false;
                }
                let flow = text.as_bytes().get(start) == Some(&b'{');
                b.stack.push(Frame::Map {
                    entries: b.spare_entries.pop().unwrap_or_default(),
                    key: None,
                    merges: Vec::new(),
                    seen: None,
                    repeats: None,
                    start,
                    anchor,
                    flow,
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    items,
                    start: s,
                    anchor,
                    flow,
                }) = b.stack.pop()
                else {
                    return false;
                };
                let e = if flow {
                    flow_end(text, start, end, b']')
                } else {
                    items.last().map_or(s, |n| n.span.end)
                };
                let exact = exact(items, &mut b.spare_items);
                let node = Node::new(
                    Value::Seq(exact),
                    Span::new(s, e),
                    if flow { Style::Flow } else { Style::Block },
                );
                if anchor > 0 && !b.anchor(anchor, &node) {
                    return false;
                }
                if !b.complete(node) {
                    return false;
                }
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    entries: scratch,
                    merges,
                    seen,
                    start: s,
                    anchor,
                    flow,
                    ..
                }) = b.stack.pop()
                else {
                    return false;
                };
                let e = if flow {
                    flow_end(text, start, end, b'}')
                } else {
                    scratch
                        .last()
                        .map_or(s, |en| en.value.span.end.max(en.key_span.end))
                };
                let mut entries = exact(scratch, &mut b.spare_entries);
                let style = if flow { Style::Flow } else { Style::Block };
                let node = if merges.is_empty() {
                    // the hashed keys that found duplicates index the mapping's keys too
                    let index = seen.and_then(|s| s.index());
                    Node::with_seen_keys(Value::Map(entries), Span::new(s, e), style, index)
                } else {
                    if !b.apply_merges(&mut entries, merges) {
                        return false;
                    }
                    Node::new(Value::Map(entries), Span::new(s, e), style)
                };
                if anchor > 0 && !b.anchor(anchor, &node) {
                    return false;
                }
                if !b.complete(node) {
                    return false;
                }
            }
        }
        true
    }
}

impl<'a> Builder<'a> {
    /// A scalar event (the fast reader calls it directly, with `exact`: `start..end` is the
    /// token's span, quotes included); false when reading must stop.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scalar(
        &mut self,
        value: std::borrow::Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
        exact: bool,
    ) -> bool {
        let text = self.text;
        // A plain one-line key (most keys) is its source text: no node to resolve and
        // take apart again (`complete` keeps the same text for it).
        if let (
            Some(Frame::Map {
                key: key @ None, ..
            }),
            ScalarStyle::Plain,
            0,
            None,
        ) = (self.stack.last_mut(), style, anchor, tag)
        {
            if let Some(source) = text
                .get(start..end)
                .filter(|t| !t.is_empty() && *t != "<<" && !t.bytes().any(|c| c == b'\n'))
            {
                *key = Some((source.to_owned(), Span::new(start, end), false));
                return true;
            }
        }
        // an empty plain scalar without tag or anchor is a value not written (`a:`, `{a, b}`):
        // saphyr-parser's span for it can run over the separator to the next token
        let unwritten =
            style == ScalarStyle::Plain && value.is_empty() && anchor == 0 && tag.is_none();
        let (node_span, node_style) = if unwritten {
            (Span::empty(start), Style::Implicit)
        } else {
            self.scalar_span(start, end, style, exact)
        };
        let value = resolve_scalar(value, style, tag);
        let node = Node::new(value, node_span, node_style);
        if anchor > 0 && !self.anchor(anchor, &node) {
            return false;
        }
        // a plain `<<` key is a merge key
        if let (Some(Frame::Map { key: None, .. }), ScalarStyle::Plain) = (self.stack.last(), style)
        {
            if node.as_str() == Some("<<") {
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                    *key = Some(("<<".into(), node.span, true));
                }
                return true;
            }
        }
        self.complete(node)
    }
}

impl<'a> Builder<'a> {
    /// A quoted key of a flow mapping, read by the fast reader at its exact span: its text,
    /// as [`Builder::complete`] keeps it, without a node.
    pub(super) fn quoted_key(
        &mut self,
        value: std::borrow::Cow<'a, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Map {
                key: key @ None, ..
            }) => {
                *key = Some((owned(value), Span::new(start, end), false));
                true
            }
            _ => self.scalar(value, style, 0, None, start, end, true),
        }
    }
}

impl Builder<'_> {
    fn issue(&mut self, kind: ParseIssueKind, message: String, span: Span) {
        self.issues
            .push(ParseIssue::new(kind, message, span, self.document));
    }

    /// Remembers an anchored node for its aliases; false (with an issue) when the anchors,
    /// nested inside each other, would hold more copies than the budget allows.
    fn anchor(&mut self, id: usize, node: &Node) -> bool {
        let (nodes, bytes) = weigh(node);
        if bytes > self.anchored_bytes_budget {
            self.issue(
                ParseIssueKind::AliasBudget,
                format!(
                    "anchors nested in anchors hold more than {} bytes; refusing to read further",
                    4 * self.limits.max_alias_bytes.max(self.text.len())
                ),
                node.span,
            );
            return false;
        }
        self.anchored_bytes_budget -= bytes;
        self.anchors.insert(
            id,
            Anchored {
                node: node.clone(),
                nodes,
                bytes,
            },
        );
        true
    }

    /// Takes a copy of `nodes` nodes holding `bytes` bytes from the budgets; false (with an
    /// issue) when it does not fit.
    fn charge(&mut self, nodes: usize, bytes: usize, what: &str, span: Span) -> bool {
        if nodes > self.copied_budget {
            self.issue(
                ParseIssueKind::AliasBudget,
                format!(
                    "{what} expand to more than {} nodes; refusing to expand (possible \"billion laughs\" input)",
                    self.limits.max_alias_nodes
                ),
                span,
            );
            return false;
        }
        if bytes > self.copied_bytes_budget {
            let limit = self.limits.max_alias_bytes.max(self.text.len());
            self.issue(
                ParseIssueKind::AliasBudget,
                format!(
                    "{what} expand to more than {limit} bytes (the larger of {} bytes and the input's size); refusing to expand (possible \"billion laughs\" input)",
                    self.limits.max_alias_bytes
                ),
                span,
            );
            return false;
        }
        self.copied_budget -= nodes;
        self.copied_bytes_budget -= bytes;
        true
    }

    fn too_deep(&mut self, at: usize) {
        let msg = format!(
            "nesting deeper than {} levels; refusing to read further",
            self.limits.max_depth
        );
        self.issue(
            ParseIssueKind::TooDeep,
            msg,
            Span::new(at, next_char_end(self.text, at)),
        );
    }

    /// The exact span of a scalar token (the scanner's end can run past a closing quote;
    /// `exact`: `start..end` is the token's span).
    fn scalar_span(
        &self,
        start: usize,
        end: usize,
        style: ScalarStyle,
        exact: bool,
    ) -> (Span, Style) {
        match style {
            ScalarStyle::DoubleQuoted if exact => {
                return (Span::new(start, end), Style::DoubleQuoted)
            }
            ScalarStyle::SingleQuoted if exact => {
                return (Span::new(start, end), Style::SingleQuoted)
            }
            ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {}
            ScalarStyle::Plain => {
                return if start == end {
                    (Span::empty(start), Style::Implicit)
                } else {
                    (Span::new(start, end), Style::Plain)
                }
            }
            ScalarStyle::Literal => return (Span::new(start, end), Style::Literal),
            ScalarStyle::Folded => return (Span::new(start, end), Style::Folded),
        }
        let bytes = self.text.as_bytes();
        let q = if style == ScalarStyle::DoubleQuoted {
            b'"'
        } else {
            b'\''
        };
        let mut i = start;
        while i < bytes.len() && bytes[i] != q {
            i += 1;
        }
        let open = i;
        i += 1;
        while i < bytes.len() {
            let c = bytes[i];
            if q == b'"' && c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        let close = (i + 1).min(bytes.len());
        let st = if style == ScalarStyle::DoubleQuoted {
            Style::DoubleQuoted
        } else {
            Style::SingleQuoted
        };
        (Span::new(open.min(close), close), st)
    }

    /// Hands a finished node to its parent; false when reading must stop.
    fn complete(&mut self, node: Node) -> bool {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                true
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                true
            }
            Some(Frame::Map {
                entries,
                key,
                merges,
                seen,
                ..
            }) => match key.take() {
                None => {
                    let (span, style) = (node.span, node.style);
                    let text = match node.value {
                        Value::Str(s) => s,
                        Value::Null => "null".into(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => super::float::display(f),
                        Value::Seq(_) | Value::Map(_) => {
                            self.issue(
                                ParseIssueKind::Unsupported,
                                "a mapping key must be a scalar; complex keys cannot be converted to JSON".into(),
                                span,
                            );
                            return false;
                        }
                    };
                    // Keys keep their source text for plain scalars (`on:` stays "on"),
                    // unless a tag or anchor comes first (`!!str on:`, `&a name:`): the span
                    // holds it, and the tag decides the text.
                    let text = match style {
                        Style::Plain => match self.text.get(span.start..span.end) {
                            Some(source)
                                if !same_key(source, &text)
                                    && !source.starts_with(['!', '&'])
                                    && !source.bytes().any(|c| c == b'\n') =>
                            {
                                source.to_string()
                            }
                            _ => text,
                        },
                        _ => text,
                    };
                    *key = Some((text, span, false));
                    true
                }
                Some((k, _, true)) => {
                    let _ = k;
                    merges.push(node);
                    true
                }
                Some((k, key_span, false)) => {
                    // small mappings (most of them) are searched; large ones hashed
                    let first = match seen {
                        None if entries.len() < 16 => entries
                            .iter()
                            .find(|e| same_key(&e.key, &k))
                            .map(|e| e.key_span),
                        _ => {
                            let seen = seen.get_or_insert_with(|| Box::new(Seen::of(entries)));
                            let h = seen.keys.hash(&k);
                            seen.add(h, &k, entries.len(), entries)
                        }
                    };
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: node,
                        merged: false,
                    });
                    if let Some(first) = first {
                        self.repeated(first, key_span);
                    }
                    true
                }
            },
        }
    }

    /// An issue for the key just added to the mapping on top of the stack, written before at
    /// `first`. A mapping may repeat one key 300,000 times: the repeats share the mapping's
    /// pointer and one copy of the key, and the message and the pointer of each are made
    /// only when asked for.
    fn repeated(&mut self, first: Span, span: Span) {
        let mapping = match self.stack.last() {
            Some(Frame::Map {
                repeats: Some((mapping, _)),
                ..
            }) => mapping.clone(),
            _ => Arc::from(self.mapping_pointer()),
        };
        let Some(Frame::Map {
            entries, repeats, ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        let Some(k) = entries.last().map(|e| e.key.as_str()) else {
            return;
        };
        let key = match repeats {
            Some((_, last)) if same_key(last, k) => last.clone(),
            _ => Arc::from(k),
        };
        *repeats = Some((mapping.clone(), key.clone()));
        let document = self.document;
        self.issues.push(ParseIssue::new(
            ParseIssueKind::DuplicateKey {
                key,
                first,
                mapping,
            },
            String::new(),
            span,
            document,
        ));
    }

    /// JSON Pointer of the mapping on top of the stack.
    fn mapping_pointer(&self) -> String {
        use std::fmt::Write;
        let mut p = String::new();
        let n = self.stack.len();
        // every frame but the mapping on top
        for f in self.stack.iter().take(n.saturating_sub(1)) {
            match f {
                Frame::Seq { items, .. } => {
                    let _ = write!(p, "/{}", items.len());
                }
                Frame::Map {
                    key: Some((k, _, _)),
                    ..
                } => {
                    p.push('/');
                    push_pointer_segment(&mut p, k);
                }
                Frame::Map { .. } => {}
            }
        }
        p
    }

    /// `<<: *base` / `<<: [*a, *b]`: keys written in the mapping win, then earlier sources.
    fn apply_merges(&mut self, entries: &mut Vec<Entry>, merges: Vec<Node>) -> bool {
        let mut sources = Vec::new();
        for m in merges {
            match m.value {
                Value::Map(_) => sources.push(m),
                Value::Seq(items) => {
                    for it in items {
                        if matches!(it.value, Value::Map(_)) {
                            sources.push(it);
                        } else {
                            self.issue(
                                ParseIssueKind::Syntax,
                                "merge key `<<` needs a mapping or a list of mappings".into(),
                                it.span,
                            );
                            return false;
                        }
                    }
                }
                _ => {
                    self.issue(
                        ParseIssueKind::Syntax,
                        "merge key `<<` needs a mapping or a list of mappings".into(),
                        m.span,
                    );
                    return false;
                }
            }
        }
        let mut present: HashSet<String> = entries.iter().map(|e| e.key.clone()).collect();
        for src in sources {
            if let Value::Map(src_entries) = src.value {
                for mut e in src_entries {
                    if present.contains(&e.key) {
                        continue;
                    }
                    let (n, bytes) = weigh(&e.value);
                    if !self.charge(n, bytes + e.key.len(), "merge keys", e.key_span) {
                        return false;
                    }
                    present.insert(e.key.clone());
                    e.merged = true;
                    mark_copied(&mut e.value);
                    entries.push(e);
                }
            }
        }
        true
    }
}

/// The end of a flow collection: just past its closing bracket (the scanner's end of the
/// token can run on over spaces and a comment after it).
/// The items of a finished frame in a vector of their own, of exactly their size; the frame's
/// vector goes back to `spare`, empty, for the next frame. A large collection keeps its own
/// vector instead (a copy would hold it twice at once; its spare room is mostly pages never
/// touched).
fn exact<T>(mut items: Vec<T>, spare: &mut Vec<Vec<T>>) -> Vec<T> {
    const COPY_UP_TO: usize = 64 * 1024;
    if std::mem::size_of_val(items.as_slice()) > COPY_UP_TO {
        items.shrink_to_fit();
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    out.append(&mut items);
    spare.push(items);
    out
}

fn flow_end(text: &str, start: usize, end: usize, close: u8) -> usize {
    if text.as_bytes().get(start) == Some(&close) {
        start + 1
    } else {
        end
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// How many nodes a node holds and how many bytes its keys and scalars take (each node at
/// least one byte, so that empty values count too).
fn weigh(node: &Node) -> (usize, usize) {
    let mut n = 0usize;
    let mut bytes = 0usize;
    let mut stack = vec![node];
    while let Some(x) = stack.pop() {
        n += 1;
        bytes += 1;
        match &x.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                bytes += entries.iter().map(|e| e.key.len()).sum::<usize>();
                stack.extend(entries.iter().map(|e| &e.value));
            }
            Value::Str(s) => bytes += s.len(),
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => bytes += 4,
        }
    }
    (n, bytes)
}

fn mark_copied(node: &mut Node) {
    node.copied = true;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(mark_copied),
        Value::Map(entries) => entries.iter_mut().for_each(|e| mark_copied(&mut e.value)),
        _ => {}
    }
}

/// The scalar's text as an exact-size `String`: the scanner's own when it has no spare room,
/// else a copy (it comes with room for 129 bytes, which a tree of a million keys would keep;
/// shrinking it in place would leave a hole per scalar that later scalars cannot reuse).
fn owned(text: std::borrow::Cow<'_, str>) -> String {
    match text {
        std::borrow::Cow::Owned(s) if s.capacity() == s.len() => s,
        other => other.as_ref().to_owned(),
    }
}

/// Resolves a scalar like sigs.k8s.io/yaml (go-yaml v2, YAML 1.1): `yes`/`on` are booleans,
/// `0644` is octal, `~` is null; quoted and block scalars are strings.
pub(crate) fn resolve_scalar(
    value: std::borrow::Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
) -> Value {
    if let Some(tag) = tag {
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            match tag.suffix.as_str() {
                "str" => return Value::Str(owned(value)),
                "null" => return Value::Null,
                "bool" | "int" | "float" => return resolve_plain(value),
                _ => {}
            }
        }
        return Value::Str(owned(value));
    }
    match style {
        ScalarStyle::Plain => resolve_plain(value),
        _ => Value::Str(owned(value)),
    }
}

fn resolve_plain(text: std::borrow::Cow<'_, str>) -> Value {
    let v: &str = &text;
    // Only short words starting with one of these bytes can be a null, a boolean or a
    // special float: most scalars skip the comparisons.
    let word = v.len() <= 6
        && matches!(
            v.as_bytes().first(),
            None | Some(
                b'~' | b'n'
                    | b'N'
                    | b'y'
                    | b'Y'
                    | b't'
                    | b'T'
                    | b'o'
                    | b'O'
                    | b'f'
                    | b'F'
                    | b'.'
                    | b'+'
                    | b'-'
            )
        );
    if word {
        if let Some(value) = resolve_word(v) {
            return match value {
                Some(value) => value,
                // JSON has no NaN or infinity: sigs.k8s.io/yaml fails on them; keep the text.
                None => Value::Str(owned(text)),
            };
        }
    }
    // Numbers start (after any `_`) with a sign, a digit or a point; most scalars are words.
    let first = v.bytes().find(|b| *b != b'_');
    if !matches!(first, Some(b'+' | b'-' | b'.' | b'0'..=b'9')) {
        return Value::Str(owned(text));
    }
    // and hold nothing but digits (hexadecimal ones too), `x`, signs, points and `_` (`1Gi`
    // and `10.0.0.1/8` are strings at a glance)
    if !v
        .bytes()
        .all(|c| c.is_ascii_hexdigit() || matches!(c, b'x' | b'+' | b'-' | b'.' | b'_'))
    {
        return Value::Str(owned(text));
    }
    if let Some(i) = parse_int_yaml11(v) {
        return Value::Int(i);
    }
    if is_float_yaml11(v) {
        let cleaned: String = v.chars().filter(|c| *c != '_').collect();
        if let Ok(f) = cleaned.parse::<f64>() {
            if f.is_finite() {
                return Value::Float(f);
            }
        }
    }
    Value::Str(owned(text))
}

/// The YAML 1.1 null, boolean and special-float words: `Some(Some(value))` for a null or a
/// boolean, `Some(None)` for `.nan` / `.inf` and their spellings, `None` for anything else.
fn resolve_word(v: &str) -> Option<Option<Value>> {
    Some(Some(match v {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return Some(None),
        _ => return None,
    }))
}

fn parse_int_yaml11(v: &str) -> Option<i64> {
    let (neg, body) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    if body.is_empty() {
        return None;
    }
    let digits: std::borrow::Cow<str> = if body.contains('_') {
        body.chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .into()
    } else {
        body.into()
    };
    if digits.is_empty() {
        return None;
    }
    let parsed = if let Some(h) = digits.strip_prefix("0x") {
        if h.is_empty() || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(bn) = digits.strip_prefix("0b") {
        if bn.is_empty() || !bn.chars().all(|c| c == '0' || c == '1') {
            return None;
        }
        i128::from_str_radix(bn, 2).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        let o = &digits[1..];
        if !o.chars().all(|c| ('0'..='7').contains(&c)) {
            return None;
        }
        i128::from_str_radix(o, 8).ok()?
    } else {
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse::<i128>().ok()?
    };
    let signed = if neg { -parsed } else { parsed };
    i64::try_from(signed).ok()
}

fn is_float_yaml11(v: &str) -> bool {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  (underscores allowed in digits)
    let cleaned: Vec<u8>;
    let b: &[u8] = if v.contains('_') {
        cleaned = v.bytes().filter(|c| *c != b'_').collect();
        &cleaned
    } else {
        v.as_bytes()
    };
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == fs {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedStream {
        parse_stream(text, &Limits::default())
    }

    fn json(text: &str) -> serde_json::Value {
        let s = parse(text);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        s.documents[0].root.to_json()
    }

    #[test]
    fn yaml_11_scalars_resolve_like_kubectl() {
        let v = json("a: 0644\nb: yes\nc: on\nd: ~\ne: '0644'\nf: 1.5\ng: 1e3\nh: 0x1F\ni: 1_000\nj: NO\nk: 12:30\n");
        assert_eq!(
            v,
            serde_json::json!({"a": 420, "b": true, "c": true, "d": null, "e": "0644", "f": 1.5,
                "g": 1000.0, "h": 31, "i": 1000, "j": false, "k": "12:30"})
        );
    }

    #[test]
    fn numbers_and_words_that_look_like_them() {
        let v = json("a: 1Gi\nb: -1.5e-3\nc: +12\nd: 0b101\ne: .5\nf: 1e\ng: 2024-01-01\nh: 0xfF\ni: 0XFF\nj: 1_0.2_5\nk: 1.2.3\nl: -.inf\nm: 0o17\nn: 09\n");
        assert_eq!(
            v,
            serde_json::json!({"a": "1Gi", "b": -0.0015, "c": 12, "d": 5, "e": 0.5, "f": "1e",
                "g": "2024-01-01", "h": 255, "i": "0XFF", "j": 10.25, "k": "1.2.3", "l": "-.inf",
                "m": "0o17", "n": 9.0})
        );
    }

    #[test]
    fn merge_keys_fill_in_without_overriding() {
        let v = json("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        assert_eq!(v["m"], serde_json::json!({"y": 3, "x": 1}));
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_places() {
        let s = parse("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(s.issues.len(), 1);
        let i = &s.issues[0];
        assert_eq!(i.pointer(), "/b/c");
        assert_eq!(i.span, Span::new(17, 18));
        assert!(
            matches!(&i.kind, ParseIssueKind::DuplicateKey { first, .. } if *first == Span::new(10, 11))
        );
        // the last value wins, as decoders keep it
        assert_eq!(s.documents[0].root.to_json()["b"]["c"], 2);
    }

    #[test]
    fn duplicate_keys_inside_lists_and_escaped_keys_have_their_pointers() {
        let text = "a:\n- x\n- b/c:\n    k~1: 1\n    k~1: 2\n    k~1: 3\n";
        let s = parse(text);
        let got: Vec<(String, String)> = s
            .issues
            .iter()
            .map(|i| (i.pointer(), i.message().into_owned()))
            .collect();
        let want = (
            "/a/1/b~1c/k~01".to_string(),
            "duplicate key `k~1`".to_string(),
        );
        assert_eq!(got, [want.clone(), want]);
        // the same in JSON, one line (the webhook's text)
        let s = parse(r#"{"l": [{"m": {"x": 1, "x": 2}}]}"#);
        assert_eq!(s.issues.len(), 1);
        assert_eq!(s.issues[0].pointer(), "/l/0/m/x");
        assert_eq!(s.issues[0].message(), "duplicate key `x`");
    }

    #[test]
    fn spans_point_at_tokens() {
        let text = "a: \"x y\"  # c\nb:\n  - 1\n  - {k: v}\n";
        let s = parse(text);
        let root = &s.documents[0].root;
        let a = root.get("a").map(|n| n.span).unwrap_or_default();
        assert_eq!(&text[a.start..a.end], "\"x y\"");
        let item = root.pointer("/b/1").map(|n| n.span).unwrap_or_default();
        assert_eq!(&text[item.start..item.end], "{k: v}");
        let b = root.get("b").map(|n| n.span).unwrap_or_default();
        assert_eq!(&text[b.start..b.end], "- 1\n  - {k: v}");
    }

    #[test]
    fn flow_collections_end_at_their_bracket() {
        let text = "a: []  # keep me\nb: {x: 1}  # and me\nc: {\"x\"}\n";
        let s = parse(text);
        let root = &s.documents[0].root;
        for (key, want) in [("a", "[]"), ("b", "{x: 1}"), ("c", "{\"x\"}")] {
            let span = root.get(key).map(|n| n.span).unwrap_or_default();
            assert_eq!(&text[span.start..span.end], want);
        }
        let c = root.get("c").map(|n| n.span).unwrap_or_default();
        let x = root.pointer("/c/x").map(|n| n.span).unwrap_or_default();
        assert!(x.end <= c.end, "{x:?} inside {c:?}");
    }

    #[test]
    fn big_mappings_hash_their_keys() {
        let mut text = String::new();
        for i in 0..50_000 {
            text.push_str(&format!("k{i}: {i}\n"));
        }
        text.push_str("k7: again\n");
        let s = parse(&text);
        assert_eq!(s.issues.len(), 1);
        assert_eq!(s.issues[0].pointer(), "/k7");
        let root = &s.documents[0].root;
        assert_eq!(root.get("k49999").and_then(Node::as_i64), Some(49_999));
        assert_eq!(root.get("k7").and_then(Node::as_str), Some("again"));
        assert!(root.get("k50000").is_none());
    }

    #[test]
    fn repeated_keys_of_big_mappings_index_their_last_entry() {
        // keys repeated before the mapping hashes its keys (from its 17th) and after
        let mut keys: Vec<(String, String)> = vec![("a", "0"), ("b", "1"), ("a", "2")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        keys.extend((0..30).map(|i| (format!("k{i}"), i.to_string())));
        for (k, v) in [("a", "3"), ("k5", "x"), ("b", "4"), ("a", "5")] {
            keys.push((k.into(), v.into()));
        }
        let yaml: String = "m:\n".to_string()
            + &keys
                .iter()
                .map(|(k, v)| format!("  {k}: {v}\n"))
                .collect::<String>();
        let json = format!(
            "{{\"m\": {{{}}}}}",
            keys.iter()
                .map(|(k, v)| format!("\"{k}\": \"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (text, quote) in [(yaml, ""), (json, "\"")] {
            let s = parse(&text);
            let first = |k: &str| {
                let at = text.find(&format!("{quote}{k}{quote}:")).unwrap_or(0);
                Span::new(at, at + k.len() + 2 * quote.len())
            };
            let got: Vec<(String, String, Span)> = s
                .issues
                .iter()
                .map(|i| match &i.kind {
                    ParseIssueKind::DuplicateKey { first, .. } => {
                        (i.pointer(), i.message().into_owned(), *first)
                    }
                    _ => (i.pointer(), String::new(), Span::default()),
                })
                .collect();
            let want: Vec<(String, String, Span)> = ["a", "a", "k5", "b", "a"]
                .iter()
                .map(|k| (format!("/m/{k}"), format!("duplicate key `{k}`"), first(k)))
                .collect();
            assert_eq!(got, want, "{text}");
            let m = s.documents[0].root.get("m").expect("m");
            let entries = m.as_map().unwrap_or_default();
            assert_eq!(entries.len(), keys.len());
            for e in entries {
                let last = entries.iter().rev().find(|x| x.key == e.key);
                assert_eq!(m.entry(&e.key), last, "{}", e.key);
            }
            let five = if quote.is_empty() {
                serde_json::json!(5)
            } else {
                serde_json::json!("5")
            };
            assert_eq!(m.get("a").map(Node::to_json), Some(five));
            assert!(m.get("c").is_none());
        }
    }

    #[test]
    fn big_mappings_without_repeated_keys_find_every_key() {
        // the keys hashed for duplicates become the mapping's index (17 keys: the smallest
        // mapping that has one)
        for n in [17, 40, 5_000] {
            let mut text = String::from("m:\n");
            for i in 0..n {
                text.push_str(&format!("  k{i}: {i}\n"));
            }
            text.push_str("x: 1\n");
            let s = parse(&text);
            assert!(s.issues.is_empty(), "{:?}", s.issues);
            let m = s.documents[0].root.get("m").expect("m");
            for i in 0..n {
                assert_eq!(
                    m.get(&format!("k{i}")).and_then(Node::as_i64),
                    Some(i),
                    "{n}"
                );
            }
            assert!(m.get("x").is_none());
            assert!(m.get(&format!("k{n}")).is_none());
        }
    }

    #[test]
    fn aliases_are_counted_in_bytes() {
        let big = "x".repeat(1024 * 1024);
        let mut text = format!("a: &a {big}\nl:\n");
        for _ in 0..5_000 {
            text.push_str("- *a\n");
        }
        let s = parse(&text);
        assert_eq!(s.issues.len(), 1, "{:?}", s.issues);
        assert_eq!(s.issues[0].kind, ParseIssueKind::AliasBudget);
        assert!(
            s.issues[0].message().contains("bytes"),
            "{}",
            s.issues[0].message()
        );
        // a small anchor may be aliased many times
        let mut ok = String::from("a: &a {x: 1}\nl:\n");
        for _ in 0..1_000 {
            ok.push_str("- *a\n");
        }
        assert!(parse(&ok).issues.is_empty());
    }

    #[test]
    fn nested_anchors_are_bounded() {
        // every level anchors the whole rest: the copies would take depth × size
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("{}- &a{i}\n", "  ".repeat(i)));
        }
        text.push_str(&format!("{}- {}\n", "  ".repeat(100), "y".repeat(200_000)));
        let s = parse(&text);
        assert!(
            s.issues
                .iter()
                .any(|i| i.kind == ParseIssueKind::AliasBudget),
            "{:?}",
            s.issues
        );
    }

    #[test]
    fn the_nesting_message_names_the_limit() {
        for text in ["[".repeat(300), "- ".repeat(300) + "x"] {
            let s = parse(&text);
            let deep = s.issues.iter().find(|i| i.kind == ParseIssueKind::TooDeep);
            let Some(deep) = deep else {
                panic!("no nesting issue: {:?}", s.issues)
            };
            assert!(deep.message().contains("128 levels"), "{}", deep.message());
        }
    }

    #[test]
    fn multi_document_streams_and_json() {
        let s = parse("a: 1\n---\n{\"b\": [1, \"2\"]}\n---\n");
        assert_eq!(s.documents.len(), 3);
        assert_eq!(
            s.documents[1].root.to_json(),
            serde_json::json!({"b": [1, "2"]})
        );
        assert!(s.documents[2].root.is_null());
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let mut prev = "a";
        for n in names {
            text.push_str(&format!("{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = n;
        }
        let s = parse(&text);
        assert!(s
            .issues
            .iter()
            .any(|i| i.kind == ParseIssueKind::AliasBudget));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let s = parse(&text);
        assert!(s.issues.iter().any(|i| i.kind == ParseIssueKind::TooDeep));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let s = parse("a: 1\nb: [1, 2\nc: 3\n");
        assert_eq!(s.issues.len(), 1);
        assert_eq!(s.issues[0].kind, ParseIssueKind::Syntax);
    }

    #[test]
    fn oversized_input_is_refused() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let s = parse_stream("a: 1234567890\n", &limits);
        assert_eq!(s.issues[0].kind, ParseIssueKind::TooLarge);
    }
}

#[cfg(test)]
mod capacity {
    /// Scalars and keys keep no spare room (the scanner hands them over with 129 bytes).
    #[test]
    fn strings_of_the_tree_are_exact() {
        let s = super::parse_stream(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c1\nspec:\n  accessModes: [ReadWriteOnce, 'x']\n  resources:\n    requests:\n      storage: 1Gi\n",
            &super::Limits::default(),
        );
        fn walk(n: &super::Node, out: &mut Vec<(usize, usize)>) {
            match &n.value {
                super::Value::Str(s) => out.push((s.len(), s.capacity())),
                super::Value::Seq(items) => items.iter().for_each(|i| walk(i, out)),
                super::Value::Map(es) => es.iter().for_each(|e| {
                    out.push((e.key.len(), e.key.capacity()));
                    walk(&e.value, out)
                }),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&s.documents[0].root, &mut out);
        assert_eq!(out.len(), 15);
        assert!(out.iter().all(|(len, cap)| len == cap), "{out:?}");
    }

    /// Mappings and sequences keep no spare room either (a vector grown one push at a time
    /// holds room for 4 at least): a stream of many small documents costs what it holds.
    #[test]
    fn collections_of_the_tree_are_exact() {
        let doc = "a:\n  b: {c: 1}\n  d: [x]\n  e:\n  - f: 1\n    g: [1, 2, 3, 4, 5]\n  - []\n";
        let s = super::parse_stream(
            &doc.repeat(3).replace("a:", "---\na:"),
            &super::Limits::default(),
        );
        assert_eq!(s.documents.len(), 3);
        fn walk(n: &super::Node, out: &mut Vec<(usize, usize)>) {
            match &n.value {
                super::Value::Seq(items) => {
                    out.push((items.len(), items.capacity()));
                    items.iter().for_each(|i| walk(i, out))
                }
                super::Value::Map(es) => {
                    out.push((es.len(), es.capacity()));
                    es.iter().for_each(|e| walk(&e.value, out))
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for d in &s.documents {
            walk(&d.root, &mut out);
        }
        assert_eq!(out.len(), 3 * 8, "{out:?}");
        assert!(out.iter().all(|(len, cap)| len == cap), "{out:?}");
    }
}
