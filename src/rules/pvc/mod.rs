//! Claim spec rules (CC203–CC218): each StatefulSet claim template and each standalone PVC.
//!
//! A claim template becomes a PersistentVolumeClaim when the StatefulSet controller creates a
//! pod: the claim goes through the same API server code as a claim you submit yourself
//! (defaulting, the registry strategy, validation). So the checks of the claim spec are shared;
//! only the consequence differs (the API server rejects a standalone claim; a template is
//! accepted with its StatefulSet and every claim creation fails, until Kubernetes 1.34 checks
//! templates up front).

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::fix;
use crate::model::names;
use crate::model::quantity::{self, Quantity};
use crate::model::workload::{claim_templates, containers, template_name};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{join, Ctx, Object};
use crate::source::{Node, Span, Style, Value};

mod access_mode_duplicate;
mod access_mode_invalid;
mod access_modes_missing;
mod decimal_storage_unit;
mod invalid_data_source;
mod invalid_storage_class_name;
mod invalid_volume_mode;
mod non_canonical_quantity;
mod read_write_once_pod_exclusive;
mod storage_limit_below_request;
mod storage_request_missing;
mod storage_request_not_positive;
mod template_name_duplicate;
mod template_name_invalid;
mod template_namespace_ignored;
mod template_pins_volume;

pub use access_mode_duplicate::CC207;
pub use access_mode_invalid::CC206;
pub use access_modes_missing::CC205;
use decimal_storage_unit::check_decimal_unit;
pub use decimal_storage_unit::CC213;
use invalid_data_source::check_data_source;
pub use invalid_data_source::CC215;
use invalid_storage_class_name::check_storage_class;
pub use invalid_storage_class_name::CC216;
use invalid_volume_mode::check_volume_mode;
pub use invalid_volume_mode::CC214;
use non_canonical_quantity::check_canonical;
pub use non_canonical_quantity::CC212;
pub use read_write_once_pod_exclusive::CC208;
pub use storage_limit_below_request::CC211;
pub use storage_request_missing::CC209;
pub use storage_request_not_positive::CC210;
use template_name_duplicate::check_statefulset;
pub use template_name_duplicate::CC204;
use template_name_invalid::label_candidate;
pub use template_name_invalid::CC203;
pub use template_namespace_ignored::CC217;
pub use template_pins_volume::CC218;

pub const RULES: &[RuleMeta] = &[
    CC203, CC204, CC205, CC206, CC207, CC208, CC209, CC210, CC211, CC212, CC213, CC214, CC215,
    CC216, CC217, CC218,
];

/// The access modes validation supports.
pub const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

const RWOP: &str = "ReadWriteOncePod";

/// One claim spec to check: a claim template's or a standalone claim's.
struct Claim<'a> {
    /// Object-relative pointer of the spec (`/spec` or `/spec/volumeClaimTemplates/N/spec`).
    base: String,
    spec: Option<&'a Node>,
    /// The mapping that holds `spec` (the claim, or the template).
    holder: &'a Node,
    /// How messages name it: "claim template `data`", "PersistentVolumeClaim `data`".
    label: String,
    /// What an error means, as a sentence without the final period.
    consequence: String,
    /// CC201 fires for these top-level template fields: their faults are its to explain.
    misplaced_access_modes: bool,
    misplaced_resources: bool,
}

impl Claim<'_> {
    fn ptr(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }

    /// Where a missing field probably went: a misspelt `spec`, or a misspelt field in it.
    fn misspelt(&self, parent: Option<&Node>, parent_name: &str, field: &str) -> Option<String> {
        if self.spec.is_none() {
            let k = misspelt_key(Some(self.holder), "spec", &["status", "kind"])?;
            return Some(format!(
                " (the spec is under `{k}`, which is not a field: `spec`?)"
            ));
        }
        let k = misspelt_key(parent, field, PVC_FIELDS)?;
        Some(format!(
            " (`{parent_name}{k}` is not a field; `{field}` is probably meant)"
        ))
    }
}

