//! Claims that pods use: reports the claims they name that are missing or shared.

use super::by_name;
use super::{claim_not_found, pod_spec, pod_spec_pointer, same_namespace, shared_claim};
use crate::model::workload::{claim_templates, template_name};
use crate::rule::{Bundle, Ctx, Object};
use crate::source::Node;
use std::collections::HashMap;

/// The claim names StatefulSets' templates generate, `<template>-<statefulset>-<ordinal>`,
/// by their prefix `<template>-<statefulset>-`, so that each lookup costs the same however
/// many StatefulSets the input holds.
struct GeneratedClaims<'o, 'a> {
    prefixes: HashMap<String, Vec<&'o Object<'a>>>,
}

impl<'o, 'a> GeneratedClaims<'o, 'a> {
    fn of(bundle: &'o Bundle<'a>) -> Self {
        let mut prefixes: HashMap<String, Vec<&'o Object<'a>>> = HashMap::new();
        for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
            let Some(sts_name) = sts.name else { continue };
            for (_, t) in claim_templates(sts.node) {
                if let Some(t) = template_name(t) {
                    prefixes
                        .entry(format!("{t}-{sts_name}-"))
                        .or_default()
                        .push(sts);
                }
            }
        }
        GeneratedClaims { prefixes }
    }

    fn contains(&self, user: &Object, claim: &str) -> bool {
        let prefix = claim.trim_end_matches(|c: char| c.is_ascii_digit());
        if prefix.len() == claim.len() {
            return false;
        }
        self.prefixes
            .get(prefix)
            .is_some_and(|l| l.iter().any(|sts| same_namespace(sts, user)))
    }
}

/// CC406 and CC408: the claims that pod templates use by name.
pub(super) fn check_pod_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let pvcs: Vec<&Object> = bundle.objects.iter().filter(|o| o.is_pvc()).collect();
    let pvcs_by_name = by_name(&pvcs);
    let generated = GeneratedClaims::of(bundle);
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
            let found = pvcs_by_name
                .get(claim_name)
                .and_then(|l| l.iter().find(|p| same_namespace(p, obj)));
            match found {
                Some(pvc) => shared_claim(ctx, obj, pvc, &rel, volume, claim_name),
                None => {
                    if !generated.contains(obj, claim_name) {
                        claim_not_found(ctx, obj, &pvcs, &rel, volume, claim_name);
                    }
                }
            }
        }
    }
}
