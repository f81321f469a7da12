//! Helm: findings in rendered manifests mapped back to the chart's templates, and the
//! post-renderer protocol.
//!
//! `helm template` and the stream Helm hands a post-renderer mark every document with the
//! template it came from:
//!
//! ```yaml
//! ---
//! # Source: db/templates/statefulset.yaml
//! apiVersion: apps/v1
//! ```
//!
//! [`SourceMap`] reads those comments so that a finding at line 48 of the stream is reported as
//! `db/templates/statefulset.yaml`, line 2 of the document rendered from it (line 1 is the
//! first line after the comment, which for most templates is the template's own first line).
//!
//! [`post_render`] is the whole post-renderer as a pure function: manifests in, manifests out
//! (byte for byte when nothing is fixed), the findings as text for standard error and the exit
//! status. The native binary only does the I/O.

use crate::diagnostic::Severity;
use crate::engine::{fix_text, lint, FileReport, Options, SourceFile};
use crate::output;
use crate::source::{LineIndex, PositionEncoding};

/// The prefix Helm writes before a template's path.
const SOURCE_PREFIX: &str = "# Source: ";

/// The lines of the stream rendered from one template.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    /// 0-based line of the `# Source:` comment.
    comment_line: usize,
    /// 0-based line after the last line of the segment.
    end_line: usize,
    template: String,
}

/// Where `# Source:` comments put the documents of a rendered stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

/// A position in a chart template's rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLocation<'a> {
    /// The path after `# Source: `, e.g. `db/templates/statefulset.yaml`.
    pub template: &'a str,
    /// 1-based line within the rendered document (1: the line after the comment).
    pub line: usize,
}

impl SourceMap {
    /// Reads the `# Source:` comments of `text` in one pass. A comment counts only in a
    /// document's header — after `---` (or at the start of the stream) and before the first line
    /// that is neither blank nor a comment — so text inside block scalars is never taken for one.
    pub fn scan(text: &str) -> SourceMap {
        // Most texts are not Helm output: one substring search (vectorised) and nothing else.
        if !text.contains(SOURCE_PREFIX) {
            return SourceMap::default();
        }
        let mut segments: Vec<Segment> = Vec::new();
        let mut open: Option<Segment> = None;
        let mut header = true;
        let mut count = 0;
        for (i, raw) in text.split('\n').enumerate() {
            count = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let marker = line
                .strip_prefix("---")
                .or_else(|| line.strip_prefix("..."));
            if let Some(rest) = marker {
                if rest.is_empty() || rest.starts_with([' ', '\t']) {
                    if let Some(mut s) = open.take() {
                        s.end_line = i;
                        segments.push(s);
                    }
                    let rest = rest.trim();
                    header = rest.is_empty() || rest.starts_with('#');
                    continue;
                }
            }
            if !header {
                continue;
            }
            if let Some(path) = line.strip_prefix(SOURCE_PREFIX) {
                let path = path.trim();
                if !path.is_empty() {
                    if let Some(mut s) = open.take() {
                        s.end_line = i;
                        segments.push(s);
                    }
                    open = Some(Segment {
                        comment_line: i,
                        end_line: i,
                        template: path.to_string(),
                    });
                }
            } else if !(line.trim().is_empty() || line.trim_start().starts_with('#')) {
                header = false;
            }
        }
        if let Some(mut s) = open.take() {
            s.end_line = count;
            segments.push(s);
        }
        SourceMap { segments }
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The template whose rendered document holds the 0-based `line` of the stream.
    pub fn locate(&self, line: usize) -> Option<TemplateLocation<'_>> {
        let i = self
            .segments
            .partition_point(|s| s.comment_line < line)
            .checked_sub(1)?;
        let s = self.segments.get(i)?;
        (line < s.end_line).then(|| TemplateLocation {
            template: &s.template,
            line: line - s.comment_line,
        })
    }

    /// The template and position (1-based line within its document, the stream's column) of a
    /// byte offset of the stream.
    pub fn position(
        &self,
        text: &str,
        index: &LineIndex,
        offset: usize,
        encoding: PositionEncoding,
    ) -> Option<(TemplateLocation<'_>, crate::source::Position)> {
        let at = index.position(text, offset, encoding);
        let loc = self.locate(at.line.saturating_sub(1))?;
        let pos = crate::source::Position {
            line: loc.line,
            column: at.column,
        };
        Some((loc, pos))
    }
}

/// What the post-renderer does besides checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// Pass the manifests through unchanged.
    #[default]
    None,
    /// Apply the safe fixes (and the unsafe ones when the options allow them).
    Fix,
}

/// Options of [`post_render`].
#[derive(Debug, Clone, Default)]
pub struct PostRenderOptions {
    pub engine: Options,
    pub fix: FixMode,
    /// Report format on standard error: `text` (default), `json`, `sarif` or `gitlab`.
    pub format: String,
}

