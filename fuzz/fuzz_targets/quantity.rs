//! Quantity parsing against the canonical-form invariants: never a panic; whatever parses
//! (below 1E, where upstream drops the suffix) prints a canonical form that parses back to
//! the same value and is its own canonical form.
#![no_main]

use std::cmp::Ordering;

use claimcheck::model::quantity::Quantity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = claimcheck::model::quantity::suggest_fix(text).map(|s| {
        assert!(
            Quantity::parse(&s).is_ok(),
            "suggestion {s:?} for {text:?} does not parse"
        )
    });
    let Ok(q) = Quantity::parse(text) else {
        return;
    };
    let (Ok(hi), Ok(lo)) = (Quantity::parse("1E"), Quantity::parse("-1E")) else {
        return;
    };
    if q.cmp_value(&hi) != Ordering::Less || q.cmp_value(&lo) != Ordering::Greater {
        return;
    }
    for c in [q.canonical(), q.canonicalize()] {
        let back = Quantity::parse(&c);
        assert!(back.is_ok(), "{text:?} -> {c:?} does not parse");
        if let Ok(back) = back {
            assert_eq!(back.cmp_value(&q), Ordering::Equal, "{text:?} -> {c:?}");
            assert_eq!(back.canonical(), c, "canonical of {text:?} not idempotent");
            assert_eq!(back.canonicalize(), q.canonicalize(), "{text:?}");
        }
    }
});