/// Fields of a PVC spec and of `resources`, which are not misspellings of each other.
const PVC_FIELDS: &[&str] = &[
    "accessModes",
    "resources",
    "storageClassName",
    "volumeMode",
    "volumeName",
    "selector",
    "dataSource",
    "dataSourceRef",
    "volumeAttributesClassName",
    "requests",
    "limits",
    "claims",
];

pub fn check(ctx: &mut Ctx, obj: &Object) {
    if obj.is_statefulset() {
        check_statefulset(ctx, obj);
    } else if obj.is_pvc() {
        let spec = obj.node.get("spec");
        if spec.is_some_and(|s| s.as_map().is_none() && !s.is_null()) {
            return; // CC004
        }
        let label = match obj.name {
            Some(n) if !n.is_empty() => format!("PersistentVolumeClaim `{n}`"),
            _ => "the PersistentVolumeClaim".to_string(),
        };
        let claim = Claim {
            base: "/spec".into(),
            spec: spec.filter(|s| !s.is_null()),
            holder: obj.node,
            label,
            consequence: "The API server rejects the claim".into(),
            misplaced_access_modes: false,
            misplaced_resources: false,
        };
        check_spec(ctx, obj, &claim);
    }
}

fn check_spec(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    if !c.misplaced_access_modes {
        check_access_modes(ctx, obj, c);
    }
    if !c.misplaced_resources {
        check_resources(ctx, obj, c);
    }
    let Some(spec) = c.spec else { return };
    check_volume_mode(ctx, obj, c, spec);
    check_storage_class(ctx, obj, c, spec);
    check_data_source(ctx, obj, c, spec);
}

/// Ends a message with what the fault means.
fn finish(mut message: String, consequence: &str) -> String {
    if !message.ends_with(['?', '.']) {
        message.push('.');
    }
    message.push(' ');
    message.push_str(consequence);
    message.push('.');
    message
}

/// A name shortened for messages.
fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// What is wrong with a DNS-1123 label (or, with `dots`, subdomain), in a few words
/// ("contains upper-case letters"); `None` when nothing is.
fn name_problem(s: &str, dots: bool, max: usize) -> Option<String> {
    let mut why = Vec::new();
    if s.is_empty() {
        return Some("is empty".into());
    }
    let len = s.chars().count();
    if len > max {
        why.push(format!("is {len} characters long, more than {max}"));
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        why.push("contains upper-case letters".into());
    }
    if !dots && s.contains('.') {
        why.push("contains dots".into());
    }
    let mut odd: Vec<char> = s
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
        .collect();
    odd.sort_unstable();
    odd.dedup();
    if !odd.is_empty() {
        let list: Vec<String> = odd.iter().map(|c| format!("`{c}`")).collect();
        why.push(format!(
            "contains {} (only lower-case letters, digits{} and `-` are allowed)",
            list.join(", "),
            if dots { ", `.`" } else { "" }
        ));
    }
    let parts: Vec<&str> = if dots {
        s.split('.').collect()
    } else {
        vec![s]
    };
    if parts.iter().any(|p| p.starts_with('-') || p.ends_with('-')) {
        why.push("starts or ends with `-`".into());
    }
    if parts.iter().any(|p| p.is_empty()) {
        why.push("starts or ends with a dot, or has two in a row".into());
    }
    if why.is_empty() {
        None
    } else {
        Some(join_and(&why))
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A key of `map` that looks like a misspelling of `wanted` (CC003 reports it as unknown).
fn misspelt_key<'a>(map: Option<&'a Node>, wanted: &str, known: &[&str]) -> Option<&'a str> {
    map?.as_map()?.iter().map(|e| e.key.as_str()).find(|k| {
        *k != wanted
            && !known.contains(k)
            && names::did_you_mean(k, std::iter::once(wanted)).is_some()
    })
}

fn check_template_name(
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
fn rename_template_fix(obj: &Object, tpl: &Node, i: usize, from: &str, to: &str) -> Option<Fix> {
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
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Rename the claim template `{from}` to `{to}`, with its mounts"),
        edits,
        patch,
    })
}

