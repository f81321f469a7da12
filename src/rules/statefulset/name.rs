//! A StatefulSet's name: reports CC108 (not a valid name) and CC110 (too long for its pods' names).

use super::{CC108, CC110, LONG_NAME, POD_NAME_MAX, REJECTS};
use crate::model::enums::label_suggestion;
use crate::model::names;
use crate::model::selector::mask_trailing_dash;
use crate::model::workload::template_consequence;
use crate::rule::{Ctx, Object};
use crate::source::Node;

// ---------------------------------------------------------------------------------------------
// CC108, CC110: the name

pub(super) fn check_name(ctx: &mut Ctx, obj: &Object) {
    let v = ctx.options.kubernetes_version;
    let meta = obj.node.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Node::as_str);
    let generate = meta
        .and_then(|m| m.get("generateName"))
        .and_then(Node::as_str);
    // The name the pods derive from, and where it is written.
    let (base, ptr, prefix) = match (name, generate) {
        (Some(n), _) if !n.is_empty() => {
            let errs = names::statefulset_name(n);
            if !errs.is_empty() {
                let mut message = format!(
                    "StatefulSet name `{n}` is not a valid DNS-1123 label: {}",
                    errs.join("; ")
                );
                if let Some(s) = label_suggestion(n) {
                    message.push_str(&format!("; for example `{s}`"));
                }
                message.push_str(&format!(". {REJECTS}"));
                ctx.report(obj, &CC108, "/metadata/name", message, None);
                return;
            }
            (n.to_string(), "/metadata/name", None)
        }
        (_, Some(g)) if !g.is_empty() => {
            let errs = names::statefulset_name(&mask_trailing_dash(g));
            if !errs.is_empty() {
                ctx.report(
                    obj,
                    &CC108,
                    "/metadata/generateName",
                    format!(
                        "`generateName` `{g}` is not a valid prefix for a StatefulSet name (a DNS-1123 label, which may end in `-` here): {}. {REJECTS}",
                        errs.join("; ")
                    ),
                    None,
                );
                return;
            }
            // The API server keeps at most 58 characters of the prefix and appends 5.
            let kept: String = g.chars().take(58).collect();
            (format!("{kept}xxxxx"), "/metadata/generateName", Some(g))
        }
        _ => return, // CC006
    };
    let spec = obj.node.get("spec");
    let replicas = spec.map_or(Some(1), |s| match s.get("replicas") {
        None => Some(1),
        Some(r) if r.is_null() => Some(1),
        Some(r) => r.as_i64(),
    });
    let start = spec.map_or(Some(0), |s| match s.path(&["ordinals", "start"]) {
        None => Some(0),
        Some(r) if r.is_null() => Some(0),
        Some(r) => r.as_i64(),
    });
    let (Some(replicas), Some(start)) = (replicas, start) else {
        return;
    };
    if replicas < 0 || start < 0 {
        return; // CC103
    }
    let largest = names::largest_ordinal(start, replicas);
    let pod = names::pod_name(&base, largest);
    let name_desc = match prefix {
        Some(g) => format!("named from `generateName: {g}`"),
        None => format!("`{base}`"),
    };
    if pod.len() > POD_NAME_MAX {
        let first = names::pod_name(&base, start);
        let mut message = if first.len() > POD_NAME_MAX {
            format!(
                "the pods of StatefulSet {name_desc} would be named like `{first}` ({} characters), but a pod's hostname and its `statefulset.kubernetes.io/pod-name` label allow at most {POD_NAME_MAX}: the controller cannot create any pod. {}.",
                first.len(),
                template_consequence(v, "pod")
            )
        } else {
            // The first ordinal whose name is too long.
            let digits_room = POD_NAME_MAX.saturating_sub(base.len() + 1);
            let first_bad = 10i64.checked_pow(digits_room as u32).unwrap_or(i64::MAX);
            format!(
                "pod `{pod}` of StatefulSet {name_desc} ({} replicas from ordinal {start}) has {} characters, but a pod's hostname and its `statefulset.kubernetes.io/pod-name` label allow at most {POD_NAME_MAX}: the controller cannot create the pods from ordinal {first_bad} on.",
                replicas,
                pod.len()
            )
        };
        message.push_str(&format!(
            " Use a name of at most {} characters.",
            POD_NAME_MAX.saturating_sub(1 + largest.to_string().len())
        ));
        ctx.report(obj, &CC108, ptr, message, None);
        return;
    }
    if prefix.is_none() && base.len() > LONG_NAME {
        ctx.report(
            obj,
            &CC110,
            ptr,
            format!(
                "StatefulSet name `{base}` has {} characters: the controller labels each pod `controller-revision-hash: {base}-<hash>` with a hash of up to 10 characters, and a label value may have at most 63, so pod creation fails for most revisions (Kubernetes accepts the StatefulSet itself; kubernetes/kubernetes#64023). Use a name of at most {LONG_NAME} characters.",
                base.len()
            ),
            None,
        );
    }
}
