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
    let segs: Vec<&str> = path.rsplitn(4, '/').collect();
    // segs: [field, map, parent, ...] from the end
    match segs.as_slice() {
        [_, map, parent, ..]
            if (*map == "requests" || *map == "limits") && *parent == "resources" =>
        {
            true
        }
        [_, map, ..] if *map == "overhead" => true,
        [field, ..] if *field == "sizeLimit" => true,
        _ => false,
    }
}
