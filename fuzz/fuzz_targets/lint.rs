//! Lint on arbitrary bytes: never a panic; every finding's span lies inside the text, on
//! character boundaries, and turns into a position on an existing line.
#![no_main]

use claimcheck::engine::{lint_text, Options};
use claimcheck::source::PositionEncoding;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let report = lint_text("fuzz.yaml", text, &Options::default());
    for d in &report.diagnostics {
        assert!(d.span.start <= d.span.end, "{d:?}");
        assert!(d.span.end <= text.len(), "{d:?}");
        assert!(text.is_char_boundary(d.span.start), "{d:?}");
        assert!(text.is_char_boundary(d.span.end), "{d:?}");
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let p = report.line_index.position(text, d.span.start, enc);
            assert!(
                p.line >= 1 && p.line <= report.line_index.line_count(),
                "{d:?}"
            );
            assert!(p.column >= 1);
        }
    }
});
