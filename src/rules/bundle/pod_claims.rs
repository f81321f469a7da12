//! The claims that pods use, across the objects of the input: which workloads mount which
//! claim ([`ClaimUsage`], indexed by claim name), then the claim rules over it — missing
//! (CC408), shared (CC406), rolled out with a surge (CC410), read-only settings (CC411) and
//! unused (CC407, CC412).

use super::claim_not_found::ClaimNames;
use super::{by_name, class_of, default_class, is_storage_class, Class};
use super::{
    check_unused_claims, claim_not_found, never_binds, read_only_many, rolling_update,
    shared_claim, writable_mounts, CC412,
};
use crate::model::claim_usage::{same_namespace, ClaimUsage, ClaimUse};
use crate::rule::{Bundle, Ctx, Object};
use std::collections::HashSet;

/// CC406, CC407, CC408, CC410, CC411 and CC412.
pub(super) fn check_pod_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let usage = ClaimUsage::of(bundle);
    let pvcs: Vec<&Object> = bundle.objects.iter().filter(|o| o.is_pvc()).collect();
    let pvcs_by_name = by_name(&pvcs);
    let names = ClaimNames::of(&pvcs);
    for u in usage.uses.iter().filter(|u| !u.shadowed) {
        writable_mounts(ctx, u);
        let found = pvcs_by_name
            .get(u.claim)
            .is_some_and(|l| l.iter().any(|p| same_namespace(p, u.user)));
        if !found && usage.is_generated(u.user, u.claim).is_none() {
            claim_not_found(ctx, u, &names);
        }
    }
    let classes: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| is_storage_class(o))
        .collect();
    let classes_by_name = by_name(&classes);
    let default = default_class(&classes);
    let mut rolled: HashSet<*const Object> = HashSet::new();
    let mut assigned: HashSet<*const ClaimUse> = HashSet::new();
    let mut unused: Vec<&Object> = Vec::new();
    // one claim per namespace and name (a duplicate is the same claim, reported elsewhere)
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for pvc in &pvcs {
        let Some(name) = pvc.name else { continue };
        if !seen.insert((pvc.namespace.unwrap_or(""), name)) {
            continue;
        }
        if usage.uses_of(name, pvc).next().is_none() {
            if !usage.has_workloads
                || usage.is_generated(pvc, name).is_some()
                || usage.is_managed(pvc)
            {
                continue;
            }
            // WaitForFirstConsumer: the claim never binds (CC412), unless it is pre-bound or
            // already bound
            let bound = pvc.node.str_at(&["status", "phase"]) == Some("Bound")
                || pvc
                    .node
                    .str_at(&["spec", "volumeName"])
                    .is_some_and(|v| !v.is_empty());
            let class = match class_of(pvc.node) {
                Some((Class::Named(c), _)) => classes_by_name
                    .get(c)
                    .and_then(|l| l.first())
                    .map(|o| (*o, false)),
                Some((Class::Unset, _)) => default.map(|d| (d, true)),
                _ => None,
            };
            let waits = class.filter(|(c, _)| {
                c.node.str_at(&["volumeBindingMode"]) == Some("WaitForFirstConsumer")
            });
            match waits {
                Some((c, defaulted)) if !bound && ctx.enabled(&CC412) => {
                    never_binds(ctx, pvc, c.name.unwrap_or("<unnamed>"), defaulted);
                }
                _ => unused.push(pvc),
            }
            continue;
        }
        // each pod volume belongs to one claim: a user without a namespace that matches claims
        // of the same name in several namespaces is looked at with the first only, so the
        // findings stay linear in the input
        let uses: Vec<_> = usage
            .uses_of(name, pvc)
            .filter(|u| assigned.insert(std::ptr::from_ref(*u)))
            .collect();
        shared_claim(ctx, &usage, pvc, &uses);
        read_only_many(ctx, pvc, &uses);
        for u in &uses {
            if !rolled.contains(&std::ptr::from_ref(u.user)) && rolling_update(ctx, pvc, u) {
                rolled.insert(std::ptr::from_ref(u.user));
            }
        }
    }
    check_unused_claims(ctx, bundle, &unused);
}
