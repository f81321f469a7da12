//! CC215 invalid-data-source: A dataSource or dataSourceRef that validation rejects.

use std::collections::BTreeMap;

use super::Claim;
use crate::model::names;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks `dataSource` and `dataSourceRef` of claim specs the way the API server does after its own adjustments: a `dataSource` that is neither a PersistentVolumeClaim nor a `snapshot.storage.k8s.io` VolumeSnapshot is dropped when no `dataSourceRef` is set, then each field is copied into the other when only one is set. What remains must have a `kind` and a `name`, a `kind` of `PersistentVolumeClaim` when `apiGroup` is empty, an `apiGroup` that is a DNS subdomain, and the two must name the same object.
    ///
    /// ## Why is this bad?
    /// The API server rejects a standalone claim; for a claim template every claim creation fails. A common slip is `kind: VolumeSnapshot` in a `dataSourceRef` without `apiGroup: snapshot.storage.k8s.io`.
    ///
    /// ## Example
    /// ```yaml
    /// dataSourceRef:
    ///   kind: VolumeSnapshot
    ///   name: db-snap
    /// ```
    /// Add `apiGroup: snapshot.storage.k8s.io`.
    ///
    /// ## Fix safety
    /// No fix: the message says what is missing, but which object to clone from is yours to decide.
    pub CC215 {
        name: "invalid-data-source",
        severity: Error,
        fix: None,
        summary: "A dataSource or dataSourceRef that validation rejects",
    }
}

// ---------------------------------------------------------------------------------------------
// dataSource / dataSourceRef (CC215)

/// A data source reference as the API server holds it, remembering which submitted field it
/// came from (the API server copies one into the other).
#[derive(Clone)]
pub(super) struct SourceRef {
    /// `dataSource` or `dataSourceRef`: where the values were written.
    origin: &'static str,
    api_group: Option<String>,
    kind: String,
    name: String,
}

pub(super) fn source_ref(node: &Node, origin: &'static str) -> Option<SourceRef> {
    node.as_map()?;
    let s = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
    Some(SourceRef {
        origin,
        api_group: s("apiGroup"),
        kind: s("kind").unwrap_or_default(),
        name: s("name").unwrap_or_default(),
    })
}

pub(super) const SNAPSHOT_GROUP: &str = "snapshot.storage.k8s.io";

/// The kinds a `dataSource` may name without a `dataSourceRef` (others are dropped).
pub(super) fn kept_without_ref(r: &SourceRef) -> bool {
    let group = r.api_group.as_deref().unwrap_or("");
    (group.is_empty() && r.kind == "PersistentVolumeClaim")
        || (group == SNAPSHOT_GROUP && r.kind == "VolumeSnapshot")
}

pub(super) fn check_data_source(ctx: &mut Ctx, obj: &Object, c: &Claim, spec: &Node) {
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
    // On create, a dataSource of another kind is dropped when no dataSourceRef says otherwise.
    if dsr.is_none() && ds.as_ref().is_some_and(|d| !kept_without_ref(d)) {
        ds = None;
    }
    // Then each is copied into the other when only one is set.
    match (&ds, &dsr) {
        (Some(d), None) => dsr = Some(d.clone()),
        (None, Some(r)) => ds = Some(r.clone()),
        _ => {}
    }
    // pointer → message; one diagnostic per place even when both fields carry the fault
    let mut faults: BTreeMap<String, String> = BTreeMap::new();
    for r in [&ds, &dsr].into_iter().flatten() {
        let at = |f: &str| c.ptr(&format!("/{}{f}", r.origin));
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
            faults.entry(c.ptr("/dataSourceRef")).or_insert_with(|| {
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
    for (ptr, what) in faults {
        let message = format!("{}: {what}. {}.", c.label, c.consequence);
        ctx.report(obj, &CC215, &ptr, message, None);
    }
}