// ---------------------------------------------------------------------------------------------
// Template metadata and leftovers of live claims (CC217, CC218)

fn check_template_extras(
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
fn status_from_live_claim(status: &Node) -> bool {
    match status.as_map() {
        Some(entries) => entries.iter().any(|e| match e.key.as_str() {
            "phase" => e.value.as_str().is_some_and(|p| p != "Pending"),
            _ => !e.value.is_null(),
        }),
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Access modes (CC205–CC208)

/// What an invalid access mode most likely meant, and whether that is certain.
fn suggest_access_mode(s: &str) -> Option<(&'static str, bool)> {
    let t = s.trim();
    if let Some(m) = ACCESS_MODES.iter().find(|m| m.eq_ignore_ascii_case(t)) {
        return Some((m, true));
    }
    let short = match t.to_ascii_lowercase().as_str() {
        "rwo" => Some("ReadWriteOnce"),
        "rox" | "rom" | "ro" => Some("ReadOnlyMany"),
        "rwx" | "rwm" => Some("ReadWriteMany"),
        "rwop" => Some(RWOP),
        _ => None,
    };
    if let Some(m) = short {
        return Some((m, false));
    }
    let squeezed: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .collect();
    if let Some(m) = ACCESS_MODES
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&squeezed))
    {
        return Some((m, false));
    }
    names::did_you_mean(t, ACCESS_MODES.iter().copied()).map(|m| (m, false))
}

/// Modes written as one string: `ReadWriteOnce,ReadOnlyMany`.
fn split_access_modes(s: &str) -> Option<Vec<&'static str>> {
    if !s.contains(',') {
        return None;
    }
    s.split(',')
        .map(|p| {
            let p = p.trim();
            ACCESS_MODES.iter().copied().find(|m| *m == p).or_else(|| {
                suggest_access_mode(p)
                    .filter(|(_, safe)| *safe)
                    .map(|(m, _)| m)
            })
        })
        .collect()
}

/// Writes a string in the quoting style of `like` (a scalar of the same sequence).
fn scalar_like(like: &Node, s: &str) -> String {
    match like.style {
        Style::DoubleQuoted => fix::json_string(s),
        Style::SingleQuoted if !s.contains('\'') => format!("'{s}'"),
        _ => fix::yaml_string(s),
    }
}

/// Removes item `index` of a sequence with the whole line it takes (block) or with its
/// separator (flow). `None` when that cannot be done cleanly.
fn remove_item(text: &str, seq: &Node, index: usize) -> Option<TextEdit> {
    if seq.copied {
        return None;
    }
    let items = seq.as_seq()?;
    let item = items.get(index)?;
    if item.copied || items.len() < 2 {
        return None;
    }
    match seq.style {
        Style::Flow => {
            if let Some(next) = items.get(index + 1) {
                Some(TextEdit::delete(Span::new(
                    item.span.start,
                    next.span.start,
                )))
            } else {
                let prev = items.get(index.checked_sub(1)?)?;
                Some(TextEdit::delete(Span::new(prev.span.end, item.span.end)))
            }
        }
        Style::Block => {
            let start = fix::line_start(text, item.span.start);
            let before = text.get(start..item.span.start)?;
            if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n') {
                return None;
            }
            let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
            Some(TextEdit::delete(Span::new(start, end)))
        }
        _ => None,
    }
}

/// One access-mode finding and its fix, before the fixes of one list are reconciled.
struct ItemFinding {
    rule: &'static RuleMeta,
    pointer: String,
    message: String,
    fix: Option<Fix>,
    /// The fix adds or removes list items, moving the indices of later items.
    shifts: bool,
}

