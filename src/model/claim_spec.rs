//! What the API server rejects in a claim spec (`ValidatePersistentVolumeClaimSpec`), shared by
//! the claim rules (CC201, CC205–CC216), which explain each fault with its fix, and by the
//! volume analysis ([`crate::model::volumes`]), which must know whether a generic ephemeral
//! volume survives pod validation (a mount of a rejected one is "Not found").
//!
//! A claim spec is checked in three places: a standalone PersistentVolumeClaim, a StatefulSet's
//! `volumeClaimTemplates[]`, and the `ephemeral.volumeClaimTemplate` of a pod volume in any pod
//! template. The checks are the same; what a fault costs differs (see the rules).

use std::collections::BTreeMap;

use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::names;
use crate::model::volumes::parse_quantity;
use crate::source::{Node, Value};

/// The access modes validation supports.
pub const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// The access mode that excludes every other.
pub const RWOP: &str = "ReadWriteOncePod";

/// The volume modes validation supports.
pub const VOLUME_MODES: &[&str] = &["Filesystem", "Block"];

/// The metadata fields a generic ephemeral volume's claim template may set
/// (`ValidateTemplateObjectMeta`: everything else "cannot be set for a template").
pub const EPHEMERAL_TEMPLATE_METADATA: &[&str] = &["labels", "annotations"];

/// One fault of a claim spec, with its pointer relative to the claim template (or claim):
/// `/spec/accessModes`, or `/accessModes` for a field outside `spec`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecFault {
    pub rel: String,
    /// What is wrong, to follow "its claim template …": "has no access modes".
    pub what: String,
}

/// Indices of the entries at the top level of a claim template that are PVC *spec* fields
/// (a bare spec passed where a template is expected).
pub fn bare_spec_fields(tpl: &Node) -> Vec<usize> {
    tpl.as_map()
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(_, e)| PVC_SPEC_FIELDS.contains(&e.key.as_str()))
        .map(|(k, _)| k)
        .collect()
}

/// A data source reference as the API server holds it, remembering which submitted field it
/// came from (the API server copies one into the other).
#[derive(Clone)]
struct SourceRef {
    /// `dataSource` or `dataSourceRef`: where the values were written.
    origin: &'static str,
    api_group: Option<String>,
    kind: String,
    name: String,
}

fn source_ref(node: &Node, origin: &'static str) -> Option<SourceRef> {
    node.as_map()?;
    let s = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
    Some(SourceRef {
        origin,
        api_group: s("apiGroup"),
        kind: s("kind").unwrap_or_default(),
        name: s("name").unwrap_or_default(),
    })
}

/// The API group of VolumeSnapshots.
pub const SNAPSHOT_GROUP: &str = "snapshot.storage.k8s.io";

/// The kinds a `dataSource` may name without a `dataSourceRef` (others are dropped).
fn kept_without_ref(r: &SourceRef) -> bool {
    let group = r.api_group.as_deref().unwrap_or("");
    (group.is_empty() && r.kind == "PersistentVolumeClaim")
        || (group == SNAPSHOT_GROUP && r.kind == "VolumeSnapshot")
}

/// The faults of `dataSource` / `dataSourceRef` after the API server's own adjustments, keyed
/// by pointer relative to the spec (`/dataSource/name`); one per place.
pub fn data_source_faults(spec: &Node) -> BTreeMap<String, String> {
    source_faults(spec, true)
}

/// The faults of `dataSource` / `dataSourceRef` as written, for the claim template of a generic
/// ephemeral volume: pod validation runs `ValidatePersistentVolumeClaimSpec` on the template
/// without the claim registry's adjustments (which only run later, when the ephemeral volume
/// controller creates the claim), so a `dataSource` of another kind is not dropped but rejected.
pub fn data_source_faults_as_submitted(spec: &Node) -> BTreeMap<String, String> {
    source_faults(spec, false)
}

