//! Claim spec rules (CC203–CC218): each StatefulSet claim template, each standalone PVC, and
//! the claim template of each generic ephemeral volume (`ephemeral.volumeClaimTemplate`) in
//! the pod spec of every workload kind.
//!
//! A claim template becomes a PersistentVolumeClaim when the StatefulSet controller creates a
//! pod: the claim goes through the same API server code as a claim you submit yourself
//! (defaulting, the registry strategy, validation). So the checks of the claim spec are shared;
//! only the consequence differs (the API server rejects a standalone claim; a template is
//! accepted with its StatefulSet and every claim creation fails, until Kubernetes 1.34 checks
//! templates up front). An ephemeral volume's claim spec is validated with the pod spec that
//! holds it: the API server rejects the object on submit (a StatefulSet before 1.34: every pod
//! creation fails).

use crate::model::fields::PVC_SPEC_FIELDS;
use crate::model::volumes::ephemeral_templates;
use crate::model::workload::{pod_consequence, template_consequence, WorkloadKind};
use std::collections::HashMap;
use template_metadata::check_template_extras;
use template_metadata::check_template_name;

use crate::model::quantity::{self, Quantity};
use crate::model::workload::{claim_templates, template_name};
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

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
pub use template_name_duplicate::CC204;
use template_name_invalid::label_candidate;
pub use template_name_invalid::CC203;
pub use template_namespace_ignored::CC217;
pub use template_pins_volume::CC218;
mod template_metadata;
use template_metadata::misspelt_key;
mod access_modes;
use access_modes::check_access_modes;
mod resources;
use resources::check_resources;

pub const RULES: &[RuleMeta] = &[
    CC203, CC204, CC205, CC206, CC207, CC208, CC209, CC210, CC211, CC212, CC213, CC214, CC215,
    CC216, CC217, CC218,
];

pub use crate::model::claim_spec::ACCESS_MODES;
use crate::model::claim_spec::RWOP;

/// One claim spec to check: a claim template's or a standalone claim's.
struct Claim<'a> {
    /// Object-relative pointer of the spec (`/spec` or `/spec/volumeClaimTemplates/N/spec`).
    base: String,
    spec: Option<&'a Node>,
    /// The mapping that holds `spec` (the claim, or the template).
    holder: &'a Node,
    /// How messages name it (see [`Claim::label`]).
    named: Named<'a>,
    /// What an error means, as a sentence without the final period.
    consequence: String,
    /// CC201 fires for these top-level template fields: their faults are its to explain.
    misplaced_access_modes: bool,
    misplaced_resources: bool,
    /// A generic ephemeral volume's template: validated with the pod, as written (the claim
    /// registry's adjustments of `dataSource`/`dataSourceRef` do not run).
    ephemeral: bool,
}