fn check_access_modes(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    let text = obj.text;
    let ptr = c.ptr("/accessModes");
    let node = c.spec.and_then(|s| s.get("accessModes"));
    let items = match node.map(|n| &n.value) {
        None | Some(Value::Null) => None,
        Some(Value::Seq(items)) => Some(items.as_slice()),
        Some(_) => return, // CC004
    };
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        let what = if node.is_some_and(|n| n.as_seq().is_some()) {
            "an empty `accessModes` list"
        } else {
            "no `accessModes`"
        };
        let near = c.misspelt(c.spec, "", "accessModes");
        let message = format!(
            "{} has {what}{}: at least one access mode is required (usually `ReadWriteOnce`). {}.",
            c.label,
            near.as_deref().unwrap_or(""),
            c.consequence
        );
        // With a misspelt field, renaming it (CC003) is the fix; adding one would duplicate it.
        let fix_ = if near.is_some() {
            None
        } else {
            add_access_modes_fix(obj, c, node)
        };
        ctx.report(obj, &CC205, &ptr, message, fix_);
        return;
    };
    let seq = node.unwrap_or(&items[0]);
    let mut findings: Vec<ItemFinding> = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rwop = false;
    let mut others: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let s = match &item.value {
            Value::Str(s) => s.as_str(),
            Value::Null => "",
            _ => continue, // CC004
        };
        let ip = format!("{ptr}/{i}");
        if ACCESS_MODES.contains(&s) {
            if s == RWOP {
                rwop = true;
            } else if !others.contains(&s) {
                others.push(s);
            }
            if let Some(&f) = seen.get(s) {
                let message = format!(
                    "{} lists access mode `{s}` twice (first as item {f}): the repeat has no effect",
                    c.label
                );
                let fix_ = remove_item(text, seq, i).map(|edit| Fix {
                    applicability: Applicability::Safe,
                    title: format!("Remove the repeated `{s}`"),
                    edits: vec![edit],
                    patch: vec![PatchOp::Remove { path: obj.ptr(&ip) }],
                });
                findings.push(ItemFinding {
                    rule: &CC207,
                    pointer: ip,
                    message,
                    fix: fix_,
                    shifts: true,
                });
            } else {
                seen.insert(s, i);
            }
            continue;
        }
        let shown = if s.is_empty() {
            "an empty access mode".to_string()
        } else {
            format!("access mode `{s}`")
        };
        let mut message = format!("{}: {shown} is not supported", c.label);
        let mut fix_ = None;
        let mut shifts = false;
        if let Some(parts) = split_access_modes(s) {
            message.push_str(&format!(
                ": each mode is its own list item: {}",
                parts
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            fix_ = split_fix(obj, seq, i, item, &ip, &parts);
            shifts = true;
        } else if let Some((m, safe)) = suggest_access_mode(s) {
            let lower = s.trim().to_ascii_lowercase();
            if ["rwo", "rox", "rwx", "rwop"].contains(&lower.as_str()) {
                message.push_str(&format!(
                    " (`{}` is the short form `kubectl get pvc` prints; the API takes `{m}`)",
                    s.trim()
                ));
            } else {
                message.push_str(&format!("; did you mean `{m}`?"));
            }
            fix_ = fix::replace_string(text, item, m).map(|edit| Fix {
                applicability: if safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                title: format!("Write `{m}`"),
                edits: vec![edit],
                patch: vec![PatchOp::Replace {
                    path: obj.ptr(&ip),
                    value: serde_json::Value::String(m.into()),
                }],
            });
        } else {
            message.push_str(
                ": use `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`",
            );
        }
        let message = finish(message, &c.consequence);
        findings.push(ItemFinding {
            rule: &CC206,
            pointer: ip,
            message,
            fix: fix_,
            shifts,
        });
    }
    if rwop && !others.is_empty() {
        let list = others
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "{} combines `ReadWriteOncePod` with {list}: `ReadWriteOncePod` (one pod only) must be the only access mode. {}.",
            c.label, c.consequence
        );
        let fix_ = keep_rwop_fix(obj, seq, items, &ptr);
        ctx.report(obj, &CC208, &ptr, message, fix_);
    }
    // Fixes of one round are applied together and their patches in order: after a fix that
    // adds or removes an item, the pointers of later items are stale. Keep later fixes for
    // the next round.
    let mut shifted = false;
    for f in findings {
        let fix_ = if shifted { None } else { f.fix };
        if f.shifts && fix_.is_some() {
            shifted = true;
        }
        ctx.report(obj, f.rule, &f.pointer, f.message, fix_);
    }
}