/// What the post-renderer writes and returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRenderOutcome {
    /// The manifests for Helm (empty when the exit status is not 0).
    pub stdout: Vec<u8>,
    /// Findings and applied fixes.
    pub stderr: String,
    /// 0: pass, 1: errors remain (Helm stops), 2: the input is not UTF-8.
    pub exit_code: u8,
}

/// The label of the rendered stream in reports (findings that carry a `# Source:` comment name
/// the template instead).
pub const STREAM_PATH: &str = "<stdin>";

/// Runs the post-renderer on the rendered manifests Helm sends on standard input.
///
/// Without fixes the output is the input, byte for byte. With [`FixMode::Fix`] the safe fixes
/// (plus unsafe ones if `engine.unsafe_fixes`) are applied as text edits, so every byte outside
/// them is kept. When an error remains, nothing is written to standard output and the exit
/// status is 1, so `helm install --post-renderer` stops before anything reaches the cluster.
pub fn post_render(input: &[u8], options: &PostRenderOptions) -> PostRenderOutcome {
    let text = match std::str::from_utf8(input) {
        Ok(t) => t,
        Err(e) => {
            return PostRenderOutcome {
                stdout: Vec::new(),
                stderr: format!(
                    "claimcheck: the rendered manifests are not UTF-8 text (invalid byte at offset {}); Kubernetes manifests must be UTF-8\n",
                    e.valid_up_to()
                ),
                exit_code: 2,
            }
        }
    };
    let mut stderr = String::new();
    let (output, report): (Option<String>, FileReport) = match options.fix {
        FixMode::None => {
            let file = SourceFile {
                path: STREAM_PATH.to_string(),
                text: text.to_string(),
            };
            let report = lint(std::slice::from_ref(&file), &options.engine)
                .pop()
                .unwrap_or_else(|| FileReport {
                    path: STREAM_PATH.to_string(),
                    diagnostics: Vec::new(),
                    line_index: LineIndex::new(text),
                });
            (None, report)
        }
        FixMode::Fix => {
            let outcome = fix_text(STREAM_PATH, text, &options.engine);
            for a in &outcome.applied {
                stderr.push_str(&format!(
                    "{STREAM_PATH}: fixed {} ({}) in document {}: {}\n",
                    a.code,
                    match a.applicability {
                        crate::Applicability::Safe => "safe",
                        crate::Applicability::Unsafe => "unsafe",
                        crate::Applicability::DisplayOnly => "display-only",
                    },
                    a.document,
                    a.title
                ));
            }
            (Some(outcome.output), outcome.remaining)
        }
    };
    let fixed_text = output.as_deref().unwrap_or(text);
    let reports = std::slice::from_ref(&report);
    let texts = [fixed_text];
    stderr.push_str(&output::render(
        &options.format,
        reports,
        &texts,
        false,
        PositionEncoding::Utf8,
    ));
    let errors = report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    if errors {
        stderr.push_str(
            "claimcheck: errors in the rendered manifests; nothing was passed on to Helm\n",
        );
        return PostRenderOutcome {
            stdout: Vec::new(),
            stderr,
            exit_code: 1,
        };
    }
    let stdout = match output {
        Some(fixed) => fixed.into_bytes(),
        None => input.to_vec(),
    };
    PostRenderOutcome {
        stdout,
        stderr,
        exit_code: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = "---\n# Source: db/templates/service.yaml\napiVersion: v1\nkind: Service\n---\n# Source: db/templates/statefulset.yaml\napiVersion: apps/v1\nkind: StatefulSet\ndata: |\n  # Source: not/a/comment.yaml\n";

    #[test]
    fn maps_lines_to_templates() {
        let m = SourceMap::scan(STREAM);
        assert_eq!(m.segments.len(), 2);
        assert_eq!(m.locate(0), None);
        assert_eq!(m.locate(1), None, "the comment line itself");
        let l = m.locate(2).unwrap();
        assert_eq!((l.template, l.line), ("db/templates/service.yaml", 1));
        assert_eq!(m.locate(4), None, "the `---` line");
        let l = m.locate(7).unwrap();
        assert_eq!((l.template, l.line), ("db/templates/statefulset.yaml", 2));
        let l = m.locate(9).unwrap();
        assert_eq!(l.template, "db/templates/statefulset.yaml");
    }

    #[test]
    fn ignores_comments_after_content_and_plain_files() {
        assert!(SourceMap::scan("apiVersion: v1\n# Source: x/templates/a.yaml\n").is_empty());
        assert!(SourceMap::scan("").is_empty());
        assert!(SourceMap::scan("# Source:    \n").is_empty());
        // the first document of `helm template` may have no `---`; CRLF line ends
        let m = SourceMap::scan("# Source: c/templates/a.yaml\r\nkind: A\r\n");
        assert_eq!(m.locate(1).unwrap().template, "c/templates/a.yaml");
    }

    #[test]
    fn non_utf8_input_is_a_usage_failure() {
        let o = post_render(b"\xff\xfe", &PostRenderOptions::default());
        assert_eq!(o.exit_code, 2);
        assert!(o.stdout.is_empty());
        assert!(o.stderr.contains("not UTF-8"));
    }
}