fn source_faults(spec: &Node, adjusted: bool) -> BTreeMap<String, String> {
    let submitted_ds = spec
        .get("dataSource")
        .and_then(|n| source_ref(n, "dataSource"));
    // A dataSourceRef with a namespace needs the CrossNamespaceVolumeDataSource feature
    // (alpha, off by default): without it the API server drops the whole dataSourceRef.
    let ref_node = spec.get("dataSourceRef");
    let cross_namespace = ref_node
        .and_then(|n| n.str_at(&["namespace"]))
        .is_some_and(|ns| !ns.is_empty());
    let submitted_ref = ref_node
        .filter(|_| !cross_namespace)
        .and_then(|n| source_ref(n, "dataSourceRef"));
    let mut ds = submitted_ds.clone();
    let mut dsr = submitted_ref.clone();
    if adjusted {
        // On create, a dataSource of another kind is dropped when no dataSourceRef says
        // otherwise.
        if dsr.is_none() && ds.as_ref().is_some_and(|d| !kept_without_ref(d)) {
            ds = None;
        }
        // Then each is copied into the other when only one is set.
        match (&ds, &dsr) {
            (Some(d), None) => dsr = Some(d.clone()),
            (None, Some(r)) => ds = Some(r.clone()),
            _ => {}
        }
    }
    let mut faults: BTreeMap<String, String> = BTreeMap::new();
    for r in [&ds, &dsr].into_iter().flatten() {
        let at = |f: &str| format!("/{}{f}", r.origin);
        let group = r.api_group.as_deref().unwrap_or("");
        if r.name.is_empty() {
            faults.entry(at("/name")).or_insert_with(|| {
                format!(
                    "`{}` has no `name`: say which object to fill the volume from",
                    r.origin
                )
            });
        }
        if r.kind.is_empty() {
            let hint = if group.is_empty() {
                " (with no `apiGroup` that is `PersistentVolumeClaim`, the only core kind allowed)"
            } else {
                ""
            };
            faults
                .entry(at("/kind"))
                .or_insert_with(|| format!("`{}` has no `kind`{hint}", r.origin));
        } else if group.is_empty() && r.kind != "PersistentVolumeClaim" {
            let hint = if r.kind == "VolumeSnapshot" {
                format!("; a VolumeSnapshot needs `apiGroup: {SNAPSHOT_GROUP}`")
            } else {
                "; other kinds need their `apiGroup`".to_string()
            };
            faults.entry(at("/kind")).or_insert_with(|| {
                format!(
                    "`{}` names `kind: {}` with no `apiGroup`, which means the core API group, where only `PersistentVolumeClaim` can be a data source{hint}",
                    r.origin, r.kind
                )
            });
        }
        if !group.is_empty() {
            if let Some(e) = names::dns1123_subdomain(group).first() {
                faults.entry(at("/apiGroup")).or_insert_with(|| {
                    format!(
                        "`{}.apiGroup: {group}` is not a valid API group ({e})",
                        r.origin
                    )
                });
            }
        }
    }
    if let (Some(d), Some(r)) = (&submitted_ds, &submitted_ref) {
        let mut differ = Vec::new();
        if d.api_group != r.api_group {
            differ.push("apiGroup");
        }
        if d.kind != r.kind {
            differ.push("kind");
        }
        if d.name != r.name {
            differ.push("name");
        }
        if !differ.is_empty() {
            faults.entry("/dataSourceRef".to_string()).or_insert_with(|| {
                format!(
                    "`dataSource` and `dataSourceRef` must name the same object, but they differ in {}{}; set only one of them",
                    differ.join(", "),
                    if differ.contains(&"apiGroup") {
                        " (an unset `apiGroup` and an empty one count as different)"
                    } else {
                        ""
                    }
                )
            });
        }
    }
    faults
}

/// Whether a storage class name is one validation accepts (empty asks for no class).
pub fn storage_class_ok(s: &str) -> bool {
    s.is_empty() || names::dns1123_subdomain(s).is_empty()
}