/// `[ReadWriteOnce]` where access modes are missing or empty.
fn add_access_modes_fix(obj: &Object, c: &Claim, node: Option<&Node>) -> Option<Fix> {
    let text = obj.text;
    let spec = c.spec?;
    let json = fix::is_json_style(text, spec) || text.trim_start().starts_with('{');
    let value = if json {
        "[\"ReadWriteOnce\"]"
    } else {
        "[ReadWriteOnce]"
    };
    let path = obj.ptr(&c.ptr("/accessModes"));
    let (edit, op) = match node {
        // `{}` in a JSON document: the key must be quoted too
        None if json && spec.style == Style::Flow && spec.as_map()?.is_empty() => (
            TextEdit::insert(spec.span.start + 1, format!("\"accessModes\": {value}")),
            PatchOp::Add {
                path,
                value: serde_json::json!(["ReadWriteOnce"]),
            },
        ),
        None => (
            fix::add_entry(text, spec, "accessModes", value)?,
            PatchOp::Add {
                path,
                value: serde_json::json!(["ReadWriteOnce"]),
            },
        ),
        Some(n) if n.copied => return None,
        Some(n) => {
            let edit = match (&n.value, n.style) {
                (Value::Null, Style::Implicit) => {
                    // `accessModes:` with nothing after it: write the value after the colon
                    let key_end = spec.entry("accessModes")?.key_span.end;
                    let colon = key_end + text.get(key_end..)?.find(':')?;
                    if text.get(key_end..colon)?.trim() != "" {
                        return None;
                    }
                    TextEdit::insert(colon + 1, format!(" {value}"))
                }
                (Value::Null, Style::Plain) | (Value::Seq(_), Style::Flow) => {
                    TextEdit::replace(n.span, value)
                }
                _ => return None,
            };
            (
                edit,
                PatchOp::Replace {
                    path,
                    value: serde_json::json!(["ReadWriteOnce"]),
                },
            )
        }
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: "Add `accessModes: [ReadWriteOnce]`".into(),
        edits: vec![edit],
        patch: vec![op],
    })
}

/// Splits `ReadWriteOnce,ReadOnlyMany` into one item per mode.
fn split_fix(
    obj: &Object,
    seq: &Node,
    i: usize,
    item: &Node,
    ip: &str,
    parts: &[&str],
) -> Option<Fix> {
    let text = obj.text;
    if seq.copied || item.copied || parts.is_empty() {
        return None;
    }
    let rendered: Vec<String> = parts.iter().map(|p| scalar_like(item, p)).collect();
    let replacement = match seq.style {
        Style::Flow => rendered.join(", "),
        Style::Block => {
            let start = fix::line_start(text, item.span.start);
            let before = text.get(start..item.span.start)?;
            if before.trim() != "-" {
                return None;
            }
            let dash = " ".repeat(before.len() - before.trim_start().len());
            let nl = fix::newline(text);
            rendered.join(&format!("{nl}{dash}- "))
        }
        _ => return None,
    };
    let parent = ip.rsplit_once('/').map(|(p, _)| p)?;
    let mut patch = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let value = serde_json::Value::String((*p).into());
        if k == 0 {
            patch.push(PatchOp::Replace {
                path: obj.ptr(ip),
                value,
            });
        } else {
            patch.push(PatchOp::Add {
                path: obj.ptr(&format!("{parent}/{}", i + k)),
                value,
            });
        }
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Write the modes as separate items: {}", parts.join(", ")),
        edits: vec![TextEdit::replace(item.span, replacement)],
        patch,
    })
}

