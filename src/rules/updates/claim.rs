//! A PersistentVolumeClaim on update: what the live claim says (bound, capacity), and the
//! walk that hands the comparison to CC504 (a forbidden change, claim_immutable_field.rs),
//! CC503 (a shrink, claim_shrink.rs) and CC505 (a growth the class forbids,
//! expansion_not_allowed.rs).

use super::claim_immutable_field::check_immutable_fields;
use super::claim_shrink::check_shrink;
use super::expansion_not_allowed::check_expansion;
use super::{check_identity, compare, quantity_of, spec_json, CC504};
use crate::model::quantity::Quantity;
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
    pub(super) bound: bool,
    /// `status.capacity.storage`; without a status block, the old request stands in for it.
    pub(super) capacity: Option<Quantity>,
    /// The live claim has a status block (`capacity` is the recorded one).
    pub(super) known: bool,
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
    let (new_spec, old_spec) = (spec_json(new), spec_json(old));
    if new_spec.is_none() {
        return;
    }
    let (old_size, new_size) = (request_at(&old_spec), request_at(&new_spec));
    let live = live_claim(old, old_size.as_ref());
    let name = new.name.or(old.name).unwrap_or("NAME");
    check_immutable_fields(ctx, (new, old), &live, name, (new_spec, old_spec));

    // Resizing a bound claim.
    let (Some(o), Some(n)) = (old_size, new_size) else {
        return;
    };
    if !live.bound {
        return; // CC504 has said that a pending claim cannot be resized
    }
    match compare(&n, &o) {
        Ordering::Less => check_shrink(ctx, new, &live, name, (&o, &n)),
        Ordering::Greater => check_expansion(ctx, (new, old), bundle, name, (&o, &n)),
        Ordering::Equal => {}
    }
}
