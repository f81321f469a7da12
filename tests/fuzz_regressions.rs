//! Inputs that the fuzz targets (fuzz/) found, kept as regression tests.

use std::cmp::Ordering;

use claimcheck::model::quantity::Quantity;

/// fuzz target `quantity`, 5.8 M runs: `62.5Ki` is 64000 in binary format, which prints
/// without a suffix (`64000`, not a whole number of Ki); read back, that is a decimal
/// quantity and prints as `64k`. Upstream behaves the same, so the canonical form settles
/// after one more round rather than at once; the value never changes.
#[test]
fn a_binary_quantity_that_prints_without_suffix_settles_in_one_more_round() {
    let q = Quantity::parse("62.5Ki").unwrap_or_else(|_| Quantity::zero());
    assert_eq!(q.canonical(), "64000");
    let back = Quantity::parse("64000").unwrap_or_else(|_| Quantity::zero());
    assert_eq!(back.cmp_value(&q), Ordering::Equal);
    assert_eq!(back.canonical(), "64k");
    let again = Quantity::parse("64k").map(|q| q.canonical());
    assert_eq!(again.as_deref(), Ok("64k"));
}

/// fuzz target `fix_roundtrip` (reported in issue 9): a key without a value ending a flow
/// mapping made CC205's fix insert outside `spec` once per round; it goes inside, once.
#[test]
fn a_key_without_a_value_in_a_flow_mapping_is_fixed_once() {
    use claimcheck::engine::{fix_text, Options};
    let text = r#"{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": {"x"}}"#;
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let out = fix_text("f.json", text, &options);
    assert_eq!(out.applied.len(), 1, "{}", out.output);
    assert!(
        out.output
            .contains(r#""spec": {"x", "accessModes": ["ReadWriteOnce"]}"#),
        "{}",
        out.output
    );
    assert!(fix_text("f.json", &out.output, &options).applied.is_empty());
}
