//! CC505 expansion-not-allowed: A claim grows but its StorageClass does not allow volume expansion.

use super::storage_class;
use crate::model::quantity::Quantity;
use crate::rule::{Bundle, Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Reports a bound PersistentVolumeClaim whose storage request grows while its StorageClass, found in the same input, lacks `allowVolumeExpansion: true`. When the class is not in the input the rule stays silent.
    ///
    /// ## Why is this bad?
    /// The admission plugin that guards resizing rejects the update (`only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`).
    ///
    /// ## Example
    /// Live claim of class `standard`, bound at 5Gi:
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
    /// New manifest: the claim grows to 20Gi, and its class, in the same input, does not allow it:
    /// ```yaml
    /// kind: StorageClass
    /// metadata:
    ///   name: standard
    /// provisioner: ebs.csi.aws.com
    /// # no allowVolumeExpansion: true
    /// ---
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 20Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: set `allowVolumeExpansion: true` on the class if its driver supports expansion (the field may be changed on an existing class), then resize.
    pub CC505 {
        name: "expansion-not-allowed",
        severity: Error,
        fix: None,
        summary: "A claim grows but its StorageClass does not allow volume expansion",
    }
}

/// CC505: a bound claim's request grows from `o` to `n` while its StorageClass, in `bundle`,
/// does not allow expansion.
pub(super) fn check_expansion(
    ctx: &mut Ctx,
    (new, old): (&Object, &Object),
    bundle: &Bundle,
    name: &str,
    (o, n): (&Quantity, &Quantity),
) {
    let class_name = new
        .node
        .str_at(&["spec", "storageClassName"])
        .or_else(|| old.node.str_at(&["spec", "storageClassName"]))
        .filter(|c| !c.is_empty());
    let ptr = "/spec/resources/requests/storage";
    let (os, ns) = (o.canonical(), n.canonical());
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
