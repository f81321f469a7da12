//! spec.serviceName: reports CC111 and builds its fix.

use super::{all_known, CC109, CC111, SPEC_FIELDS};
use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::enums::label_suggestion;
use crate::model::names;
use crate::model::workload::template_consequence;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

// ---------------------------------------------------------------------------------------------
// CC109, CC111: serviceName

pub(super) fn check_service_name(ctx: &mut Ctx, obj: &Object) {
    let v = ctx.options.kubernetes_version;
    let spec = obj.node.get("spec");
    let node = spec.and_then(|s| s.get("serviceName"));
    if let Some(n) = node {
        if !matches!(n.value, Value::Str(_) | Value::Null) {
            return; // CC004
        }
    }
    match node.and_then(Node::as_str).filter(|s| !s.is_empty()) {
        Some(sn) => {
            let errs = names::dns1123_label(sn);
            if errs.is_empty() {
                return;
            }
            let mut message = format!(
                "`serviceName` `{sn}` is not a valid DNS-1123 label: {}",
                errs.join("; ")
            );
            let first = sn.split('.').next().unwrap_or("");
            if sn.contains('.') && names::dns1123_label(first).is_empty() {
                message.push_str(&format!(
                    " (did you mean `{first}`? The governing Service is named without its namespace or domain)"
                ));
            } else if let Some(s) = label_suggestion(sn) {
                message.push_str(&format!(" (did you mean `{s}`?)"));
            }
            message.push_str(&format!(
                ". The controller sets each pod's `subdomain` to it, and pod validation rejects that. {}.",
                template_consequence(v, "pod")
            ));
            ctx.report(obj, &CC109, "/spec/serviceName", message, None);
        }
        None => {
            let Some(spec) = spec.filter(|s| s.as_map().is_some()) else {
                return;
            };
            let name = obj
                .name
                .filter(|n| !n.is_empty() && names::dns1123_label(n).is_empty());
            let fix_ = name.and_then(|n| service_name_fix(obj, spec, node, n));
            ctx.report(
                obj,
                &CC111,
                "/spec/serviceName",
                "the StatefulSet has no `serviceName`: its pods get no stable DNS names (such as `<pod>.<service>.<namespace>.svc`), which peers in a clustered database usually rely on. The field cannot be changed later; name a headless Service here.",
                fix_,
            );
        }
    }
}

pub(super) fn service_name_fix(
    obj: &Object,
    spec: &Node,
    node: Option<&Node>,
    name: &str,
) -> Option<Fix> {
    let text = obj.text;
    let (edit, op) = match node {
        Some(n) => (
            fix::replace_string(text, n, name)?,
            PatchOp::Replace {
                path: obj.ptr("/spec/serviceName"),
                value: serde_json::Value::String(name.into()),
            },
        ),
        None => {
            if !all_known(spec, SPEC_FIELDS) {
                return None;
            }
            let v = if fix::is_json_style(text, spec) {
                fix::json_string(name)
            } else {
                fix::yaml_string(name)
            };
            (
                fix::add_entry(text, spec, "serviceName", &v)?,
                PatchOp::Add {
                    path: obj.ptr("/spec/serviceName"),
                    value: serde_json::Value::String(name.into()),
                },
            )
        }
    };
    crate::fix::make(
        &CC111,
        Applicability::Unsafe,
        format!("Set `serviceName: {name}` (a headless Service of that name must exist)"),
        vec![edit],
        vec![op],
    )
}
