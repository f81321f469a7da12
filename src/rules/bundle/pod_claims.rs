//! Claims that pods use: reports the claims they name that are missing or shared.

use super::{claim_not_found, pod_spec, pod_spec_pointer, same_namespace, shared_claim};
use crate::model::workload::{claim_templates, template_name};
use crate::rule::{Bundle, Ctx, Object};
use crate::source::Node;

/// Whether `claim` is a name the controller gives to a claim made from a template of a
/// StatefulSet in the input: `<template>-<statefulset>-<ordinal>`.
pub(super) fn generated_claim(bundle: &Bundle, user: &Object, claim: &str) -> bool {
    bundle
        .objects
        .iter()
        .filter(|o| o.is_statefulset() && same_namespace(o, user))
        .any(|sts| {
            let Some(sts_name) = sts.name else {
                return false;
            };
            claim_templates(sts.node)
                .iter()
                .filter_map(|(_, t)| template_name(t))
                .any(|t| {
                    claim
                        .strip_prefix(t)
                        .and_then(|r| r.strip_prefix('-'))
                        .and_then(|r| r.strip_prefix(sts_name))
                        .and_then(|r| r.strip_prefix('-'))
                        .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
                })
        })
}

/// CC406 and CC408: the claims that pod templates use by name.
pub(super) fn check_pod_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let pvcs: Vec<&Object> = bundle.objects.iter().filter(|o| o.is_pvc()).collect();
    for obj in &bundle.objects {
        let Some(spec) = pod_spec(obj) else { continue };
        let base = pod_spec_pointer(obj);
        for (k, v) in spec
            .get("volumes")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let Some(claim_name) = v.str_at(&["persistentVolumeClaim", "claimName"]) else {
                continue;
            };
            if claim_name.is_empty() {
                continue;
            }
            let rel = format!("{base}/volumes/{k}/persistentVolumeClaim/claimName");
            let volume = v.str_at(&["name"]).unwrap_or("");
            if obj.is_statefulset()
                && claim_templates(obj.node)
                    .iter()
                    .any(|(_, t)| template_name(t) == Some(volume))
            {
                // the controller replaces a pod volume named like a claim template with the
                // template's claim (CC304 explains it): this claimName is never used
                continue;
            }
            let found = pvcs
                .iter()
                .find(|p| p.name == Some(claim_name) && same_namespace(p, obj));
            match found {
                Some(pvc) => shared_claim(ctx, obj, pvc, &rel, volume, claim_name),
                None => {
                    if !generated_claim(bundle, obj, claim_name) {
                        claim_not_found(ctx, obj, &pvcs, &rel, volume, claim_name);
                    }
                }
            }
        }
    }
}
