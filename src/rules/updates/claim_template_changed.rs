//! CC502 claim-template-changed: An update changes, adds or removes a StatefulSet's claim templates.

use serde_json::{Map, Value as J};

use super::{norm, remove, set_default};

crate::declare_rule! {
    /// ## What it does
    /// Compares the `volumeClaimTemplates` of a StatefulSet with its live version and reports each change: a field of a template (most often a larger storage request), an added template, a removed one. Quantities compare by value and defaults count as unchanged.
    ///
    /// ## Why is this bad?
    /// Claim templates cannot change once the StatefulSet exists: the API server rejects the update. Even if it did not, the claims the controller already created would keep their old size and settings. The way to grow the volumes is a migration: resize each existing claim (its StorageClass must allow volume expansion), delete the StatefulSet while keeping its pods and claims (`kubectl delete statefulset NAME --cascade=orphan`), and create it again from the new manifest, so that new replicas get the new size too.
    ///
    /// ## Example
    /// Live object:
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///     spec:
    ///       resources:
    ///         requests:
    ///           storage: 1Gi
    /// ```
    /// New manifest: the same with `storage: 2Gi`.
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///     spec:
    ///       resources:
    ///         requests:
    ///           storage: 2Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the migration touches live claims and cannot be expressed as an edit of the manifest.
    pub CC502 {
        name: "claim-template-changed",
        severity: Error,
        fix: None,
        summary: "An update changes, adds or removes a StatefulSet's claim templates",
    }
}

/// A claim template as the API server stores it: defaults filled in, server fields dropped.
pub(super) fn stored_template(t: &J) -> Option<J> {
    // a null entry decodes as an empty template
    let mut t = norm(t.clone(), "").unwrap_or_else(|| J::Object(Map::new()));
    if let J::Object(m) = &mut t {
        m.remove("apiVersion");
        m.remove("kind");
        if let Some(J::Object(meta)) = m.get_mut("metadata") {
            meta.remove("creationTimestamp");
        }
    }
    let mut t = Some(t);
    let mut spec = remove(&mut t, "spec");
    set_default(&mut spec, "volumeMode", J::from("Filesystem"));
    set_default(&mut t, "spec", spec.unwrap_or(J::Null));
    let mut status = remove(&mut t, "status");
    set_default(&mut status, "phase", J::from("Pending"));
    set_default(&mut t, "status", status.unwrap_or(J::Null));
    t.and_then(|t| norm(t, ""))
}

pub(super) fn template_name_of(t: Option<&J>) -> Option<&str> {
    t?.get("metadata")?.get("name")?.as_str()
}

pub(super) fn int_at(spec: &Option<J>, path: &[&str]) -> Option<i64> {
    let mut v = spec.as_ref()?;
    for k in path {
        v = v.get(k)?;
    }
    v.as_i64()
}
