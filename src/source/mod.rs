//! Reading manifests: YAML (as kubectl reads it) and JSON, with a source span on every node.

mod fast;
pub mod float;
mod index;
mod node;
mod yaml;

pub use index::{LineIndex, Position, PositionEncoding};
pub use node::{
    escape_pointer_segment, push_pointer_segment, unescape_pointer_segment, Entry, Node, Span,
    Style, Value,
};
pub use yaml::{
    parse_stream, parse_stream_fast, parse_stream_reference, Limits, ParseIssue, ParseIssueKind,
    ParsedDocument, ParsedStream,
};
