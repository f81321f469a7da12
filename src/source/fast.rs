//! A fast reader for the YAML that manifests are written in, and for JSON.
//!
//! It reads one document at a time and hands the same events, with the same positions, to
//! the same tree builder as saphyr-parser does (`Builder::event`), so the trees, spans, styles,
//! duplicate keys and limits are the builder's either way. It reads block mappings and
//! sequences, single-line plain, single- and double-quoted scalars, comments, `---`
//! separators, and flow collections (on one line, or across lines when the collection is
//! the whole document, as JSON is). Anything else — anchors, aliases, tags, merge keys, block
//! scalars, multi-line scalars, `?` keys, directives, `...`, tabs, carriage returns, a syntax
//! error — makes it give up on that document, which saphyr-parser then reads from its `---`
//! (the documents before it are kept; the reader goes on fast after it). The two readers are
//! compared on every corpus file, conformance case and fixture and on generated and fuzzed
//! inputs (tests/reader_differential.rs, fuzz target `reader`).

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

use super::yaml::Builder;

/// Reads the whole stream into `b`.
pub(super) fn read<'a>(b: &mut Builder<'a>) {
    let text: &'a str = b.text;
    let bytes = text.as_bytes();
    if !readable(bytes) {
        b.saphyr(0, None);
        return;
    }
    let mut seg = 0usize;
    loop {
        let mark = b.mark();
        let mut r = Reader {
            t: bytes,
            s: text,
            b: &mut *b,
        };
        match r.document(seg) {
            Some(None) => return,
            Some(Some(next)) => seg = next,
            None => {
                b.rewind(mark);
                let until = next_document(bytes, seg + 1);
                match b.saphyr(seg, Some(until.unwrap_or(bytes.len()))) {
                    Some(at) if at > seg && at < bytes.len() => seg = at,
                    _ => return,
                }
            }
        }
    }
}

/// False for texts with what the fast reader never reads: tabs, carriage returns, control
/// characters, a byte order mark, Unicode line separators, directives (`%` starting a line:
/// their tags would reach into later documents).
fn readable(t: &[u8]) -> bool {
    // the common case first: printable ASCII and line feeds (in blocks, so that it vectorises)
    let plain = t.chunks(64).all(|c| {
        c.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
        })
    });
    if plain {
        return !memchr::memchr_iter(b'%', t).any(|i| i == 0 || t[i - 1] == b'\n');
    }
    readable_slow(t)
}

