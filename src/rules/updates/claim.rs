//! A PersistentVolumeClaim on update: reports CC504 (a forbidden change) and CC505 (a storage change that cannot happen).

use super::{
    check_identity, compare, diff, dotted, field, norm, quantity_of, remove, set_default, show,
    spec_json, storage_class, what_changed, CC503, CC504, CC505,
};
use crate::model::quantity::Quantity;
use crate::options::KubeVersion;
use crate::rule::{Bundle, Ctx, Object};
use serde_json::Value as J;
use std::cmp::Ordering;

// ---------------------------------------------------------------------------------------------
// PersistentVolumeClaims

pub(super) const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// What the live claim's status says.
pub(super) struct LiveClaim {
    /// Bound to a volume. Without any status block (a manifest rather than the live object)
    /// the claim is assumed bound, as claims in use are.
    bound: bool,
    /// `status.capacity.storage`; without a status block, the old request stands in for it.
    capacity: Option<Quantity>,
    known: bool,
}

pub(super) fn live_claim(old: &Object, old_request: Option<&Quantity>) -> LiveClaim {
    match old.node.get("status").filter(|s| !s.is_null()) {
        None => LiveClaim {
            bound: true,
            capacity: old_request.cloned(),
            known: false,
        },
        Some(status) => LiveClaim {
            bound: status.str_at(&["phase"]) == Some("Bound"),
            // no recorded capacity counts as zero, as in Kubernetes
            capacity: status
                .path(&["capacity", "storage"])
                .map(|n| n.to_json())
                .as_ref()
                .and_then(quantity_of)
                .or_else(|| Some(Quantity::zero())),
            known: true,
        },
    }
}

pub(super) fn annotation<'a>(obj: &'a Object, key: &str) -> Option<&'a str> {
    obj.node
        .path(&["metadata", "annotations"])?
        .get(key)?
        .as_str()
}

pub(super) fn request_at(spec: &Option<J>) -> Option<Quantity> {
    spec.as_ref()?
        .get("resources")?
        .get("requests")?
        .get("storage")
        .and_then(quantity_of)
}

/// Fills `dataSource` from `dataSourceRef` and back, as the API server does on create.
pub(super) fn normalize_data_sources(spec: &mut Option<J>) {
    let Some(J::Object(m)) = spec else { return };
    match (
        m.get("dataSource").cloned(),
        m.get("dataSourceRef").cloned(),
    ) {
        (Some(ds), None) => {
            m.insert("dataSourceRef".into(), ds);
        }
        (None, Some(J::Object(r))) if !r.contains_key("namespace") => {
            m.insert("dataSource".into(), J::Object(r));
        }
        _ => {}
    }
}

pub(super) fn check_claim(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    check_identity(ctx, new, old, &CC504);
    let v = ctx.options.kubernetes_version;
    let (mut new_spec, mut old_spec) = (spec_json(new), spec_json(old));
    if new_spec.is_none() {
        return;
    }
    let (old_size, new_size) = (request_at(&old_spec), request_at(&new_spec));
    let live = live_claim(old, old_size.as_ref());
    let name = new.name.or(old.name).unwrap_or("NAME");
    let class_name = new
        .node
        .str_at(&["spec", "storageClassName"])
        .or_else(|| old.node.str_at(&["spec", "storageClassName"]))
        .filter(|c| !c.is_empty());

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
        new_spec.and_then(|s| norm(&s, "spec")),
        old_spec.and_then(|s| norm(&s, "spec")),
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

    // Resizing a bound claim.
    let (Some(o), Some(n)) = (old_size, new_size) else {
        return;
    };
    if !live.bound {
        return; // CC504 has said that a pending claim cannot be resized
    }
    let ptr = "/spec/resources/requests/storage";
    let (os, ns) = (o.canonical(), n.canonical());
    match compare(&n, &o) {
        Ordering::Less => {
            let recover = v >= KubeVersion::new(1, 32);
            let cap = live.capacity.as_ref();
            let forbidden = !recover || cap.is_none_or(|c| compare(&n, c) != Ordering::Greater);
            if forbidden {
                let message = if recover {
                    let cap_text = match (cap, live.known) {
                        (Some(c), true) => format!("its capacity (`status.capacity.storage` {})", c.canonical()),
                        _ => "its capacity (the live claim's status is not given: assumed to be the old request)".to_string(),
                    };
                    format!("the storage request of claim `{name}` drops from {os} to {ns}, at or below {cap_text}: volumes cannot shrink, so the API server rejects the update (Kubernetes {v} lets a request come down only to recover from a failed expansion, and only to a value above the capacity). To use less space, create a smaller claim and copy the data")
                } else {
                    format!("the storage request of claim `{name}` drops from {os} to {ns}: Kubernetes {v} does not let a claim's request decrease, as volumes cannot shrink, so the API server rejects the update. To use less space, create a smaller claim and copy the data")
                };
                ctx.report(new, &CC503, ptr, message, None);
            }
        }
        Ordering::Greater => {
            if let Some((cname, false)) = class_name.and_then(|c| storage_class(bundle, c)) {
                ctx.report(
                    new,
                    &CC505,
                    ptr,
                    format!("claim `{name}` grows from {os} to {ns}, but its StorageClass `{cname}` does not set `allowVolumeExpansion: true`, so the resize admission check rejects the update. Set it on the class (it can be changed on an existing class) if the class's driver supports expansion, then resize"),
                    None,
                );
            }
        }
        Ordering::Equal => {}
    }
}
