//! Object metadata rules (CC008): names, labels, annotations, namespaces and finalizers of
//! StatefulSets, PVCs, pod templates and claim templates, and the label selectors that use the
//! same label syntax (the StatefulSet's selector, a PVC's selector, a claim template's selector).

use crate::model::workload::{claim_templates, template_consequence, template_name, WorkloadKind};
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::Node;
use std::borrow::Cow;

mod invalid_metadata;

pub use invalid_metadata::CC008;
use invalid_metadata::{
    check_annotations, check_finalizers, check_labels, check_labels_at, check_namespace,
    check_pvc_names, check_selector,
};

pub const RULES: &[RuleMeta] = &[CC008];

/// One place whose metadata is checked: where it is, how to name it, what a fault there costs.
struct Place<'s> {
    /// Pointer of the metadata mapping, relative to the object.
    base: Cow<'s, str>,
    /// "the StatefulSet", "the pod template", "claim template `www`", …
    what: Cow<'s, str>,
    /// A sentence saying what Kubernetes does about a fault here.
    consequence: Cow<'s, str>,
}

pub fn check(ctx: &mut Ctx, obj: &Object) {
    if !ctx.enabled(&CC008) {
        return;
    }
    let v = ctx.options.kubernetes_version;
    if !obj.is_pvc() && obj.workload().is_none() {
        return;
    }
    let kind_consequence = ["The API server rejects the ", obj.kind, "."].concat();
    if obj.is_pvc() {
        if let Some(meta) = obj.node.get("metadata") {
            let place = Place {
                base: "/metadata".into(),
                what: "the PersistentVolumeClaim".into(),
                consequence: kind_consequence.as_str().into(),
            };
            check_pvc_names(ctx, obj, meta, &place);
            check_namespace(ctx, obj, meta, &place);
            check_object_meta(ctx, obj, meta, &place);
        }
        if let Some(sel) = obj.node.path(&["spec", "selector"]) {
            check_selector(
                ctx,
                obj,
                sel,
                "/spec/selector",
                "the claim's selector",
                &kind_consequence,
            );
        }
        return;
    }
    let Some(kind) = obj.workload() else {
        return;
    };
    if kind != WorkloadKind::StatefulSet {
        check_workload(ctx, obj, kind, &kind_consequence);
        return;
    }
    let sts = obj.node;
    if let Some(meta) = sts.get("metadata") {
        let place = Place {
            base: "/metadata".into(),
            what: "the StatefulSet".into(),
            consequence: kind_consequence.as_str().into(),
        };
        check_namespace(ctx, obj, meta, &place);
        check_object_meta(ctx, obj, meta, &place);
    }
    if let Some(sel) = sts.path(&["spec", "selector"]) {
        check_selector(
            ctx,
            obj,
            sel,
            "/spec/selector",
            "the StatefulSet's selector",
            &kind_consequence,
        );
    }
    if let Some(meta) = sts.path(&["spec", "template", "metadata"]) {
        // Labels and annotations of the pod template are validated with the StatefulSet;
        // finalizers only when the controller creates the pods.
        let place = Place {
            base: "/spec/template/metadata".into(),
            what: "the pod template".into(),
            consequence: kind_consequence.as_str().into(),
        };
        check_labels(ctx, obj, meta, &place);
        check_annotations(ctx, obj, meta, &place);
        let place = Place {
            consequence: format!("{}.", template_consequence(v, "pod")).into(),
            ..place
        };
        check_finalizers(ctx, obj, meta, &place);
    }
    let claim_consequence = format!("{}.", template_consequence(v, "claim"));
    for (i, tpl) in claim_templates(sts) {
        let what = match template_name(tpl) {
            Some(n) => format!("claim template `{n}`"),
            None => format!("claim template {i}"),
        };
        if let Some(meta) = tpl.get("metadata") {
            let place = Place {
                base: format!("/spec/volumeClaimTemplates/{i}/metadata").into(),
                what: what.as_str().into(),
                consequence: claim_consequence.as_str().into(),
            };
            check_object_meta(ctx, obj, meta, &place);
        }
        if let Some(sel) = tpl.path(&["spec", "selector"]) {
            check_selector(
                ctx,
                obj,
                sel,
                &format!("/spec/volumeClaimTemplates/{i}/spec/selector"),
                &format!("the selector of {what}"),
                &claim_consequence,
            );
        }
    }
}

/// The other workload kinds: the object's metadata, its selector and its pod template's
/// metadata, all validated when the object is created (every kind but a StatefulSet validates
/// its whole pod template).
fn check_workload(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind, consequence: &str) {
    let k = kind.name();
    if let Some(meta) = obj.node.get("metadata") {
        let place = Place {
            base: "/metadata".into(),
            what: format!("the {k}").into(),
            consequence: consequence.into(),
        };
        check_namespace(ctx, obj, meta, &place);
        check_object_meta(ctx, obj, meta, &place);
    }
    match kind {
        WorkloadKind::Deployment
        | WorkloadKind::ReplicaSet
        | WorkloadKind::DaemonSet
        | WorkloadKind::Job => {
            if let Some(sel) = obj.node.path(&["spec", "selector"]) {
                check_selector(
                    ctx,
                    obj,
                    sel,
                    "/spec/selector",
                    &format!("the {k}'s selector"),
                    consequence,
                );
            }
        }
        WorkloadKind::ReplicationController => {
            // A plain label map: the same rules as labels.
            if let Some(sel) = obj.node.get("spec").filter(|s| s.get("selector").is_some()) {
                let place = Place {
                    base: "/spec".into(),
                    what: format!("the {k}").into(),
                    consequence: consequence.into(),
                };
                check_labels_at(ctx, obj, sel, "selector", &place);
            }
        }
        _ => {}
    }
    if let Some(tpl) = kind.template_pointer() {
        let path: Vec<&str> = tpl.trim_start_matches('/').split('/').collect();
        if let Some(meta) = obj.node.path(&path).and_then(|t| t.get("metadata")) {
            let place = Place {
                base: format!("{tpl}/metadata").into(),
                what: "the pod template".into(),
                consequence: consequence.into(),
            };
            check_labels(ctx, obj, meta, &place);
            check_annotations(ctx, obj, meta, &place);
        }
    }
}

/// Labels, annotations and finalizers.
fn check_object_meta(ctx: &mut Ctx, obj: &Object, meta: &Node, place: &Place) {
    check_labels(ctx, obj, meta, place);
    check_annotations(ctx, obj, meta, place);
    check_finalizers(ctx, obj, meta, place);
}
