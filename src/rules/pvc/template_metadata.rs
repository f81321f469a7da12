//! A claim template's metadata: its name (CC203, CC204) and the fields the controller ignores or that pin a volume (CC217, CC218).

use super::name_problem;
use super::{finish, label_candidate, short, CC203, CC217, CC218};
use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::names;
use crate::model::workload::{claim_templates, containers, template_name};
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Node;

/// A key of `map` that looks like a misspelling of `wanted` (CC003 reports it as unknown).
pub(super) fn misspelt_key<'a>(
    map: Option<&'a Node>,
    wanted: &str,
    known: &[&str],
) -> Option<&'a str> {
    map?.as_map()?.iter().map(|e| e.key.as_str()).find(|k| {
        *k != wanted
            && !known.contains(k)
            && names::did_you_mean(k, std::iter::once(wanted)).is_some()
    })
}

pub(super) fn check_template_name(
    ctx: &mut Ctx,
    obj: &Object,
    tpl: &Node,
    i: usize,
    name: &str,
    consequence: &str,
) {
    let sts = obj.node;
    let label_errs = names::dns1123_label(name);
    let start = sts
        .path(&["spec", "ordinals", "start"])
        .and_then(Node::as_i64)
        .unwrap_or(0);
    let replicas = sts
        .path(&["spec", "replicas"])
        .and_then(Node::as_i64)
        .unwrap_or(1);
    let ordinal = names::largest_ordinal(start.max(0), replicas);
    let sts_name = obj.name.unwrap_or("");
    // A faulty StatefulSet name is CC108's; only judge the claim name when it is fine.
    let claim_errs = if !sts_name.is_empty() && names::statefulset_name(sts_name).is_empty() {
        names::persistent_volume_claim_name(&names::claim_name(name, sts_name, ordinal))
    } else {
        Vec::new()
    };
    if label_errs.is_empty() && claim_errs.is_empty() {
        return;
    }
    let shown = short(name);
    let claim = names::claim_name(name, sts_name, ordinal);
    let mut message = if !label_errs.is_empty() {
        let why = name_problem(name, false, names::DNS1123_LABEL_MAX_LENGTH)
            .unwrap_or_else(|| label_errs.join("; "));
        let mut m = format!(
            "claim template name `{shown}` cannot name the pod volume the controller adds for it: a volume name is a DNS-1123 label, and this one {why}"
        );
        if !claim_errs.is_empty() {
            m.push_str(&format!(
                "; the claim names it makes (`{}` for ordinal {ordinal}) are invalid too",
                short(&claim)
            ));
        }
        m
    } else {
        let why = name_problem(&claim, true, names::DNS1123_SUBDOMAIN_MAX_LENGTH)
            .unwrap_or_else(|| claim_errs.join("; "));
        format!(
            "claim template name `{shown}` makes the claim name `{}` for ordinal {ordinal}, which is not a valid PersistentVolumeClaim name: it {why}",
            short(&claim)
        )
    };
    message = finish(message, consequence);
    let fix_ = label_candidate(name).and_then(|to| {
        message.push_str(&format!(" Did you mean `{to}`?"));
        rename_template_fix(obj, tpl, i, name, &to)
    });
    ctx.report(
        obj,
        &CC203,
        &format!("/spec/volumeClaimTemplates/{i}/metadata/name"),
        message,
        fix_,
    );
}

/// Renames a template and every volumeMount/volumeDevice that uses its name.
pub(super) fn rename_template_fix(
    obj: &Object,
    tpl: &Node,
    i: usize,
    from: &str,
    to: &str,
) -> Option<Fix> {
    let sts = obj.node;
    // The new name must be free: no other template or pod volume may have it.
    let taken_by_template = claim_templates(sts)
        .iter()
        .any(|(j, t)| *j != i && template_name(t) == Some(to));
    let taken_by_volume = sts
        .path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .any(|v| v.str_at(&["name"]) == Some(to));
    if taken_by_template || taken_by_volume {
        return None;
    }
    let name_node = tpl.path(&["metadata", "name"])?;
    let mut edits = vec![fix::replace_string(obj.text, name_node, to)?];
    let mut patch = vec![PatchOp::Replace {
        path: obj.ptr(&format!("/spec/volumeClaimTemplates/{i}/metadata/name")),
        value: serde_json::Value::String(to.into()),
    }];
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (cptr, c) in containers(pod) {
            for list in ["volumeMounts", "volumeDevices"] {
                for (j, m) in c
                    .get(list)
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let Some(n) = m.get("name") else { continue };
                    if n.as_str() != Some(from) {
                        continue;
                    }
                    edits.push(fix::replace_string(obj.text, n, to)?);
                    patch.push(PatchOp::Replace {
                        path: obj.ptr(&format!("/spec/template/spec{cptr}/{list}/{j}/name")),
                        value: serde_json::Value::String(to.into()),
                    });
                }
            }
        }
    }
    crate::fix::make(
        &CC203,
        Applicability::Unsafe,
        format!("Rename the claim template `{from}` to `{to}`, with its mounts"),
        edits,
        patch,
    )
}

