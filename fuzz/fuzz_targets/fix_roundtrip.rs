//! Fix round trip on arbitrary text: the fixed text reads with no more errors than the
//! original; where the original reads cleanly, the JSON Patch of the fixes equals their text
//! edits, a second fix changes nothing, and every comment is kept unless a fix says in its
//! title that it deletes it.
#![no_main]

use claimcheck::engine::{fix_text, Options};
use claimcheck::source::{parse_stream, Limits};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/fix_checks.rs"]
mod fix_checks;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let out = fix_text("fuzz.yaml", text, &options);
    let before_errors = fix_checks::syntax_errors(text);
    assert!(
        fix_checks::syntax_errors(&out.output) <= before_errors,
        "fix broke the text:\n{}",
        out.output
    );
    let before = parse_stream(text, &Limits::default());
    if !before.issues.is_empty() || out.applied.is_empty() {
        return;
    }
    // the patch equals the text
    if let Err(e) = fix_checks::patch_equals_text(text, &out) {
        panic!("{e}");
    }
    // idempotent
    if let Err(e) = fix_checks::idempotent("fuzz.yaml", &out, &options) {
        panic!("{e}");
    }
    // comments kept unless a fix says it deletes them
    if fix_checks::declared_deletions(&out) == 0 {
        for c in fix_checks::comments(text) {
            assert!(
                out.output.contains(c),
                "lost comment {c:?}:\n{}",
                out.output
            );
        }
    }
});
