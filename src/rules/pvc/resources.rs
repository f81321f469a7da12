//! The storage request and limit of a claim spec: reports CC209 (missing request), CC210 (request not positive) and CC211 (limit below request).

use super::{check_canonical, check_decimal_unit, written, Claim, CC209, CC210, CC211};
use crate::rule::{join, Ctx, Object};
use crate::source::{Node, Value};

// ---------------------------------------------------------------------------------------------
// Storage request and limit (CC209–CC213)

pub(super) fn check_resources(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    let resources = c.spec.and_then(|s| s.get("resources"));
    if resources.is_some_and(|r| r.as_map().is_none() && !r.is_null()) {
        return; // CC004
    }
    let requests = resources.and_then(|r| r.get("requests"));
    let limits = resources.and_then(|r| r.get("limits"));
    if requests.is_some_and(|r| r.as_map().is_none() && !r.is_null()) {
        return; // CC004
    }
    let req_ptr = || c.ptr("/resources/requests/storage");
    let request = requests
        .and_then(|r| r.get("storage"))
        .and_then(|n| written(obj, n));
    let limit = limits
        .filter(|l| l.as_map().is_some())
        .and_then(|l| l.get("storage"))
        .and_then(|n| written(obj, n));
    let storage_present = requests.and_then(|r| r.get("storage")).is_some();
    if !storage_present {
        let mut message = format!(
            "{} requests no storage: `resources.requests.storage` is required",
            c.label()
        );
        let near = requests.and_then(Node::as_map).and_then(|m| {
            m.iter()
                .find(|e| e.key.eq_ignore_ascii_case("storage") || e.key.trim() == "storage")
        });
        if let Some(e) = near {
            message.push_str(&format!(
                " (`{}` is not `storage`: resource names are exact)",
                e.key
            ));
        } else if let Some(m) = c
            .misspelt(c.spec, "", "resources")
            .or_else(|| c.misspelt(resources, "resources.", "requests"))
        {
            message.push_str(&m);
        } else if limit.is_some() {
            message.push_str(
                " (`limits.storage` alone is not enough: the request is the size that gets provisioned)",
            );
        }
        message.push_str(&format!(". {}.", c.consequence));
        ctx.report(obj, &CC209, &req_ptr(), message, None);
    }
    let mut request_ok = false;
    if let Some(r) = &request {
        if let Some(q) = &r.quantity {
            if q.sign() <= 0 {
                let what = match &r.node.value {
                    Value::Null => "`storage: null`, which counts as zero".to_string(),
                    Value::Str(s) if !s.bytes().any(|b| b.is_ascii_digit()) => {
                        format!("`{s}`, which has no digits and counts as zero")
                    }
                    _ if q.is_zero() => format!("`{}`", r.text.trim()),
                    _ => format!("`{}`, a negative size", r.text.trim()),
                };
                let message = format!(
                    "{} requests {what}: the storage request must be greater than zero. {}.",
                    c.label(),
                    c.consequence
                );
                ctx.report(obj, &CC210, &req_ptr(), message, None);
            } else {
                request_ok = true;
            }
        }
    }
    if let Some(l) = &limit {
        if let Some(lq) = &l.quantity {
            let lim_ptr = c.ptr("/resources/limits/storage");
            if lq.sign() < 0 {
                ctx.report(
                    obj,
                    &CC211,
                    &lim_ptr,
                    format!(
                        "{} sets a negative storage limit (`{}`): the API server accepts it, but it means nothing to any provisioner; remove it or make it at least the request",
                        c.label(),
                        l.text.trim()
                    ),
                    None,
                );
            } else if let (true, Some(rq)) = (
                request_ok,
                request.as_ref().and_then(|r| r.quantity.as_ref()),
            ) {
                if lq.cmp_value(rq) == std::cmp::Ordering::Less {
                    ctx.report(
                        obj,
                        &CC211,
                        &lim_ptr,
                        format!(
                            "{}: `limits.storage` (`{}`) is smaller than `requests.storage` (`{}`): the API server accepts it, but no volume can honour both; provisioners use the request",
                            c.label(),
                            l.text.trim(),
                            request.as_ref().map_or("", |r| r.text.trim())
                        ),
                        None,
                    );
                }
            }
        }
    }
    // Stored forms and units of every quantity of the claim's resources.
    for (part, map) in [("requests", requests), ("limits", limits)] {
        let Some(entries) = map.and_then(Node::as_map) else {
            continue;
        };
        for e in entries {
            let Some(w) = written(obj, &e.value) else {
                continue;
            };
            let Some(q) = &w.quantity else { continue };
            let is_request_storage = part == "requests" && e.key == "storage";
            if is_request_storage && q.sign() <= 0 {
                continue; // CC210 explains it
            }
            if w.node.is_null() {
                continue;
            }
            // the quantity's pointer, built only for a finding
            let p = || join(&c.ptr(&format!("/resources/{part}")), &e.key);
            let stable = check_canonical(ctx, obj, &w, q, &p);
            if stable && e.key == "storage" && q.sign() > 0 {
                check_decimal_unit(ctx, obj, &w, q, &p);
            }
        }
    }
}
