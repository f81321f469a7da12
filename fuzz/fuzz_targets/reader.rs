//! The fast reader against saphyr-parser on arbitrary text: `parse_stream` (fast, with
//! saphyr-parser for the documents it gives up on) and the fast reader alone (where it reads
//! the whole text) give exactly what saphyr-parser alone gives — documents, trees, spans,
//! styles, issues.
#![no_main]

use claimcheck::source::{parse_stream, parse_stream_fast, parse_stream_reference, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let want = format!("{:?}", parse_stream_reference(text, &limits));
    let got = format!("{:?}", parse_stream(text, &limits));
    assert_eq!(want, got, "parse_stream differs from saphyr-parser on {text:?}");
    if let Some(fast) = parse_stream_fast(text, &limits) {
        assert_eq!(want, format!("{fast:?}"), "the fast reader differs on {text:?}");
    }
});
