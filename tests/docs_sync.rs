//! `docs/rules.md` is generated from the rule registry; this test fails when it is stale.
//! `CLAIMCHECK_BLESS=1 cargo test --test docs_sync` rewrites it.

#[test]
fn rules_page_matches_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let generated = claimcheck::docs::rules_markdown();
    if std::env::var_os("CLAIMCHECK_BLESS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create docs/");
        }
        std::fs::write(&path, &generated).expect("write docs/rules.md");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/rules.md is out of date with the rule registry: run `CLAIMCHECK_BLESS=1 cargo test --test docs_sync` (or `claimcheck rules --format markdown > docs/rules.md`)"
    );
}
