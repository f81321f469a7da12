//! Update rules (CC5xx): what may change between the live object and the new one.
//!
//! The comparisons are semantic, as the API server's are after decoding and defaulting:
//! `null`, empty strings, empty lists and empty maps equal an absent field (except where Go
//! uses a pointer, such as `storageClassName: ""`), defaults written out equal defaults left
//! out, and quantities compare by value (`1Gi` = `1024Mi` = `1073741824`). Status blocks of the
//! new object are ignored (the API server keeps the stored status on a spec update).

use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};

mod claim_immutable_field;
mod claim_shrink;
mod claim_template_changed;
mod expansion_not_allowed;
mod statefulset_forbidden_update;
mod workload_immutable_field;

pub use claim_immutable_field::CC504;
pub use claim_shrink::CC503;
pub use claim_template_changed::CC502;
use claim_template_changed::{int_at, stored_template, template_name_of};
pub use expansion_not_allowed::CC505;
use statefulset_forbidden_update::check_statefulset;
pub use statefulset_forbidden_update::CC501;
use workload_immutable_field::check_workload_update;
pub use workload_immutable_field::CC506;
mod diff;
use diff::{
    compare, diff, dotted, field, norm, quantity_of, remove, set_default, show, spec_fields_json,
    spec_json, what_changed, Change,
};
mod claim_templates;
use claim_templates::storage_class;
mod claim;
use claim::check_claim;

pub const RULES: &[RuleMeta] = &[CC501, CC502, CC503, CC504, CC505, CC506];

/// `new` replaces `old` (same kind; same name unless the name itself changed).
pub fn check(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    if new.is_statefulset() && old.is_statefulset() {
        check_statefulset(ctx, new, old, bundle);
    } else if new.is_pvc() && old.is_pvc() {
        check_claim(ctx, new, old, bundle);
    } else if let (Some(kind), Some(old_kind)) = (new.workload(), old.workload()) {
        if kind == old_kind {
            check_workload_update(ctx, new, old, kind);
        }
    }
}

/// metadata.name / metadata.namespace: immutable for every object.
fn check_identity(ctx: &mut Ctx, new: &Object, old: &Object, rule: &'static RuleMeta) {
    let kind = new.kind;
    if let (Some(n), Some(o)) = (new.name, old.name) {
        if n != o && !n.is_empty() && !o.is_empty() {
            let extra = if new.is_statefulset() {
                format!(" with new pods and new, empty claims (`<template>-{n}-<ordinal>`)")
            } else {
                String::new()
            };
            ctx.report(
                new,
                rule,
                "/metadata/name",
                format!("`metadata.name` changes from `{o}` to `{n}`, but the name of an existing {kind} cannot change: an update of `{o}` with this name is rejected, and `kubectl apply` creates a second {kind} `{n}`{extra} while `{o}` stays"),
                None,
            );
        }
    }
    if let (Some(n), Some(o)) = (new.namespace, old.namespace) {
        if n != o && !n.is_empty() && !o.is_empty() {
            ctx.report(
                new,
                rule,
                "/metadata/namespace",
                format!("`metadata.namespace` changes from `{o}` to `{n}`: an object cannot move to another namespace; this is a different {kind} in `{n}`, and the one in `{o}` stays"),
                None,
            );
        }
    }
}

const UPDATABLE_LIST: &str = "`replicas`, `ordinals`, `template`, `updateStrategy`, `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`";

/// How to carry a template change over to a live StatefulSet.
fn migration(sts: &str) -> String {
    format!("delete the StatefulSet without its pods and claims (`kubectl delete statefulset {sts} --cascade=orphan`) and apply this manifest (the new StatefulSet adopts the running pods and their claims)")
}

#[cfg(test)]
mod tests;