// ---------------------------------------------------------------------------------------------
// Template metadata and leftovers of live claims (CC217, CC218)

pub(super) fn check_template_extras(
    ctx: &mut Ctx,
    obj: &Object,
    tpl: &Node,
    ptr: &str,
    name: Option<&str>,
    i: usize,
) {
    let label = match name {
        Some(n) => format!("claim template `{n}`"),
        None => format!("claim template {i}"),
    };
    if let Some(meta) = tpl.get("metadata") {
        if let Some((k, e)) = meta.as_map().and_then(|m| {
            m.iter()
                .enumerate()
                .rev()
                .find(|(_, e)| e.key == "namespace")
        }) {
            let ns = e.value.as_str().unwrap_or("");
            // the same namespace as the StatefulSet's: redundant, but it says nothing wrong
            let same = obj.namespace.is_some_and(|own| own == ns);
            if !e.value.is_null() && !ns.is_empty() && !same {
                let where_ = match obj.namespace {
                    Some(own) if !own.is_empty() => format!(" (`{own}`), not in `{ns}`"),
                    _ => format!(", wherever it is applied, not in `{ns}`"),
                };
                let message = format!(
                    "{label} sets `metadata.namespace`, which the controller ignores: the claims are always created in the StatefulSet's namespace{where_}"
                );
                let fix_ = fix::removal(
                    &CC217,
                    obj.text,
                    meta,
                    k,
                    obj.ptr(&format!("{ptr}/metadata/namespace")),
                    Applicability::Safe,
                    "Remove the ignored `metadata.namespace`",
                );
                ctx.report(
                    obj,
                    &CC217,
                    &format!("{ptr}/metadata/namespace"),
                    message,
                    fix_,
                );
            }
        }
    }
    let replicas = obj
        .node
        .path(&["spec", "replicas"])
        .and_then(Node::as_i64)
        .unwrap_or(1);
    if let Some(spec) = tpl.get("spec") {
        if let Some((k, e)) = spec.as_map().and_then(|m| {
            m.iter()
                .enumerate()
                .rev()
                .find(|(_, e)| e.key == "volumeName")
        }) {
            if let Some(pv) = e.value.as_str().filter(|s| !s.is_empty()) {
                let effect = if replicas > 1 {
                    format!("with {replicas} replicas, one claim binds it and the others stay Pending, and so do their pods")
                } else {
                    "it works for one replica, but as soon as the StatefulSet scales up the new claims stay Pending, and so do their pods".to_string()
                };
                let message = format!(
                    "{label} pins `volumeName: {pv}`: every replica's claim asks for that one PersistentVolume, and a volume binds to a single claim; {effect}. Let a StorageClass provision a volume per replica, or select pre-provisioned volumes with a `selector`"
                );
                let fix_ = fix::removal(
                    &CC218,
                    obj.text,
                    spec,
                    k,
                    obj.ptr(&format!("{ptr}/spec/volumeName")),
                    Applicability::Unsafe,
                    "Remove `volumeName` from the claim template",
                );
                ctx.report(
                    obj,
                    &CC218,
                    &format!("{ptr}/spec/volumeName"),
                    message,
                    fix_,
                );
            }
        }
    }
    if let Some((k, e)) = tpl
        .as_map()
        .and_then(|m| m.iter().enumerate().rev().find(|(_, e)| e.key == "status"))
    {
        if status_from_live_claim(&e.value) {
            let pinned = tpl.path(&["spec", "volumeName"]).is_some();
            let message = format!(
                "{label} carries the `status` of a live claim: the API server drops it when it creates the claims, so it only misleads readers{}",
                if pinned {
                    ""
                } else {
                    "; check that nothing else of the live claim (a `volumeName`, its annotations) was copied in"
                }
            );
            let fix_ = fix::removal(
                &CC218,
                obj.text,
                tpl,
                k,
                obj.ptr(&format!("{ptr}/status")),
                Applicability::Unsafe,
                "Remove `status` from the claim template",
            );
            ctx.report(obj, &CC218, &format!("{ptr}/status"), message, fix_);
        }
    }
}

/// A template status that holds more than the `phase: Pending` the API server writes into
/// every stored claim template (what `kubectl get statefulset -o yaml` shows).
pub(super) fn status_from_live_claim(status: &Node) -> bool {
    match status.as_map() {
        Some(entries) => entries.iter().any(|e| match e.key.as_str() {
            "phase" => e.value.as_str().is_some_and(|p| p != "Pending"),
            _ => !e.value.is_null(),
        }),
        None => false,
    }
}
