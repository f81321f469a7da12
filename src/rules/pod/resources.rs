//! A container's resource requests and limits (CC112).

use super::Scope;
use crate::model::quantity::{self, Quantity};
use crate::rule::join;
use crate::source::{Node, Value};
use std::collections::HashSet;

pub(super) const STANDARD_CONTAINER_RESOURCES: &[&str] = &["cpu", "memory", "ephemeral-storage"];

/// A quantity as the API server reads it; `None` when it does not parse (CC007's business).
pub(super) fn quantity_of(text: &str, n: &Node) -> Option<Quantity> {
    match &n.value {
        Value::Str(s) => Quantity::parse(s).ok(),
        Value::Null => Some(Quantity::zero()),
        Value::Int(_) | Value::Float(_) => {
            quantity::parse_number_text(text.get(n.span.start..n.span.end)?).ok()
        }
        _ => None,
    }
}

/// Native resources (no domain, or a kubernetes.io domain) other than huge pages may be
/// overcommitted: their request may be below their limit.
pub(super) fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    native && !name.starts_with("hugepages-")
}

pub(super) fn is_extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/") && !name.starts_with("requests.")
}

pub(super) fn check_resources(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    let Some(res) = c.get("resources").filter(|r| r.as_map().is_some()) else {
        return;
    };
    let text = s.obj.text;
    let requests = res.get("requests").and_then(Node::as_map).unwrap_or(&[]);
    let limits = res.get("limits").and_then(Node::as_map).unwrap_or(&[]);
    let rptr = format!("{ptr}/resources");
    // ValidateResourceRequirements: huge pages need cpu or memory in the requests or limits.
    let names = || requests.iter().chain(limits.iter()).map(|e| e.key.as_str());
    if names().any(|n| n.starts_with("hugepages-")) && !names().any(|n| n == "cpu" || n == "memory")
    {
        s.report(
            &rptr,
            format!("{who} asks for huge pages without any `cpu` or `memory` request or limit (\"HugePages require cpu or memory\")"),
            None,
        );
    }
    let mut bad_names = HashSet::new();
    for (list, entries) in [("limits", limits), ("requests", requests)] {
        for e in entries {
            let eptr = join(&format!("{rptr}/{list}"), &e.key);
            let name = e.key.as_str();
            if !name.contains('/')
                && !STANDARD_CONTAINER_RESOURCES.contains(&name)
                && !name.starts_with("hugepages-")
            {
                bad_names.insert(name);
                let hint = if name == "storage" {
                    " (a container's disk space is `ephemeral-storage`; persistent storage comes from a claim template's `resources.requests.storage`)"
                } else {
                    ""
                };
                s.report(
                    &eptr,
                    format!("`{name}` in the {list} of {who} is not a container resource: use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an extended resource with a domain prefix{hint}"),
                    None,
                );
                continue;
            }
            let Some(q) = quantity_of(text, &e.value) else {
                continue;
            };
            if q.sign() < 0 {
                s.report(
                    &eptr,
                    format!(
                        "`{name}: {}` in the {list} of {who} is negative; it must be 0 or more",
                        q.canonical()
                    ),
                    None,
                );
            } else if is_extended(name) && q.milli_value().is_some_and(|m| m % 1000 != 0) {
                s.report(
                    &eptr,
                    format!("`{name}: {}` in the {list} of {who} must be a whole number (extended resources are counted in units)", q.canonical()),
                    None,
                );
            }
        }
    }
    for e in requests {
        let name = e.key.as_str();
        if bad_names.contains(name) {
            continue;
        }
        let Some(req) = quantity_of(text, &e.value).filter(|q| q.sign() >= 0) else {
            continue;
        };
        let eptr = join(&format!("{rptr}/requests"), name);
        let limit = limits
            .iter()
            .rev()
            .find(|l| l.key == name)
            .and_then(|l| quantity_of(text, &l.value));
        let order = limit.as_ref().map(|lim| req.cmp_value(lim));
        match (limit, order) {
            (Some(lim), _) if lim.sign() < 0 => {}
            (Some(lim), Some(std::cmp::Ordering::Greater)) if overcommit_allowed(name) => {
                s.report(
                    &eptr,
                    format!(
                        "{who} requests `{name}: {}`, more than its limit `{}`; a request must be less than or equal to the {name} limit",
                        req.canonical(),
                        lim.canonical()
                    ),
                    None,
                );
            }
            (Some(_), _) if overcommit_allowed(name) => {}
            (Some(lim), Some(o)) if o != std::cmp::Ordering::Equal => {
                s.report(
                    &eptr,
                    format!(
                        "{who} requests `{name}: {}` with a limit of `{}`; `{name}` cannot be overcommitted, so its request must equal its limit (or be left out: it then defaults to the limit)",
                        req.canonical(),
                        lim.canonical()
                    ),
                    None,
                );
            }
            (Some(_), _) => {}
            (None, _) if !overcommit_allowed(name) && limits.iter().all(|l| l.key != name) => {
                s.report(
                    &eptr,
                    format!("{who} requests `{name}` without a limit; `{name}` cannot be overcommitted, so set a limit (the request then defaults to it)"),
                    None,
                );
            }
            (None, _) => {}
        }
    }
}
