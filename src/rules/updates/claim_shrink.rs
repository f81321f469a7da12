//! CC503 claim-shrink: An update lowers a bound claim's storage request where Kubernetes forbids it.

use super::claim::LiveClaim;
use super::compare;
use crate::model::quantity::Quantity;
use crate::options::KubeVersion;
use crate::rule::{Ctx, Object};
use std::cmp::Ordering;

crate::declare_rule! {
    /// ## What it does
    /// Reports a bound PersistentVolumeClaim whose new `resources.requests.storage` is below the live request, where Kubernetes refuses it: from Kubernetes 1.32 when the new request is at or below the capacity recorded in the live claim's `status.capacity` (a request may only come down to recover from a failed expansion, and stay above the capacity); before 1.32 whenever it is below the old request.
    ///
    /// ## Why is this bad?
    /// Volumes cannot shrink. The API server rejects the update (`spec.resources.requests.storage: Forbidden: field can not be less than status.capacity`), and a GitOps tool keeps retrying it.
    ///
    /// ## Example
    /// Live claim, bound, with `status.capacity.storage: 5Gi`:
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
    /// New manifest: `requests.storage: 2Gi`.
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   storageClassName: standard
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 2Gi
    /// ```
    ///
    /// ## Fix safety
    /// No fix: to use less space, create a smaller claim and copy the data.
    pub CC503 {
        name: "claim-shrink",
        severity: Error,
        fix: None,
        summary: "An update lowers a bound claim's storage request where Kubernetes forbids it",
    }
}

/// CC503: a bound claim's request goes from `o` down to `n`.
pub(super) fn check_shrink(
    ctx: &mut Ctx,
    new: &Object,
    live: &LiveClaim,
    name: &str,
    (o, n): (&Quantity, &Quantity),
) {
    let v = ctx.options.kubernetes_version;
    let ptr = "/spec/resources/requests/storage";
    let (os, ns) = (o.canonical(), n.canonical());
    let recover = v >= KubeVersion::new(1, 32);
    let cap = live.capacity.as_ref();
    let forbidden = !recover || cap.is_none_or(|c| compare(n, c) != Ordering::Greater);
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