fn readable_slow(t: &[u8]) -> bool {
    let mut i = 0;
    let mut line_start = true;
    while i < t.len() {
        if line_start {
            line_start = false;
            // a comment line may hold tabs
            let mut j = i;
            while t.get(j) == Some(&b' ') {
                j += 1;
            }
            if t.get(j) == Some(&b'#') {
                let end = memchr::memchr(b'\n', &t[j..]).map_or(t.len(), |n| j + n);
                let ok = t[j..end].iter().all(|b| *b == b'\t' || *b >= 0x20)
                    && std::str::from_utf8(&t[j..end]).is_ok_and(|l| !l.chars().any(special));
                if ok {
                    i = end;
                    continue;
                }
            }
        }
        let c = t[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b'%' if i == 0 || t[i - 1] == b'\n' => return false,
            0..=0x1f | 0x7f => return false,
            0xc2 if matches!(t.get(i + 1), Some(0x80..=0x9f)) => return false,
            0xe2 if t.get(i + 1) == Some(&0x80) && matches!(t.get(i + 2), Some(0xa8 | 0xa9)) => {
                return false
            }
            0xef if t.get(i + 1) == Some(&0xbb) && t.get(i + 2) == Some(&0xbf) => return false,
            0xef if t.get(i + 1) == Some(&0xbf) && matches!(t.get(i + 2), Some(0xbe | 0xbf)) => {
                return false
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// Characters that saphyr-parser treats as line breaks or refuses inside a document.
fn special(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// The start of the first `---` line at or after `from`.
fn next_document(t: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < t.len() {
        if (i == 0 || t[i - 1] == b'\n') && marker(t, i) == Some(b'-') {
            return Some(i);
        }
        i = match memchr::memchr(b'\n', &t[i..]) {
            Some(n) => i + n + 1,
            None => return None,
        };
    }
    None
}

/// `---` or `...` at `i` (a line start) followed by a space, a line break or the end.
fn marker(t: &[u8], i: usize) -> Option<u8> {
    let c = *t.get(i)?;
    if (c == b'-' || c == b'.')
        && t.get(i + 1) == Some(&c)
        && t.get(i + 2) == Some(&c)
        && matches!(t.get(i + 3), None | Some(b' ' | b'\n'))
    {
        Some(c)
    } else {
        None
    }
}

/// What follows a node: the next line with content, a document marker, or the end.
#[derive(Clone, Copy)]
enum Next {
    /// Content at byte `pos`, column `col` (its indentation).
    Line {
        pos: usize,
        col: usize,
    },
    /// `---` at this byte.
    Start(usize),
    /// `...`: the fast reader stops.
    Stop,
    End,
}

impl Next {
    /// The column, with markers and the end below every column.
    fn col(self) -> isize {
        match self {
            Next::Line { col, .. } => col as isize,
            Next::Start(_) | Next::Stop | Next::End => -1,
        }
    }
}

type R<T> = Option<T>;

struct Reader<'a, 'b> {
    t: &'a [u8],
    s: &'a str,
    b: &'b mut Builder<'a>,
}

fn is_ws_end(c: Option<&u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\n'))
}

impl<'a> Reader<'a, '_> {
    fn emit(&mut self, e: Event<'a>, start: usize, end: usize) -> R<()> {
        self.b.event(e, start, end).then_some(())
    }

    /// `Event::Scalar(v, style, 0, None)`, handed to the builder without the event.
    fn scalar(&mut self, v: Cow<'a, str>, style: ScalarStyle, start: usize, end: usize) -> R<()> {
        self.b
            .scalar(v, style, 0, None, start, end, true)
            .then_some(())
    }

    /// One document from `seg` (the start of the text or of a `---` line); the start of the
    /// next one, or `None` at the end of the stream.
    fn document(&mut self, seg: usize) -> R<Option<usize>> {
        let t = self.t;
        let first = if seg == 0 {
            self.skip_lines(0)
        } else if marker(t, seg) == Some(b'-') {
            Next::Start(seg)
        } else {
            // saphyr-parser stopped at a `...`
            return None;
        };
        let (doc_start, content) = match first {
            Next::End => return Some(None),
            Next::Stop => return None,
            Next::Start(p) => {
                let after = self.rest_of_line(p + 3)?;
                (p, self.skip_lines(after))
            }
            Next::Line { pos, .. } => (pos, first),
        };
        self.emit(Event::DocumentStart(true), doc_start, doc_start)?;
        let after = match content {
            Next::Stop => return None,
            Next::Line { pos, col } => {
                let next = self.block_node(pos, col, -1, true)?;
                if !matches!(next, Next::Start(_) | Next::End) {
                    return None;
                }
                next
            }
            Next::Start(p) => {
                self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, p, p + 3)?;
                content
            }
            Next::End => {
                let n = t.len();
                self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, n, n)?;
                content
            }
        };
        let at = match after {
            Next::Start(p) => p,
            _ => t.len(),
        };
        self.emit(Event::DocumentEnd, at, at)?;
        Some(match after {
            Next::Start(p) => Some(p),
            _ => None,
        })
    }

    /// From a line start: the next line with content (blank and comment-only lines skipped).
    fn skip_lines(&self, mut p: usize) -> Next {
        let t = self.t;
        loop {
            if p >= t.len() {
                return Next::End;
            }
            match marker(t, p) {
                Some(b'-') => return Next::Start(p),
                Some(_) => return Next::Stop,
                None => {}
            }
            let line = p;
            while p < t.len() && t[p] == b' ' {
                p += 1;
            }
            match t.get(p) {
                None => return Next::End,
                Some(b'\n') => p += 1,
                Some(b'#') => match memchr::memchr(b'\n', &t[p..]) {
                    Some(n) => p += n + 1,
                    None => return Next::End,
                },
                Some(_) => {
                    return Next::Line {
                        pos: p,
                        col: p - line,
                    }
                }
            }
        }
    }

    /// After a token at `p`: the start of the next line when only spaces and a comment are
    /// left on this one (the end of the text at its end); `None` when more content follows.
    fn rest_of_line(&self, mut p: usize) -> R<usize> {
        let t = self.t;
        let from = p;
        while p < t.len() && t[p] == b' ' {
            p += 1;
        }
        match t.get(p) {
            None => Some(t.len()),
            Some(b'\n') => Some(p + 1),
            Some(b'#') if p > from => match memchr::memchr(b'\n', &t[p..]) {
                Some(n) => Some(p + n + 1),
                None => Some(t.len()),
            },
            _ => None,
        }
    }

    /// A block node starting at `p` (column `col`), inside a collection at column `parent`
    /// (-1 for the document). Returns what follows it.
    fn block_node(&mut self, p: usize, col: usize, parent: isize, own_line: bool) -> R<Next> {
        let t = self.t;
        match t[p] {
            b'-' if is_ws_end(t.get(p + 1)) => self.block_seq(p, col, false),
            b'|' | b'>' if !own_line && parent >= 0 => self.block_scalar(p, parent as usize),
            b'[' | b'{' => {
                let end = self.flow_node(p, parent < 0 && own_line)?;
                let line = self.rest_of_line(end)?;
                Some(self.skip_lines(line))
            }
            b'"' | b'\'' => {
                let (v, style, end) = self.quoted(p)?;
                if let Some(colon) = self.key_colon(end) {
                    return self.block_map(p, col, (v, style, end, colon));
                }
                self.scalar(v, style, p, end)?;
                let line = self.rest_of_line(end)?;
                Some(self.skip_lines(line))
            }
            _ => {
                let end = self.plain_block(p)?;
                let v = Cow::Borrowed(self.s.get(p..end)?);
                if let Some(colon) = self.key_colon(end) {
                    return self.block_map(p, col, (v, ScalarStyle::Plain, end, colon));
                }
                self.scalar(v, ScalarStyle::Plain, p, end)?;
                let line = self.rest_of_line(end)?;
                Some(self.skip_lines(line))
            }
        }
    }

    /// After a quoted key ending at `end`: the `:` that makes it a key (spaces allowed between).
    fn key_colon(&self, end: usize) -> Option<usize> {
        let t = self.t;
        let mut i = end;
        while t.get(i) == Some(&b' ') {
            i += 1;
        }
        (t.get(i) == Some(&b':') && is_ws_end(t.get(i + 1))).then_some(i)
    }

    /// A block mapping at column `col` whose first key (already scanned) starts at `p`.
    fn block_map(
        &mut self,
        p: usize,
        col: usize,
        first: (Cow<'a, str>, ScalarStyle, usize, usize),
    ) -> R<Next> {
        let t = self.t;
        self.emit(Event::MappingStart(0, None), p, p)?;
        let mut key_at = p;
        let mut key = Some(first);
        loop {
            let (k, style, end, colon) = match key.take() {
                Some(k) => k,
                None => self.map_key(key_at)?,
            };
            // saphyr-parser refuses simple keys of more than 1024 characters
            if colon - key_at > 1000 || (style == ScalarStyle::Plain && k == "<<") {
                return None;
            }
            self.scalar(k, style, key_at, end)?;
            let next = self.map_value(colon, col)?;
            match next {
                Next::Line { pos, col: c } if c == col => {
                    if t[pos] == b'-' && is_ws_end(t.get(pos + 1)) {
                        return None;
                    }
                    key_at = pos;
                }
                Next::Line { col: c, .. } if c > col => return None,
                _ => {
                    self.emit(Event::MappingEnd, p, p)?;
                    return Some(next);
                }
            }
        }
    }

    /// A key of a block mapping at `p`: (text, style, end, position of its `:`).
    fn map_key(&mut self, p: usize) -> R<(Cow<'a, str>, ScalarStyle, usize, usize)> {
        let t = self.t;
        match t[p] {
            b'"' | b'\'' => {
                let (v, style, end) = self.quoted(p)?;
                let colon = self.key_colon(end)?;
                Some((v, style, end, colon))
            }
            _ => {
                let end = self.plain_block(p)?;
                let colon = self.key_colon(end)?;
                Some((
                    Cow::Borrowed(self.s.get(p..end)?),
                    ScalarStyle::Plain,
                    end,
                    colon,
                ))
            }
        }
    }

    /// The value after the `:` at `colon` of a key in a mapping at column `col`.
    fn map_value(&mut self, colon: usize, col: usize) -> R<Next> {
        let t = self.t;
        let mut q = colon + 1;
        while t.get(q) == Some(&b' ') {
            q += 1;
        }
        let inline = match t.get(q) {
            None | Some(b'\n') => false,
            Some(b'#') => false,
            Some(_) => true,
        };
        if !inline {
            let line = self.rest_of_line(colon + 1)?;
            let next = self.skip_lines(line);
            return match next {
                Next::Line { pos, col: c } if c > col => {
                    self.block_node(pos, c, col as isize, true)
                }
                Next::Line { pos, col: c }
                    if c == col && t[pos] == b'-' && is_ws_end(t.get(pos + 1)) =>
                {
                    self.block_seq(pos, c, true)
                }
                _ => {
                    self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, colon, colon)?;
                    Some(next)
                }
            };
        }
        let end = match t[q] {
            b'|' | b'>' => return self.block_scalar(q, col),
            b'[' | b'{' => self.flow_node(q, false)?,
            b'"' | b'\'' => {
                let (v, style, end) = self.quoted(q)?;
                self.scalar(v, style, q, end)?;
                end
            }
            _ => {
                if t[q] == b'-' && is_ws_end(t.get(q + 1)) {
                    return None;
                }
                let end = self.plain_block(q)?;
                if self.key_colon(end).is_some() {
                    return None;
                }
                self.scalar(
                    Cow::Borrowed(self.s.get(q..end)?),
                    ScalarStyle::Plain,
                    q,
                    end,
                )?;
                end
            }
        };
        let line = self.rest_of_line(end)?;
        let next = self.skip_lines(line);
        if next.col() > col as isize {
            return None;
        }
        Some(next)
    }

    /// A block sequence whose first `-` is at `p` (column `col`); `indentless` when it is the
    /// value of a mapping key at the same column.
    fn block_seq(&mut self, p: usize, col: usize, indentless: bool) -> R<Next> {
        let t = self.t;
        let mut dash = p;
        let mut first = true;
        loop {
            // the entry's position: past the `-`, the spaces and a comment
            let mut q = dash + 1;
            while t.get(q) == Some(&b' ') {
                q += 1;
            }
            let inline = !matches!(t.get(q), None | Some(b'\n' | b'#'));
            let entry = if inline {
                q
            } else if t.get(q) == Some(&b'#') {
                memchr::memchr(b'\n', &t[q..]).map_or(t.len(), |n| q + n)
            } else {
                q
            };
            if first {
                if indentless && inline && t[q] == b'[' {
                    // saphyr-parser starts such a sequence at the `[` (it reads as a flow
                    // node) and ends it at the next token; left to it (a rare shape)
                    return None;
                }
                let start = if indentless { entry } else { p };
                self.emit(Event::SequenceStart(0, None), start, start)?;
                first = false;
            }
            let next = if inline {
                // a compact node: `- a: 1`, `- - x`, `- x`
                let c = col + (q - dash);
                self.block_node(q, c, col as isize, false)?
            } else {
                let line = if entry < t.len() { entry + 1 } else { entry };
                let next = self.skip_lines(line);
                match next {
                    Next::Line { pos, col: c } if c > col => {
                        self.block_node(pos, c, col as isize, true)?
                    }
                    _ => {
                        self.scalar(Cow::Borrowed(""), ScalarStyle::Plain, entry, entry)?;
                        next
                    }
                }
            };
            match next {
                Next::Line { pos, col: c } if c == col => {
                    if t[pos] == b'-' && is_ws_end(t.get(pos + 1)) {
                        dash = pos;
                        continue;
                    }
                    if !indentless {
                        return None;
                    }
                }
                Next::Line { col: c, .. } if c > col => return None,
                _ => {}
            }
            self.emit(Event::SequenceEnd, p, p)?;
            return Some(next);
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `p`, in a collection
    /// at column `parent`: its lines are those indented more than the first one's
    /// indentation, which must be more than `parent`. Gives up on indentation indicators,
    /// leading empty lines, more-indented lines of a folded scalar, and a kept (`+`) final
    /// line without a line break.
    fn block_scalar(&mut self, p: usize, parent: usize) -> R<Next> {
        let t = self.t;
        let literal = t[p] == b'|';
        let mut h = p + 1;
        let chomp = match t.get(h) {
            Some(b'-') => {
                h += 1;
                b'-'
            }
            Some(b'+') => {
                h += 1;
                b'+'
            }
            _ => b' ',
        };
        let mut line = self.rest_of_line(h)?;
        // the first line sets the indentation
        let mut m = 0;
        while t.get(line + m) == Some(&b' ') {
            m += 1;
        }
        if m <= parent || matches!(t.get(line + m), None | Some(b'\n')) {
            return None;
        }
        let start = line + m;
        let mut value = String::new();
        // empty lines since the last content line
        let mut empty = 0usize;
        let mut any = false;
        let end;
        loop {
            if line >= t.len() {
                end = t.len();
                break;
            }
            let mut i = line;
            while i < t.len() && t[i] == b' ' && i - line < m {
                i += 1;
            }
            let eol = memchr::memchr(b'\n', &t[i..]).map_or(t.len(), |n| i + n);
            // a line indented less ends the scalar (so does a document marker)
            let ends = (i < eol && i - line < m) || marker(t, line).is_some();
            if !ends && eol >= t.len() {
                // a last line without a line break: saphyr-parser's reading of it differs
                // by case; leave it to saphyr-parser
                return None;
            }
            if i == eol && !ends {
                // an empty line (up to `m` spaces)
                empty += 1;
                line = eol + 1;
                continue;
            }
            if ends {
                let mut j = line;
                while t.get(j) == Some(&b' ') {
                    j += 1;
                }
                end = j;
                break;
            }
            if !literal && t[i] == b' ' {
                return None;
            }
            let text = self.s.get(i..eol)?;
            if any {
                if literal || empty == 0 {
                    value.push(if literal { '\n' } else { ' ' });
                    if literal {
                        for _ in 0..empty {
                            value.push('\n');
                        }
                    }
                } else {
                    for _ in 0..empty {
                        value.push('\n');
                    }
                }
            }
            value.push_str(text);
            any = true;
            empty = 0;
            line = eol + 1;
        }
        match chomp {
            b'-' => {}
            b'+' => {
                value.push('\n');
                for _ in 0..empty {
                    value.push('\n');
                }
            }
            _ => value.push('\n'),
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.scalar(Cow::Owned(value), style, start, end)?;
        // what follows starts on the line that ended the scalar
        let next_line = if end >= t.len() {
            t.len()
        } else {
            let mut l = end;
            while l > 0 && t[l - 1] != b'\n' {
                l -= 1;
            }
            l
        };
        Some(self.skip_lines(next_line))
    }

    /// A single-line plain scalar in block context at `p`: its end (trailing spaces left
    /// out). Stops at `: `, ` #` and the line's end.
    fn plain_block(&self, p: usize) -> R<usize> {
        let t = self.t;
        match t[p] {
            b'-' | b':' if is_ws_end(t.get(p + 1)) => return None,
            b'?' => return None,
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => return None,
            _ => {}
        }
        let mut i = p;
        let mut end = p;
        while i < t.len() {
            match t[i] {
                b'\n' => break,
                b':' if is_ws_end(t.get(i + 1)) => break,
                b' ' => {
                    if t.get(i + 1) == Some(&b'#') {
                        break;
                    }
                }
                _ => end = i + 1,
            }
            i += 1;
        }
        // the scalar is only its text: what ends it must come right after (a `:` after
        // spaces is the key indicator of a plain key with trailing spaces, which saphyr
        // keeps out of the key too)
        Some(end)
    }

    /// A single-line quoted scalar at `p`: (value, style, end past the closing quote).
    fn quoted(&self, p: usize) -> R<(Cow<'a, str>, ScalarStyle, usize)> {
        let t = self.t;
        let q = t[p];
        let mut i = p + 1;
        if q == b'"' {
            // most: no escape, the text as it is
            let end = i + quote_end(&t[i..])?;
            if t[end] == b'"' {
                return Some((
                    Cow::Borrowed(self.s.get(i..end)?),
                    ScalarStyle::DoubleQuoted,
                    end + 1,
                ));
            }
        }
        if q == b'\'' {
            let mut owned: Option<String> = None;
            let mut run = i;
            loop {
                let off = memchr::memchr2(b'\'', b'\n', &t[i..])?;
                i += off;
                if t[i] == b'\n' {
                    return None;
                }
                if t.get(i + 1) == Some(&b'\'') {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(self.s.get(run..i + 1)?);
                    i += 2;
                    run = i;
                    continue;
                }
                let v = match owned {
                    Some(mut o) => {
                        o.push_str(self.s.get(run..i)?);
                        Cow::Owned(o)
                    }
                    None => Cow::Borrowed(self.s.get(p + 1..i)?),
                };
                return Some((v, ScalarStyle::SingleQuoted, i + 1));
            }
        }
        let mut owned: Option<String> = None;
        let mut run = i;
        loop {
            let off = quote_end(&t[i..])?;
            i += off;
            match t[i] {
                b'"' => {
                    let v = match owned {
                        Some(mut o) => {
                            o.push_str(self.s.get(run..i)?);
                            Cow::Owned(o)
                        }
                        None => Cow::Borrowed(self.s.get(p + 1..i)?),
                    };
                    return Some((v, ScalarStyle::DoubleQuoted, i + 1));
                }
                b'\\' => {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(self.s.get(run..i)?);
                    let (c, len) = escape(&t[i + 1..])?;
                    o.push(c);
                    i += 1 + len;
                    run = i;
                }
                _ => return None,
            }
        }
    }

    /// A flow collection at `p`; returns the byte after its closing bracket. Line breaks
    /// inside are read only when `lines` (a collection that is the whole document).
    fn flow_node(&mut self, p: usize, lines: bool) -> R<usize> {
        let t = self.t;
        let close = if t[p] == b'[' { b']' } else { b'}' };
        let map = close == b'}';
        self.emit(
            if map {
                Event::MappingStart(0, None)
            } else {
                Event::SequenceStart(0, None)
            },
            p,
            p + 1,
        )?;
        let mut i = self.flow_ws(p + 1, lines)?;
        if t.get(i) == Some(&close) {
            return self.flow_close(map, i);
        }
        loop {
            if map {
                // a key, `:`, a value
                let (end, plain) = self.flow_scalar(i, true)?;
                let mut j = self.flow_ws(end, lines)?;
                if t.get(j) != Some(&b':') {
                    return None;
                }
                if plain && !matches!(t.get(j + 1), Some(b' ' | b'\n')) {
                    return None;
                }
                j = self.flow_ws(j + 1, lines)?;
                if matches!(t.get(j), Some(b',' | b'}' | b']') | None) {
                    return None;
                }
                i = self.flow_item(j, lines)?;
            } else {
                i = self.flow_item(i, lines)?;
                if t.get(self.flow_ws(i, lines)?) == Some(&b':') {
                    return None;
                }
            }
            i = self.flow_ws(i, lines)?;
            match t.get(i) {
                Some(b',') => {
                    let comma = i;
                    i = self.flow_ws(i + 1, lines)?;
                    if t.get(i) == Some(&close) {
                        if map {
                            // saphyr-parser ends a mapping with a trailing comma at the comma
                            // (with the spaces after it)
                            let mut e = comma + 1;
                            while t.get(e) == Some(&b' ') {
                                e += 1;
                            }
                            self.emit(Event::MappingEnd, comma, e)?;
                            return Some(i + 1);
                        }
                        return self.flow_close(map, i);
                    }
                }
                Some(c) if *c == close => return self.flow_close(map, i),
                _ => return None,
            }
        }
    }

    fn flow_close(&mut self, map: bool, i: usize) -> R<usize> {
        let e = if map {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.emit(e, i, i + 1)?;
        Some(i + 1)
    }

    /// A node inside a flow collection at `i`; the byte after it.
    fn flow_item(&mut self, i: usize, lines: bool) -> R<usize> {
        match self.t.get(i) {
            Some(b'[' | b'{') => self.flow_node(i, lines),
            _ => Some(self.flow_scalar(i, false)?.0),
        }
    }

    /// A scalar inside a flow collection at `i` (a mapping's key when `key`): (the byte after
    /// it, plain).
    fn flow_scalar(&mut self, i: usize, key: bool) -> R<(usize, bool)> {
        let t = self.t;
        match t.get(i) {
            Some(b'"' | b'\'') => {
                let (v, style, end) = self.quoted(i)?;
                if key {
                    // (JSON's keys: no node made for them)
                    self.b.quoted_key(v, style, i, end).then_some(())?;
                } else {
                    self.scalar(v, style, i, end)?;
                }
                Some((end, false))
            }
            Some(&c) => {
                let starts = if c == b'-' {
                    t.get(i + 1).is_some_and(|b| flow_plain_byte(*b))
                } else {
                    flow_plain_byte(c)
                };
                if !starts {
                    return None;
                }
                let mut end = i + 1;
                while end < t.len() && (flow_plain_byte(t[end]) || t[end] == b'-') {
                    end += 1;
                }
                self.scalar(
                    Cow::Borrowed(self.s.get(i..end)?),
                    ScalarStyle::Plain,
                    i,
                    end,
                )?;
                Some((end, true))
            }
            None => None,
        }
    }

    /// Spaces (and line breaks when `lines`) inside a flow collection.
    fn flow_ws(&self, mut i: usize, lines: bool) -> R<usize> {
        let t = self.t;
        while let Some(&c) = t.get(i) {
            match c {
                b' ' => i += 1,
                b'\n' if lines => {
                    i += 1;
                    if marker(t, i).is_some() {
                        return None;
                    }
                }
                b'\n' | b'#' => return None,
                _ => break,
            }
        }
        Some(i)
    }
}

/// The first `"`, `\\` or line break of `t`: most strings of a manifest are short (a key, a
/// label), their first 16 bytes searched 8 at a time in a word; longer ones with `memchr3`.
#[inline]
fn quote_end(t: &[u8]) -> Option<usize> {
    // a byte of `x` that is zero: its high bit set in the result (the lowest set bit is
    // exact, which is all that is read)
    fn zero(x: u64) -> u64 {
        x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080
    }
    let mut from = 0;
    while from < 16 {
        let Some(w) = t
            .get(from..from + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        else {
            break;
        };
        let x = u64::from_le_bytes(w);
        let m = zero(x ^ 0x2222_2222_2222_2222)
            | zero(x ^ 0x5c5c_5c5c_5c5c_5c5c)
            | zero(x ^ 0x0a0a_0a0a_0a0a_0a0a);
        if m != 0 {
            return Some(from + (m.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    memchr::memchr3(b'"', b'\\', b'\n', &t[from..]).map(|n| from + n)
}

/// Bytes of the plain scalars read inside flow collections (JSON numbers and words, names).
fn flow_plain_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'+')
}

/// A double-quoted escape (the bytes after the `\`): the character and how many bytes it took.
fn escape(t: &[u8]) -> Option<(char, usize)> {
    let c = match *t.first()? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(t, 2),
        b'u' => return hex(t, 4),
        b'U' => return hex(t, 8),
        _ => return None,
    };
    Some((c, 1))
}

fn hex(t: &[u8], n: usize) -> Option<(char, usize)> {
    let digits = t.get(1..1 + n)?;
    let mut v: u32 = 0;
    for d in digits {
        v = v * 16 + (*d as char).to_digit(16)?;
    }
    Some((char::from_u32(v)?, 1 + n))
}

#[cfg(test)]
mod tests {
    use super::quote_end;

    /// The word search finds what a byte-by-byte search finds: every stop byte at every
    /// place of strings up to 40 bytes, among bytes next to the stops (borrows of the word
    /// arithmetic: 0x00, 0x01, 0x21, 0x23, 0x5b, 0x5d, 0x09, 0x0b, 0x80, 0xff).
    #[test]
    fn quote_end_agrees_with_a_byte_search() {
        let fill = [
            0x00, 0x01, 0x21, 0x23, 0x5b, 0x5d, 0x09, 0x0b, 0x80, 0xff, b'a',
        ];
        for len in 0..40 {
            for &f in &fill {
                for at in 0..=len {
                    for stop in [b'"', b'\\', b'\n'] {
                        let mut t = vec![f; len];
                        if at < len {
                            t[at] = stop;
                        }
                        let want = t.iter().position(|c| matches!(c, b'"' | b'\\' | b'\n'));
                        assert_eq!(quote_end(&t), want, "{t:?}");
                    }
                }
            }
        }
    }
}
