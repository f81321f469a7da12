//! Byte offsets to 1-based lines and columns, in UTF-8 or UTF-16 code units.

use serde::{Deserialize, Serialize};

/// How columns are counted: UTF-8 bytes (native tools) or UTF-16 code units (editors, JS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PositionEncoding {
    #[default]
    #[serde(rename = "utf8")]
    Utf8,
    #[serde(rename = "utf16")]
    Utf16,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Line starts of a source text, for turning byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // Line breaks as YAML counts them: `\n`, `\r\n` and a lone `\r`.
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column of a byte offset; the column counts `encoding` units.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let prefix = text.get(start..offset).unwrap_or("");
        let column = match encoding {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// Converts the character indices that the YAML scanner reports into byte offsets.
#[derive(Debug, Clone, Default)]
pub(crate) struct CharToByte {
    /// For each non-ASCII character: (char index after it, byte offset after it).
    checkpoints: Vec<(usize, usize)>,
}

impl CharToByte {
    pub(crate) fn new(text: &str) -> Self {
        let mut checkpoints = Vec::new();
        if text.is_ascii() {
            return CharToByte { checkpoints };
        }
        for (ci, (bi, ch)) in text.char_indices().enumerate() {
            if !ch.is_ascii() {
                checkpoints.push((ci + 1, bi + ch.len_utf8()));
            }
        }
        CharToByte { checkpoints }
    }

    /// The character index of byte offset `byte` (a character boundary).
    pub(crate) fn char_of(&self, byte: usize) -> usize {
        let i = self.checkpoints.partition_point(|(_, b)| *b <= byte);
        if i == 0 {
            byte
        } else {
            let (c, b) = self.checkpoints[i - 1];
            c + (byte - b)
        }
    }

    pub(crate) fn byte(&self, char_index: usize) -> usize {
        let i = self.checkpoints.partition_point(|(c, _)| *c <= char_index);
        if i == 0 {
            char_index
        } else {
            let (c, b) = self.checkpoints[i - 1];
            b + (char_index - c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_both_encodings() {
        let text = "a: é😀x\nbb: 1\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            idx.position(text, x, PositionEncoding::Utf8),
            Position {
                line: 1,
                column: 10
            }
        );
        assert_eq!(
            idx.position(text, x, PositionEncoding::Utf16),
            Position { line: 1, column: 7 }
        );
        let one = text.find('1').unwrap_or(0);
        assert_eq!(
            idx.position(text, one, PositionEncoding::Utf16),
            Position { line: 2, column: 5 }
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let text = "a: 1\rb: 2\r\nc: 3\n";
        let idx = LineIndex::new(text);
        let at = |s: &str| idx.position(text, text.find(s).unwrap_or(0), PositionEncoding::Utf8);
        assert_eq!(at("b"), Position { line: 2, column: 1 });
        assert_eq!(at("c"), Position { line: 3, column: 1 });
        assert_eq!(idx.line_count(), 4);
    }

    #[test]
    fn char_indices_map_to_bytes() {
        let text = "é😀x";
        let map = CharToByte::new(text);
        assert_eq!(map.byte(0), 0);
        assert_eq!(map.byte(1), 2);
        assert_eq!(map.byte(2), 6);
        assert_eq!(map.byte(3), 7);
        for (c, b) in [(0, 0), (1, 2), (2, 6), (3, 7)] {
            assert_eq!(map.char_of(b), c);
        }
    }
}