/// Everything `ValidatePersistentVolumeClaimSpec` rejects in the claim spec of a template
/// (`tpl` holds `spec`; PVC spec fields beside it are a bare spec), in the order the claim
/// rules report them. Values of the wrong type and quantities that do not decode are left out:
/// the object does not decode at all (CC004, CC007).
pub fn spec_faults(tpl: &Node) -> Vec<SpecFault> {
    let mut out = Vec::new();
    let fault = |rel: &str, what: String| SpecFault {
        rel: rel.to_string(),
        what,
    };
    let bare: Vec<String> = bare_spec_fields(tpl)
        .into_iter()
        .filter_map(|k| tpl.as_map().and_then(|m| m.get(k)))
        .map(|e| format!("`{}`", e.key))
        .collect();
    if let Some(first) = bare.first() {
        out.push(fault(
            "",
            format!(
                "its claim template has {} outside `spec:` (a bare PVC spec)",
                if bare.len() == 1 {
                    first.clone()
                } else {
                    bare.join(", ")
                }
            ),
        ));
    }
    let spec = match tpl.get("spec") {
        Some(s) if s.as_map().is_some() => Some(s),
        Some(s) if !s.is_null() => return out, // CC004
        _ => None,
    };
    // access modes
    match spec.and_then(|s| s.get("accessModes")).map(|n| &n.value) {
        None | Some(Value::Null) => out.push(fault(
            "/spec/accessModes",
            "its claim template has no access modes".into(),
        )),
        Some(Value::Seq(items)) if items.is_empty() => out.push(fault(
            "/spec/accessModes",
            "its claim template has no access modes".into(),
        )),
        Some(Value::Seq(items)) => {
            let modes: Vec<&str> = items
                .iter()
                .filter_map(|i| match &i.value {
                    Value::Str(s) => Some(s.as_str()),
                    Value::Null => Some(""),
                    _ => None,
                })
                .collect();
            if let Some((k, m)) = modes
                .iter()
                .enumerate()
                .find(|(_, m)| !ACCESS_MODES.contains(m))
            {
                out.push(fault(
                    &format!("/spec/accessModes/{k}"),
                    format!("its claim template has the unsupported access mode `{m}`"),
                ));
            } else if modes.contains(&RWOP) && modes.iter().any(|m| *m != RWOP) {
                out.push(fault(
                    "/spec/accessModes",
                    "its claim template combines `ReadWriteOncePod` with other access modes".into(),
                ));
            }
        }
        Some(_) => {}
    }
    // storage request
    let resources = spec.and_then(|s| s.get("resources"));
    let requests = resources
        .filter(|r| r.as_map().is_some())
        .and_then(|r| r.get("requests"));
    if resources.is_none_or(|r| r.as_map().is_some() || r.is_null())
        && requests.is_none_or(|r| r.as_map().is_some() || r.is_null())
    {
        match requests.and_then(|r| r.get("storage")) {
            None => out.push(fault(
                "/spec/resources/requests/storage",
                "its claim template requests no storage".into(),
            )),
            Some(n) => {
                let q = if n.is_null() {
                    Some(crate::model::quantity::Quantity::zero())
                } else {
                    parse_quantity(n)
                };
                if q.is_some_and(|q| q.sign() <= 0) {
                    out.push(fault(
                        "/spec/resources/requests/storage",
                        "its claim template requests no storage greater than zero".into(),
                    ));
                }
            }
        }
    }
    let Some(spec) = spec else { return out };
    if let Some(m) = spec.str_at(&["volumeMode"]) {
        if !VOLUME_MODES.contains(&m) {
            out.push(fault(
                "/spec/volumeMode",
                format!("its claim template has the unsupported volumeMode `{m}`"),
            ));
        }
    }
    if let Some(s) = spec.str_at(&["storageClassName"]) {
        if !storage_class_ok(s) {
            out.push(fault(
                "/spec/storageClassName",
                format!("its claim template's storageClassName `{s}` is not a valid name"),
            ));
        }
    }
    for (rel, what) in data_source_faults_as_submitted(spec) {
        out.push(fault(
            &format!("/spec{rel}"),
            format!("its claim template: {what}"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Node {
        crate::source::parse_stream(yaml, &crate::source::Limits::default())
            .documents
            .into_iter()
            .next()
            .map(|d| d.root)
            .expect("one document")
    }

    fn rels(yaml: &str) -> Vec<String> {
        spec_faults(&node(yaml))
            .into_iter()
            .map(|f| f.rel)
            .collect()
    }

    #[test]
    fn a_complete_spec_has_no_faults() {
        assert!(rels(
            "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}"
        )
        .is_empty());
        assert!(rels("spec: {accessModes: [ReadOnlyMany], storageClassName: '', volumeMode: Block, resources: {requests: {storage: 5}}, dataSource: {kind: PersistentVolumeClaim, name: src}}").is_empty());
    }

    #[test]
    fn the_seed_mistake_is_a_bare_spec_without_modes_or_request() {
        assert_eq!(
            rels("accessModes: [ReadWriteOnce]\nresources: {requests: {storage: 1Gi}}"),
            ["", "/spec/accessModes", "/spec/resources/requests/storage"]
        );
    }

    #[test]
    fn each_validation_fault_has_its_pointer() {
        assert_eq!(
            rels("spec: {accessModes: [RWO], resources: {requests: {storage: 1Gi}}}"),
            ["/spec/accessModes/0"]
        );
        assert_eq!(
            rels("spec: {accessModes: [ReadWriteOncePod, ReadWriteOnce], resources: {requests: {storage: 1Gi}}}"),
            ["/spec/accessModes"]
        );
        assert_eq!(
            rels("spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: -1Gi}}}"),
            ["/spec/resources/requests/storage"]
        );
        assert_eq!(
            rels("spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeMode: block, storageClassName: Fast_SSD}"),
            ["/spec/volumeMode", "/spec/storageClassName"]
        );
        assert_eq!(
            rels("spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, dataSourceRef: {kind: VolumeSnapshot, name: s}}"),
            ["/spec/dataSourceRef/kind"]
        );
        // a quantity that does not decode is CC007's: the object never reaches validation
        assert!(rels(
            "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1 Gi}}}"
        )
        .is_empty());
    }
}