/// Keeps only `ReadWriteOncePod` in the list.
fn keep_rwop_fix(obj: &Object, seq: &Node, items: &[Node], ptr: &str) -> Option<Fix> {
    let text = obj.text;
    if seq.copied || items.iter().any(|n| n.copied) {
        return None;
    }
    let keep = items.iter().position(|n| n.as_str() == Some(RWOP))?;
    let edits = match seq.style {
        Style::Flow => {
            let kept = text.get(items.get(keep)?.span.start..items.get(keep)?.span.end)?;
            vec![TextEdit::replace(seq.span, format!("[{kept}]"))]
        }
        Style::Block => {
            let mut edits = Vec::new();
            for k in (0..items.len()).filter(|k| *k != keep) {
                // line removals, computed on the original text
                let item = items.get(k)?;
                let start = fix::line_start(text, item.span.start);
                let before = text.get(start..item.span.start)?;
                if before.trim() != "-" || text.get(item.span.start..item.span.end)?.contains('\n')
                {
                    return None;
                }
                let end = fix::line_end(text, item.span.end.saturating_sub(1).max(item.span.start));
                edits.push(TextEdit::delete(Span::new(start, end)));
            }
            edits
        }
        _ => return None,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: "Keep only `ReadWriteOncePod`".into(),
        edits,
        patch: vec![PatchOp::Replace {
            path: obj.ptr(ptr),
            value: serde_json::json!([RWOP]),
        }],
    })
}

// ---------------------------------------------------------------------------------------------
// Storage request and limit (CC209–CC213)

/// A quantity as written: its node, its value (None when it does not decode: CC007/CC004).
struct Written<'a> {
    node: &'a Node,
    text: String,
    quantity: Option<Quantity>,
}

fn written<'a>(obj: &Object, node: &'a Node) -> Option<Written<'a>> {
    let (text, quantity) = match &node.value {
        Value::Null => ("null".to_string(), Some(Quantity::zero())),
        Value::Str(s) => (s.clone(), Quantity::parse(s).ok()),
        Value::Int(_) | Value::Float(_) => {
            let raw = obj.text.get(node.span.start..node.span.end)?;
            if node.copied {
                // an alias: the anchor's text is elsewhere, the value is what matters
                let t = match &node.value {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    _ => String::new(),
                };
                let q = quantity::parse_number_text(&t).ok();
                (t, q)
            } else {
                (raw.to_string(), quantity::parse_number_text(raw).ok())
            }
        }
        _ => return None,
    };
    Some(Written {
        node,
        text,
        quantity,
    })
}

