//! Unit tests of the pvc family's helpers (what the rules find on whole manifests is tested
//! through the engine in tests/families/pvc.rs).

use super::access_mode_invalid::split_access_modes;
use super::access_mode_invalid::suggest_access_mode;
use super::non_canonical_quantity::binary_form;
use super::*;

#[test]
fn access_mode_suggestions() {
    assert_eq!(
        suggest_access_mode("readwriteonce"),
        Some(("ReadWriteOnce", true))
    );
    assert_eq!(
        suggest_access_mode("ReadOnlyMany "),
        Some(("ReadOnlyMany", true))
    );
    assert_eq!(suggest_access_mode("RWO"), Some(("ReadWriteOnce", false)));
    assert_eq!(suggest_access_mode("rwx"), Some(("ReadWriteMany", false)));
    assert_eq!(
        suggest_access_mode("Read-Write-Once"),
        Some(("ReadWriteOnce", false))
    );
    assert_eq!(suggest_access_mode("ReadWrite"), None);
    assert_eq!(suggest_access_mode("Foo"), None);
    assert_eq!(
        split_access_modes("ReadWriteOnce,ReadOnlyMany"),
        Some(vec!["ReadWriteOnce", "ReadOnlyMany"])
    );
    assert_eq!(split_access_modes("ReadWriteOnce,Foo"), None);
}

#[test]
fn binary_forms() {
    let q = |s: &str| Quantity::parse(s).ok();
    assert_eq!(
        q("1073741824").as_ref().and_then(binary_form).as_deref(),
        Some("1Gi")
    );
    assert_eq!(
        q("1536Mi").as_ref().and_then(binary_form).as_deref(),
        Some("1536Mi")
    );
    assert_eq!(q("1000").as_ref().and_then(binary_form), None);
    assert_eq!(q("0.5").as_ref().and_then(binary_form), None);
    assert_eq!(q("-1Gi").as_ref().and_then(binary_form), None);
}

#[test]
fn label_candidates() {
    assert_eq!(label_candidate("WWW").as_deref(), Some("www"));
    assert_eq!(label_candidate("www_data").as_deref(), Some("www-data"));
    assert_eq!(label_candidate("www.v1").as_deref(), Some("www-v1"));
    assert_eq!(label_candidate("-www").as_deref(), Some("www"));
    assert_eq!(label_candidate("www"), None);
    assert_eq!(label_candidate(&"w".repeat(64)), None);
}
