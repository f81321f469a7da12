//! CC501 statefulset-forbidden-update: An update changes a StatefulSet field that cannot change.

use super::UPDATABLE_LIST;

use serde_json::Value as J;

use super::claim_templates::check_claim_templates;
use super::{check_identity, diff, dotted, field, spec_fields_json, spec_json, what_changed};
use crate::options::KubeVersion;
use crate::rule::{Bundle, Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Compares a StatefulSet with its live version and reports each changed field that an update may not change: everything in `spec` except `replicas`, `ordinals`, `template`, `updateStrategy`, `persistentVolumeClaimRetentionPolicy` and `minReadySeconds` — that is `selector`, `serviceName`, `podManagementPolicy` and `revisionHistoryLimit` (claim templates are CC502's) — and a changed `metadata.name` or `metadata.namespace`. Defaults written out (`podManagementPolicy: OrderedReady`, `revisionHistoryLimit: 10`) count as unchanged.
    ///
    /// ## Why is this bad?
    /// The API server rejects the whole update (`spec: Forbidden: updates to statefulset spec for fields other than …`), which typically surfaces as a failed `helm upgrade` or a GitOps sync that never converges. Kubernetes names no field; this rule names each one.
    ///
    /// ## Example
    /// Live object:
    /// ```yaml
    /// spec:
    ///   serviceName: nginx
    /// ```
    /// New manifest:
    /// ```yaml
    /// spec:
    ///   serviceName: web
    /// ```
    ///
    /// ## Fix safety
    /// No fix. Keep the live value, or delete the StatefulSet without its pods (`kubectl delete statefulset NAME --cascade=orphan`) and create it again; a new selector must still select the running pods for the new StatefulSet to adopt them.
    pub CC501 {
        name: "statefulset-forbidden-update",
        severity: Error,
        fix: None,
        summary: "An update changes a StatefulSet field that cannot change",
    }
}

// ---------------------------------------------------------------------------------------------
// StatefulSets

/// The spec fields an update may change. The list has been the same in every version
/// claimcheck supports (1.28 to 1.37): `minReadySeconds` joined in 1.22, the retention policy
/// in 1.23 and `ordinals` in 1.26, all enabled by default since 1.27; `revisionHistoryLimit`
/// and the claim templates stay immutable (kubernetes/kubernetes#56341). Should a version
/// allow more, gate it on `v` here.
pub(super) fn updatable(field: &str, _v: KubeVersion) -> bool {
    matches!(
        field,
        "replicas"
            | "template"
            | "updateStrategy"
            | "minReadySeconds"
            | "ordinals"
            | "persistentVolumeClaimRetentionPolicy"
    )
}

/// StatefulSet spec fields compared by CC501 (the other known fields are updatable or CC502's).
pub(super) const FIXED_FIELDS: &[&str] = &[
    "selector",
    "serviceName",
    "podManagementPolicy",
    "revisionHistoryLimit",
];

/// The value the API server fills in for an unset StatefulSet spec field.
pub(super) fn spec_default(field: &str) -> Option<J> {
    match field {
        "podManagementPolicy" => Some(J::from("OrderedReady")),
        "revisionHistoryLimit" => Some(J::from(10)),
        _ => None,
    }
}

pub(super) fn check_statefulset(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    check_identity(ctx, new, old, &CC501);
    let v = ctx.options.kubernetes_version;
    // only the fields compared here are copied (a spec without any of them is compared whole:
    // it is still a spec)
    let compared = [
        FIXED_FIELDS,
        &["volumeClaimTemplates", "ordinals", "replicas"],
    ]
    .concat();
    let (new_spec, old_spec) = (
        spec_fields_json(new, &compared).or_else(|| spec_json(new)),
        spec_fields_json(old, &compared),
    );
    if new_spec.is_none() {
        return; // nothing to compare; the create rules report the missing spec
    }
    let sts = old.name.or(new.name).unwrap_or("NAME");
    for key in FIXED_FIELDS {
        if updatable(key, v) {
            continue;
        }
        let fill = |x: Option<&J>| x.cloned().or_else(|| spec_default(key));
        let (o, n) = (fill(field(&old_spec, key)), fill(field(&new_spec, key)));
        let mut changes = Vec::new();
        diff(
            o.as_ref(),
            n.as_ref(),
            &format!("/spec/{key}"),
            &mut changes,
        );
        for c in changes {
            let mut message = format!(
                "{}, but an update of an existing StatefulSet may only change {UPDATABLE_LIST} (Kubernetes {v}): the API server rejects the whole update. Keep the live value, or delete the StatefulSet without its pods and claims (`kubectl delete statefulset {sts} --cascade=orphan`) and apply this manifest",
                what_changed(&c, &dotted(&c.ptr))
            );
            if *key == "selector" {
                message.push_str("; the new selector must still select the running pods for the new StatefulSet to adopt them");
            }
            ctx.report(new, &CC501, &c.ptr, message, None);
        }
    }
    check_claim_templates(ctx, new, old, &new_spec, &old_spec, bundle);
}