/// What a claim spec belongs to, for [`Claim::label`].
#[derive(Clone, Copy)]
enum Named<'a> {
    /// A PersistentVolumeClaim, with its name.
    Claim(Option<&'a str>),
    /// The ephemeral volume's claim template: the volume's name, else its index.
    Ephemeral(Option<&'a str>, usize),
    /// A StatefulSet's claim template: its name, else its index.
    Template(Option<&'a str>, usize),
}

impl Claim<'_> {
    fn ptr(&self, rel: &str) -> String {
        let mut p = String::with_capacity(self.base.len() + rel.len());
        p.push_str(&self.base);
        p.push_str(rel);
        p
    }

    /// How messages name it: "claim template `data`", "PersistentVolumeClaim `data`" (built
    /// only for a finding).
    fn label(&self) -> String {
        match self.named {
            Named::Claim(Some(n)) if !n.is_empty() => format!("PersistentVolumeClaim `{n}`"),
            Named::Claim(_) => "the PersistentVolumeClaim".to_string(),
            Named::Ephemeral(Some(n), _) => {
                format!("the ephemeral claim template of pod volume `{n}`")
            }
            Named::Ephemeral(None, i) => {
                format!("the ephemeral claim template of pod volume {i}")
            }
            Named::Template(Some(n), _) => format!("claim template `{n}`"),
            Named::Template(None, i) => format!("claim template {i}"),
        }
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
    if let Some(kind) = obj.workload() {
        if kind == WorkloadKind::StatefulSet {
            check_statefulset(ctx, obj);
        }
        check_ephemeral(ctx, obj, kind);
    } else if obj.is_pvc() {
        let spec = obj.node.get("spec");
        if spec.is_some_and(|s| s.as_map().is_none() && !s.is_null()) {
            return; // CC004
        }
        let claim = Claim {
            base: "/spec".into(),
            spec: spec.filter(|s| !s.is_null()),
            holder: obj.node,
            named: Named::Claim(obj.name),
            consequence: "The API server rejects the claim".into(),
            misplaced_access_modes: false,
            misplaced_resources: false,
            ephemeral: false,
        };
        check_spec(ctx, obj, &claim);
    }
}

/// PVC spec fields at the top of a template (also snake_case, `access_modes`: CC003 renames
/// it, CC201 moves it).
fn misplaced_in(tpl: &Node, k: &str) -> bool {
    PVC_SPEC_FIELDS.contains(&k)
        && tpl.as_map().is_some_and(|m| {
            m.iter().any(|e| {
                e.key == k || crate::schema::snake_to_camel(&e.key).is_some_and(|c| c == k)
            })
        })
}

/// The claim specs of the generic ephemeral volumes of the object's pod spec.
fn check_ephemeral(ctx: &mut Ctx, obj: &Object, kind: WorkloadKind) {
    let templates = ephemeral_templates(obj.node, kind);
    if templates.is_empty() {
        return;
    }
    let consequence = pod_consequence(kind, ctx.options.kubernetes_version);
    for e in templates {
        let tpl = e.template;
        let spec = tpl.get("spec");
        if spec.is_some_and(|s| s.as_map().is_none() && !s.is_null()) {
            continue; // CC004
        }
        let claim = Claim {
            base: format!("{}/spec", e.pointer(kind.pod_spec_pointer())),
            spec: spec.filter(|s| !s.is_null()),
            holder: tpl,
            named: Named::Ephemeral(e.volume, e.index),
            consequence: consequence.clone(),
            misplaced_access_modes: misplaced_in(tpl, "accessModes"),
            misplaced_resources: misplaced_in(tpl, "resources"),
            ephemeral: true,
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

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;

fn check_statefulset(ctx: &mut Ctx, obj: &Object) {
    let sts = obj.node;
    let templates = claim_templates(sts);
    if templates.is_empty() {
        return;
    }
    let v = ctx.options.kubernetes_version;
    let consequence = template_consequence(v, "claim");
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, tpl) in &templates {
        if let Some(n) = template_name(tpl) {
            first.entry(n).or_insert(*i);
            last.insert(n, *i);
        }
    }
    for (i, tpl) in &templates {
        let i = *i;
        if tpl.as_map().is_none() {
            continue; // null entries are CC202's, other types CC004's
        }
        let ptr = format!("/spec/volumeClaimTemplates/{i}");
        let name = template_name(tpl);
        let mut shadowed = false;
        if let Some(n) = name {
            check_template_name(ctx, obj, tpl, i, n, &consequence);
            let (f, l) = (
                first.get(n).copied().unwrap_or(i),
                last.get(n).copied().unwrap_or(i),
            );
            if f != i {
                ctx.report(
                    obj,
                    &CC204,
                    &format!("{ptr}/metadata/name"),
                    format!(
                        "claim template {i} repeats the name `{n}` of claim template {f}: the controller makes one claim per template name from the last template with it (template {l}); the others are silently ignored"
                    ),
                    None,
                );
            }
            // Before 1.34 nothing ever looks at a template that a later one replaces.
            shadowed = l != i && !v.validates_templates_at_submit();
        }
        check_template_extras(ctx, obj, tpl, &ptr, name, i);
        if shadowed {
            continue;
        }
        let spec = tpl.get("spec");
        if spec.is_some_and(|s| s.as_map().is_none() && !s.is_null()) {
            continue; // CC004
        }
        let misplaced = |k: &str| misplaced_in(tpl, k);
        let claim = Claim {
            base: format!("{ptr}/spec"),
            spec: spec.filter(|s| !s.is_null()),
            holder: tpl,
            named: Named::Template(name, i),
            consequence: consequence.clone(),
            misplaced_access_modes: misplaced("accessModes"),
            misplaced_resources: misplaced("resources"),
            ephemeral: false,
        };
        check_spec(ctx, obj, &claim);
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

/// A quantity as written: its node, its value (None when it does not decode: CC007/CC004).
pub(super) struct Written<'a> {
    node: &'a Node,
    text: String,
    quantity: Option<Quantity>,
}

pub(super) fn written<'a>(obj: &Object, node: &'a Node) -> Option<Written<'a>> {
    let (text, quantity) = match &node.value {
        Value::Null => ("null".to_string(), Some(Quantity::zero())),
        Value::Str(s) => (s.clone(), Quantity::parse(s).ok()),
        Value::Int(_) | Value::Float(_) => {
            let raw = obj.text.get(node.span.start..node.span.end)?;
            if node.copied {
                // an alias: the anchor's text is elsewhere, the value is what matters
                let t = match &node.value {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => crate::source::float::display(*f),
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
