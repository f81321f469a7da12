//! CC504 claim-immutable-field: An update changes a PersistentVolumeClaim field that cannot change.

use super::claim::{annotation, normalize_data_sources, LiveClaim, BETA_CLASS_ANNOTATION};
use super::{diff, dotted, field, norm, remove, set_default, show, what_changed};
use crate::options::KubeVersion;
use crate::rule::{Ctx, Object};
use serde_json::Value as J;

crate::declare_rule! {
    /// ## What it does
    /// Compares a PersistentVolumeClaim with its live version and reports each changed spec field other than those Kubernetes lets an update change: the storage request of a bound claim, `volumeAttributesClassName`, `volumeName` while the claim is not yet bound to a volume, and `storageClassName` when the live claim has none. A changed `metadata.name` or `metadata.namespace` is reported too. A field that the new manifest leaves out while the live claim has it (`volumeName`, `storageClassName`, filled in by the cluster) counts as unchanged, as `kubectl apply` keeps it.
    ///
    /// ## Why is this bad?
    /// The API server rejects the update (`spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims`). A claim still Pending cannot even be resized.
    ///
    /// ## Example
    /// Live claim, bound:
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 5Gi
    /// status:
    ///   phase: Bound
    ///   capacity:
    ///     storage: 5Gi
    /// ```
    /// New manifest: `accessModes: [ReadWriteMany]`.
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteMany]
    ///   resources:
    ///     requests:
    ///       storage: 5Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a claim with other access modes, class or volume mode is a new claim; create it and move the data.
    pub CC504 {
        name: "claim-immutable-field",
        severity: Error,
        fix: None,
        summary: "An update changes a PersistentVolumeClaim field that cannot change",
    }
}

/// CC504: the changes of a claim's spec (`new_spec` against `old_spec`, both as JSON) that an
/// update may not make, once what the cluster fills in and what may change are set aside.
pub(super) fn check_immutable_fields(
    ctx: &mut Ctx,
    (new, old): (&Object, &Object),
    live: &LiveClaim,
    name: &str,
    (mut new_spec, mut old_spec): (Option<J>, Option<J>),
) {
    let v = ctx.options.kubernetes_version;
    for s in [&mut new_spec, &mut old_spec] {
        set_default(s, "volumeMode", J::from("Filesystem"));
        normalize_data_sources(s);
    }
    // Fields the cluster fills in: left out of a manifest, `kubectl apply` keeps them.
    for key in [
        "volumeName",
        "storageClassName",
        "dataSource",
        "dataSourceRef",
    ] {
        if field(&new_spec, key).is_none() {
            remove(&mut old_spec, key);
        }
    }
    // volumeName may be set once, when the claim binds.
    if field(&old_spec, "volumeName").is_none() {
        remove(&mut new_spec, "volumeName");
    }
    // storageClassName: may be set when the live claim has none (retroactive default class),
    // or to the class its beta annotation names.
    let old_class = field(&old_spec, "storageClassName").cloned();
    let new_class = field(&new_spec, "storageClassName").cloned();
    let (old_ann, new_ann) = (
        annotation(old, BETA_CLASS_ANNOTATION),
        annotation(new, BETA_CLASS_ANNOTATION),
    );
    let from_annotation = old_ann.is_some()
        && new_ann == old_ann
        && old_class.is_none()
        && new_class.as_ref().and_then(J::as_str) == old_ann;
    let from_nil = old_ann.is_none()
        && old_class.is_none()
        && new_class
            .as_ref()
            .and_then(J::as_str)
            .is_some_and(|s| !s.is_empty());
    if from_annotation || from_nil {
        remove(&mut new_spec, "storageClassName");
    } else if let (Some(o), Some(n)) = (old_ann, new_ann) {
        if o != n {
            ctx.report(
                new,
                &CC504,
                &format!(
                    "/metadata/annotations/{}",
                    crate::source::escape_pointer_segment(BETA_CLASS_ANNOTATION)
                ),
                format!("the annotation `{BETA_CLASS_ANNOTATION}` changes from `{o}` to `{n}`, but a claim's storage class cannot change after creation: the API server rejects the update"),
                None,
            );
        }
    }
    // volumeAttributesClassName may change on bound claims; before 1.34 the field is
    // dropped (its feature gate is off by default).
    let vac_gate = v >= KubeVersion::new(1, 34);
    if vac_gate {
        let old_vac = field(&old_spec, "volumeAttributesClassName").cloned();
        let new_vac = field(&new_spec, "volumeAttributesClassName").cloned();
        if old_vac.is_some()
            && new_vac
                .as_ref()
                .and_then(J::as_str)
                .is_none_or(str::is_empty)
        {
            ctx.report(
                new,
                &CC504,
                "/spec/volumeAttributesClassName",
                format!("`spec.volumeAttributesClassName` goes from {} to {}: once set it can be changed to another class but not removed, so the API server rejects the update", show(&old_vac), show(&new_vac)),
                None,
            );
        }
    }
    if live.bound || !vac_gate {
        remove(&mut new_spec, "volumeAttributesClassName");
        remove(&mut old_spec, "volumeAttributesClassName");
    }
    if live.bound {
        // a bound claim's request may change: compare the rest with the live request in place
        let live_request = old_spec
            .as_ref()
            .and_then(|s| s.get("resources"))
            .and_then(|r| r.get("requests"))
            .and_then(|r| r.get("storage"))
            .cloned();
        if let Some(J::Object(r)) = new_spec
            .as_mut()
            .and_then(|s| s.get_mut("resources"))
            .and_then(|r| r.get_mut("requests"))
        {
            match live_request {
                Some(q) => r.insert("storage".into(), q),
                None => r.remove("storage"),
            };
        }
    }
    let (new_spec, old_spec) = (
        new_spec.and_then(|s| norm(s, "spec")),
        old_spec.and_then(|s| norm(s, "spec")),
    );
    let mut changes = Vec::new();
    diff(old_spec.as_ref(), new_spec.as_ref(), "/spec", &mut changes);
    let phase = old
        .node
        .str_at(&["status", "phase"])
        .filter(|p| !p.is_empty())
        .unwrap_or("Pending");
    for c in &changes {
        let what = what_changed(c, &dotted(&c.ptr));
        let message = if c.ptr == "/spec/resources/requests/storage" {
            format!("{what}, but claim `{name}` is {phase}, not bound to a volume: only a bound claim's request can change (to resize it), so the API server rejects the update. Wait until it binds, or delete and re-create the claim")
        } else if c.ptr == "/spec/volumeMode" {
            format!("{what}, but a claim's volume mode cannot change after creation: the API server rejects the update. A claim with another mode is a new claim; create it and copy the data")
        } else {
            format!("{what}, but a claim's spec cannot change after creation apart from its storage request (once bound) and `volumeAttributesClassName`: the API server rejects the update. A claim with other settings is a new claim; create it and move the data")
        };
        ctx.report(new, &CC504, &c.ptr, message, None);
    }
}
