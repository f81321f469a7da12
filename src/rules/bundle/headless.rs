//! The Service a StatefulSet names: reports CC402 (not headless) and builds its fix.

use super::{sts_list, CC402};
use crate::diagnostic::{Applicability, Fix, Severity};
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Node;

/// CC402: the governing Service must be headless.
pub(super) fn check_headless(ctx: &mut Ctx, svc: &Object, sets: &[&Object]) {
    let name = svc.name.unwrap_or("<unnamed>");
    let spec = svc.node.get("spec");
    let ty = spec
        .and_then(|s| s.str_at(&["type"]))
        .unwrap_or("ClusterIP");
    let ip_node = spec
        .and_then(|s| s.get("clusterIP"))
        .filter(|n| !n.is_null());
    let ip = ip_node.and_then(Node::as_str);
    if ip == Some("None") && ty == "ClusterIP" {
        return;
    }
    let who = sts_list(sets);
    let recreate = "A Service's cluster IP cannot be changed in place (the API server answers `field is immutable`): delete the Service and create it again";
    let (message, rel) = match ty {
        "ExternalName" => (
            format!("Service `{name}` governs {who} but is of type ExternalName: it is a DNS alias, not a headless Service, so the pods get no per-pod DNS names. Point serviceName at a headless Service (`clusterIP: None`) instead"),
            "/spec/type",
        ),
        "NodePort" | "LoadBalancer" => (
            format!("Service `{name}` governs {who} but is of type {ty}, which cannot be headless: the pods get no per-pod DNS names (`<pod>.{name}`). Keep this Service for outside access under another name and add a headless Service (`clusterIP: None`) for the StatefulSet"),
            "/spec/type",
        ),
        _ => {
            let what = match ip {
                None => "has no `clusterIP: None`".to_string(),
                Some("") => "has an empty `clusterIP`".to_string(),
                Some(s) if s.eq_ignore_ascii_case("none") => format!(
                    "has `clusterIP: {s}`, but only `None` (with a capital N) makes a Service headless"
                ),
                Some(s) => format!("has the cluster IP `{s}`"),
            };
            (
                format!("Service `{name}` governs {who} but is not headless: it {what}, so its DNS name resolves to one load-balanced IP and the pods get no per-pod DNS names (`<pod>.{name}`). Set `clusterIP: None`. {recreate}"),
                "/spec/clusterIP",
            )
        }
    };
    let fix_ = if rel == "/spec/clusterIP" && spec.and_then(|s| s.get("clusterIPs")).is_none() {
        spec.and_then(|s| headless_fix(svc, s))
    } else {
        None
    };
    // Per-pod names matter for peers finding each other; a single replica has no peers.
    let single = sets.iter().all(|s| {
        s.node
            .path(&["spec", "replicas"])
            .and_then(Node::as_i64)
            .unwrap_or(1)
            <= 1
    });
    if single {
        let message = format!("{message}. (With a single replica this only matters to software that resolves its own per-pod name.)");
        ctx.report_as(svc, &CC402, Severity::Hint, rel, message, fix_);
    } else {
        ctx.report(svc, &CC402, rel, message, fix_);
    }
}

pub(super) fn headless_fix(svc: &Object, spec: &Node) -> Option<Fix> {
    let path = svc.ptr("/spec/clusterIP");
    let value = serde_json::Value::String("None".into());
    let (edit, op) = match spec.get("clusterIP") {
        Some(n) => (
            fix::replace_string(svc.text, n, "None")?,
            PatchOp::Replace { path, value },
        ),
        None => (
            fix::add_entry(
                svc.text,
                spec,
                "clusterIP",
                if fix::is_json_style(svc.text, spec) {
                    "\"None\""
                } else {
                    "None"
                },
            )?,
            PatchOp::Add { path, value },
        ),
    };
    crate::fix::make(
        &CC402,
        Applicability::Unsafe,
        "Make the Service headless (`clusterIP: None`; a live Service must be recreated)",
        vec![edit],
        vec![op],
    )
}