fn check_resources(ctx: &mut Ctx, obj: &Object, c: &Claim) {
    let resources = c.spec.and_then(|s| s.get("resources"));
    if resources.is_some_and(|r| r.as_map().is_none() && !r.is_null()) {
        return; // CC004
    }
    let requests = resources.and_then(|r| r.get("requests"));
    let limits = resources.and_then(|r| r.get("limits"));
    if requests.is_some_and(|r| r.as_map().is_none() && !r.is_null()) {
        return; // CC004
    }
    let req_ptr = c.ptr("/resources/requests/storage");
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
            c.label
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
        ctx.report(obj, &CC209, &req_ptr, message, None);
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
                    c.label, c.consequence
                );
                ctx.report(obj, &CC210, &req_ptr, message, None);
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
                        c.label,
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
                            c.label,
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
            let p = join(&c.ptr(&format!("/resources/{part}")), &e.key);
            let is_request_storage = part == "requests" && e.key == "storage";
            if is_request_storage && q.sign() <= 0 {
                continue; // CC210 explains it
            }
            if w.node.is_null() {
                continue;
            }
            let stable = check_canonical(ctx, obj, &w, q, &p);
            if stable && e.key == "storage" && q.sign() > 0 {
                check_decimal_unit(ctx, obj, &w, q, &p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{lint_text, KubeVersion, Options};
    use crate::rules::pvc::non_canonical_quantity::binary_form;

    fn codes(text: &str, prefix: &str) -> Vec<(String, String)> {
        let options = Options {
            kubernetes_version: KubeVersion::new(1, 32),
            ..Options::default()
        };
        lint_text("t.yaml", text, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with(prefix))
            .map(|d| (d.code.to_string(), d.pointer))
            .collect()
    }

    fn pvc(spec: &str) -> String {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n{spec}"
        )
    }

    const OK: &str =
        "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";

    #[test]
    fn access_mode_suggestions() {
        assert_eq!(
            suggest_access_mode("readwriteonce"),
            Some(("ReadWriteOnce", true))
        );
        assert_eq!(
            suggest_access_mode("ReadOnlyMany "),
            Some(("ReadOnlyMany", true))
        );
        assert_eq!(suggest_access_mode("RWO"), Some(("ReadWriteOnce", false)));
        assert_eq!(suggest_access_mode("rwx"), Some(("ReadWriteMany", false)));
        assert_eq!(
            suggest_access_mode("Read-Write-Once"),
            Some(("ReadWriteOnce", false))
        );
        assert_eq!(suggest_access_mode("ReadWrite"), None);
        assert_eq!(suggest_access_mode("Foo"), None);
        assert_eq!(
            split_access_modes("ReadWriteOnce,ReadOnlyMany"),
            Some(vec!["ReadWriteOnce", "ReadOnlyMany"])
        );
        assert_eq!(split_access_modes("ReadWriteOnce,Foo"), None);
    }

    #[test]
    fn binary_forms() {
        let q = |s: &str| Quantity::parse(s).ok();
        assert_eq!(
            q("1073741824").as_ref().and_then(binary_form).as_deref(),
            Some("1Gi")
        );
        assert_eq!(
            q("1536Mi").as_ref().and_then(binary_form).as_deref(),
            Some("1536Mi")
        );
        assert_eq!(q("1000").as_ref().and_then(binary_form), None);
        assert_eq!(q("0.5").as_ref().and_then(binary_form), None);
        assert_eq!(q("-1Gi").as_ref().and_then(binary_form), None);
    }

    #[test]
    fn template_checks_follow_the_controller() {
        let sts = |templates: &str| {
            format!(
                "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: c\n          image: i\n          volumeMounts:\n            - {{name: data, mountPath: /d}}\n  volumeClaimTemplates:\n{templates}"
            )
        };
        // the first `data` is replaced by the second: before 1.34 nothing checks it
        let t = sts("    - {metadata: {name: data}, spec: {accessModes: [Foo], resources: {requests: {storage: 1Gi}}}}\n    - {metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}\n");
        assert_eq!(
            codes(&t, "CC2"),
            vec![(
                "CC204".into(),
                "/spec/volumeClaimTemplates/1/metadata/name".into()
            )]
        );
        // a bare spec: CC201 explains the misplaced fields, no CC205/CC209 for them
        let t = sts("    - {metadata: {name: data}, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n");
        assert_eq!(
            codes(&t, "CC2"),
            vec![("CC201".into(), "/spec/volumeClaimTemplates/0".into())]
        );
        // `status: {phase: Pending}` is what every exported StatefulSet carries
        let t = sts("    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n      status: {phase: Pending}\n");
        assert!(codes(&t, "CC2").is_empty());
    }

    #[test]
    fn label_candidates() {
        assert_eq!(label_candidate("WWW").as_deref(), Some("www"));
        assert_eq!(label_candidate("www_data").as_deref(), Some("www-data"));
        assert_eq!(label_candidate("www.v1").as_deref(), Some("www-v1"));
        assert_eq!(label_candidate("-www").as_deref(), Some("www"));
        assert_eq!(label_candidate("www"), None);
        assert_eq!(label_candidate(&"w".repeat(64)), None);
    }

    #[test]
    fn clean_claim_is_quiet() {
        assert!(codes(&pvc(OK), "CC2").is_empty());
    }

    #[test]
    fn storage_values() {
        let with = |v: &str| {
            pvc(&format!(
                "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: {v}\n"
            ))
        };
        let p = "/spec/resources/requests/storage".to_string();
        assert_eq!(
            codes(&with("\"0\""), "CC21"),
            vec![("CC210".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("Gi"), "CC21"),
            vec![("CC210".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("null"), "CC21"),
            vec![("CC210".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("-1Gi"), "CC21"),
            vec![("CC210".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("1024Mi"), "CC21"),
            vec![("CC212".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("1073741824"), "CC21"),
            vec![("CC212".into(), p.clone())]
        );
        assert_eq!(codes(&with("\"1073741824\""), "CC21"), vec![]);
        assert_eq!(
            codes(&with("\" 1Gi\""), "CC21"),
            vec![("CC212".into(), p.clone())]
        );
        assert_eq!(codes(&with("+2Gi"), "CC21"), vec![]);
        assert_eq!(codes(&with("1.Gi"), "CC21"), vec![]);
        assert_eq!(codes(&with("\"1e9\""), "CC21"), vec![]);
        assert_eq!(
            codes(&with("10G"), "CC21"),
            vec![("CC213".into(), p.clone())]
        );
        assert_eq!(
            codes(&with("1e3"), "CC21"),
            vec![("CC212".into(), p.clone())]
        );
        assert_eq!(codes(&with("1GB"), "CC21"), vec![]);
    }

    #[test]
    fn data_sources() {
        let base = OK;
        let ds = |extra: &str| codes(&pvc(&format!("{base}{extra}")), "CC215");
        // dropped: no kind, no ref
        assert!(ds("  dataSource:\n    name: src\n").is_empty());
        assert_eq!(
            ds("  dataSource:\n    kind: PersistentVolumeClaim\n").len(),
            1
        );
        assert_eq!(
            ds("  dataSourceRef:\n    name: src\n"),
            vec![("CC215".into(), "/spec/dataSourceRef/kind".into())]
        );
        assert_eq!(
            ds("  dataSourceRef:\n    kind: VolumeSnapshot\n    name: s\n"),
            vec![("CC215".into(), "/spec/dataSourceRef/kind".into())]
        );
        assert!(ds("  dataSourceRef:\n    apiGroup: snapshot.storage.k8s.io\n    kind: VolumeSnapshot\n    name: s\n").is_empty());
        // a cross-namespace dataSourceRef is dropped while the feature is off
        assert!(ds("  dataSourceRef:\n    name: s\n    namespace: other\n").is_empty());
        // ... and then a dataSource of another kind is dropped too
        assert!(ds("  dataSource:\n    kind: Foo\n    name: a\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: b\n    namespace: other\n").is_empty());
        assert_eq!(
            ds("  dataSource:\n    kind: PersistentVolumeClaim\n    name: a\n  dataSourceRef:\n    kind: PersistentVolumeClaim\n    name: b\n"),
            vec![("CC215".into(), "/spec/dataSourceRef".into())]
        );
    }

    #[test]
    fn rwop_alone_or_repeated_is_fine() {
        let am = |m: &str| {
            codes(
                &pvc(&format!(
                    "  accessModes: {m}\n  resources:\n    requests:\n      storage: 1Gi\n"
                )),
                "CC20",
            )
        };
        assert!(am("[ReadWriteOncePod]").is_empty());
        assert_eq!(
            am("[ReadWriteOncePod, ReadWriteOncePod]"),
            vec![("CC207".into(), "/spec/accessModes/1".into())]
        );
        assert_eq!(
            am("[ReadWriteOncePod, Foo]"),
            vec![("CC206".into(), "/spec/accessModes/1".into())]
        );
        assert_eq!(
            am("[ReadWriteOncePod, ReadWriteOnce]"),
            vec![("CC208".into(), "/spec/accessModes".into())]
        );
        assert_eq!(
            am("[ReadWriteOnce, ReadWriteOnce]"),
            vec![("CC207".into(), "/spec/accessModes/1".into())]
        );
        assert_eq!(am("[]"), vec![("CC205".into(), "/spec/accessModes".into())]);
    }
}
