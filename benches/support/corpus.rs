//! The inputs the benchmarks share (included with `#[path]` by benches/engine.rs and
//! benches/icount.rs, so both measure the same stream).

/// Every real manifest of tests/corpus (`.yaml`, in name order) in one multi-document stream.
pub fn corpus_stream() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.sort();
    let mut out = String::new();
    for p in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        if let Ok(t) = std::fs::read_to_string(p) {
            out.push_str("---\n");
            out.push_str(&t);
            if !t.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}
