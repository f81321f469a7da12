//! CC106 invalid-retention-policy: persistentVolumeClaimRetentionPolicy values other than Retain or Delete.

use super::REJECTS;
use crate::model::enums::{bad_enum, enum_report};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Checks `whenDeleted` and `whenScaled` of `spec.persistentVolumeClaimRetentionPolicy`: each must be `Retain` or `Delete` (an empty value means `Retain`).
    ///
    /// ## Why is this bad?
    /// The API server rejects other values ("supported values: \"Retain\", \"Delete\""). The values are case-sensitive; `Remove` and `delete` are the usual slips.
    ///
    /// ## Example
    /// ```yaml
    /// persistentVolumeClaimRetentionPolicy:
    ///   whenDeleted: delete
    /// ```
    ///
    /// ## Fix safety
    /// A value that differs from a valid one only in letter case or surrounding spaces is corrected; this is safe.
    pub CC106 {
        name: "invalid-retention-policy",
        severity: Error,
        fix: Safe,
        summary: "persistentVolumeClaimRetentionPolicy values other than Retain or Delete",
    }
}

// ---------------------------------------------------------------------------------------------
// CC106: retention policy

pub(super) const RETENTION_POLICIES: &[&str] = &["Retain", "Delete"];

pub(super) fn check_retention(ctx: &mut Ctx, obj: &Object) {
    let Some(rp) = obj
        .node
        .path(&["spec", "persistentVolumeClaimRetentionPolicy"])
    else {
        return;
    };
    for field in ["whenDeleted", "whenScaled"] {
        let node = rp.get(field);
        let (Some(node), Some(bad)) = (node, bad_enum(node, RETENTION_POLICIES)) else {
            continue;
        };
        let ptr = format!("/spec/persistentVolumeClaimRetentionPolicy/{field}");
        let (message, fix_) = enum_report(
            &CC106,
            obj,
            node,
            &ptr,
            &format!("persistentVolumeClaimRetentionPolicy.{field}"),
            &bad,
            RETENTION_POLICIES,
            REJECTS,
        );
        ctx.report(obj, &CC106, &ptr, message, fix_);
    }
}
