//! Field tables shared by several rules and by `normalize`: the fields of a claim spec and
//! the paths that hold resource quantities.

/// PVC spec fields: at the top of a claim template they are CC201's business, not CC003's.
pub const PVC_SPEC_FIELDS: &[&str] = &[
    "accessModes",
    "resources",
    "storageClassName",
    "volumeMode",
    "volumeName",
    "selector",
    "dataSource",
    "dataSourceRef",
    "volumeAttributesClassName",
];

/// Whether a pointer addresses a resource quantity (requests, limits, overhead, sizeLimit).
pub fn is_quantity_path(path: &str) -> bool {
    // field, map, parent: the last segments, from the end (split by hand: this runs for
    // every string of every object)
    let mut rest = Some(path);
    let mut next = || {
        let r = rest?;
        match r.as_bytes().iter().rposition(|b| *b == b'/') {
            Some(i) => {
                rest = Some(&r[..i]);
                Some(&r[i + 1..])
            }
            None => rest.take(),
        }
    };
    let (field, map, parent) = (next(), next(), next());
    matches!(
        (field, map, parent),
        (Some(_), Some("requests" | "limits"), Some("resources"))
            | (Some(_), Some("overhead"), _)
            | (Some("sizeLimit"), _, _)
    )
}

#[cfg(test)]
mod tests {
    use super::is_quantity_path;

    /// The same answer as splitting with `rsplit`.
    #[test]
    fn quantity_paths_split_from_the_end() {
        let reference = |path: &str| {
            let mut segs = path.rsplit('/');
            matches!(
                (segs.next(), segs.next(), segs.next()),
                (Some(_), Some("requests" | "limits"), Some("resources"))
                    | (Some(_), Some("overhead"), _)
                    | (Some("sizeLimit"), _, _)
            )
        };
        for p in [
            "",
            "/",
            "sizeLimit",
            "/sizeLimit",
            "overhead/x",
            "/overhead/cpu",
            "requests/cpu",
            "resources/requests/cpu",
            "/resources/requests/cpu",
            "/spec/resources/limits/memory",
            "/spec/resources/claims",
            "/metadata/labels/requests",
            "//",
            "/a/b/c/d/e",
            "/spec/template/spec/volumes/0/emptyDir/sizeLimit",
        ] {
            assert_eq!(is_quantity_path(p), reference(p), "{p}");
        }
    }
}
