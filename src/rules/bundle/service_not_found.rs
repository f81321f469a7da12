//! CC401 service-not-found: serviceName names no Service in the input.

use super::by_name;
use super::headless::check_headless;
use super::{check_selector, quoted, Selector};
use crate::diagnostic::Severity;
use crate::model::names;
use crate::rule::{Bundle, Ctx, Object};
use std::collections::HashMap;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Service named by a StatefulSet's `serviceName` is among the documents checked together. When the input holds no Service at all the finding is a hint (the Service may live elsewhere); when it holds Services but not this one, a warning.
    ///
    /// ## Why is this bad?
    /// The governing Service gives each pod its stable DNS name (`web-0.nginx.default.svc`). Without it the pods run, but peers cannot find each other by name, which is usually why a StatefulSet was chosen.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: example   # no Service `example` anywhere
    /// ```
    /// Add a headless Service (`clusterIP: None`) named `example` selecting the pod labels.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub CC401 {
        name: "service-not-found",
        severity: Warning,
        fix: None,
        summary: "serviceName names no Service in the input",
    }
}

pub(super) fn is_service(o: &Object) -> bool {
    o.kind == "Service" && o.api_version == "v1"
}

/// CC401, CC402, CC403: the governing Service of each StatefulSet.
pub(super) fn check_services(ctx: &mut Ctx, bundle: &Bundle) {
    let services: Vec<&Object> = bundle.objects.iter().filter(|o| is_service(o)).collect();
    let by_name = by_name(&services);
    // the first Service of each (namespace, name), "" for none: a StatefulSet sees the first
    // Service of its name in its own namespace or in none (see `same_namespace`)
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, s) in services.iter().enumerate() {
        if let Some(n) = s.name {
            by_key.entry((s.namespace.unwrap_or(""), n)).or_insert(i);
        }
    }
    let visible = |sts: &Object, svc: &str| -> Option<&Object> {
        let ns = sts.namespace.unwrap_or("");
        if ns.is_empty() {
            return by_name.get(svc).and_then(|list| list.first().copied());
        }
        let own = by_key.get(&(ns, svc));
        let none = by_key.get(&("", svc));
        let first = match (own, none) {
            (Some(&a), Some(&b)) => Some(a.min(b)),
            (a, b) => a.or(b).copied(),
        };
        first.and_then(|i| services.get(i).copied())
    };
    let names: Vec<&str> = services.iter().filter_map(|s| s.name).collect();
    // Services that govern StatefulSets, each with the StatefulSets it governs.
    let mut governed: Vec<(&Object, Vec<&Object>)> = Vec::new();
    let mut governed_at: HashMap<*const Object, usize> = HashMap::new();
    for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
        let Some(svc) = sts.node.str_at(&["spec", "serviceName"]) else {
            continue;
        };
        if svc.is_empty() {
            continue;
        }
        if let Some(s) = visible(sts, svc) {
            match governed_at.get(&std::ptr::from_ref::<Object>(s)) {
                Some(&i) => governed[i].1.push(sts),
                None => {
                    governed_at.insert(std::ptr::from_ref::<Object>(s), governed.len());
                    governed.push((s, vec![sts]));
                }
            }
            continue;
        }
        let message = if !ctx.wants_details(sts, &CC401) {
            // only counted past the cap; the suggestion still draws on the run's budget
            if !services.is_empty() {
                let _ = names::did_you_mean(svc, names.iter().copied());
            }
            String::new()
        } else if services.is_empty() {
            format!("serviceName `{svc}` names a Service that is not in this input (it holds no Service at all); the pods get stable DNS names only if a headless Service `{svc}` exists")
        } else {
            let mut m = format!(
                "serviceName `{svc}` names no Service in this input (it has {}): without the governing headless Service the pods get no stable DNS names",
                quoted(&names)
            );
            if let Some(g) = names::did_you_mean(svc, names.iter().copied()) {
                m.push_str(&format!("; did you mean `{g}`?"));
            }
            m
        };
        let sev = if services.is_empty() {
            Severity::Hint
        } else {
            Severity::Warning
        };
        ctx.report_as(sts, &CC401, sev, "/spec/serviceName", message, None);
    }
    for (svc, sets) in &governed {
        check_headless(ctx, svc, sets);
        let selector = Selector::of(svc);
        for sts in sets {
            check_selector(ctx, svc, &selector, sts);
        }
    }
}
