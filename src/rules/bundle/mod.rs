//! Rules across the objects of one input: Services, StorageClasses, PersistentVolumes and
//! standalone claims, seen together with the StatefulSets and other workloads that use them.

use crate::model::workload::{claim_templates, template_name};
use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::{escape_pointer_segment, Node, Value};
use std::collections::{HashMap, HashSet};

mod access_mode_unsupported;
mod claim_not_found;
mod claim_read_only_mismatch;
mod pinned_claim_without_class;
mod rwo_claim_rolling_update;
mod service_not_found;
mod service_not_headless;
mod service_selector_mismatch;
mod shared_rwo_claim;
mod standalone_claim_unused;
mod storage_class_not_found;
mod unused_claim_never_binds;

use access_mode_unsupported::check_access_modes;
pub use access_mode_unsupported::CC405;
use claim_not_found::claim_not_found;
pub use claim_not_found::CC408;
pub use claim_read_only_mismatch::CC411;
use claim_read_only_mismatch::{read_only_many, writable_mounts};
use pinned_claim_without_class::check_pinned_claims;
pub use pinned_claim_without_class::CC409;
use rwo_claim_rolling_update::rolling_update;
pub use rwo_claim_rolling_update::CC410;
use service_not_found::check_services;
pub use service_not_found::CC401;
use service_not_headless::sts_list;
pub use service_not_headless::CC402;
pub use service_selector_mismatch::CC403;
use shared_rwo_claim::shared_claim;
pub use shared_rwo_claim::CC406;
use standalone_claim_unused::check_unused_claims;
pub use standalone_claim_unused::CC407;
use storage_class_not_found::class_not_found;
pub use storage_class_not_found::CC404;
use unused_claim_never_binds::never_binds;
pub use unused_claim_never_binds::CC412;
mod headless;
mod pod_claims;
use pod_claims::check_pod_claims;

pub const RULES: &[RuleMeta] = &[
    CC401, CC402, CC403, CC404, CC405, CC406, CC407, CC408, CC409, CC410, CC411, CC412,
];

/// The deprecated annotation that still overrides `storageClassName` on claims and volumes.
const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

const DEFAULT_CLASS_ANNOTATIONS: &[&str] = &[
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// A label or selector value as the API would read it (labels are strings; a YAML number
/// or boolean there is a type error reported elsewhere, compared here by its text).
fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(crate::source::float::display(*f)),
        _ => None,
    }
}

fn quoted(names: &[&str]) -> String {
    crate::model::suggest::listed(names, 10)
}

fn is_storage_class(o: &Object) -> bool {
    o.kind == "StorageClass" && o.api_version.starts_with("storage.k8s.io/")
}

fn is_pv(o: &Object) -> bool {
    o.kind == "PersistentVolume" && o.api_version == "v1"
}

/// The storage class a claim or volume asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class<'a> {
    /// No class: the default class is filled in when the claim is created.
    Unset,
    /// `""`: explicitly no class.
    Empty,
    Named(&'a str),
}

/// Where a class is written: the beta annotation, or `spec.storageClassName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClassAt {
    Annotation,
    Field,
}

impl ClassAt {
    /// The object-relative pointer of the class below `base` (built only for a finding).
    fn ptr(self, base: &str) -> String {
        match self {
            ClassAt::Annotation => format!(
                "{base}/metadata/annotations/{}",
                escape_pointer_segment(BETA_CLASS_ANNOTATION)
            ),
            ClassAt::Field => format!("{base}/spec/storageClassName"),
        }
    }
}

/// The class of a PVC, claim template or PV (the beta annotation wins over the field, as in
/// Kubernetes), with where it is written (see [`ClassAt::ptr`]).
/// `None` when the value has a type the API rejects anyway.
fn class_of(node: &Node) -> Option<(Class<'_>, ClassAt)> {
    if let Some(a) = node.path(&["metadata", "annotations", BETA_CLASS_ANNOTATION]) {
        let at = ClassAt::Annotation;
        return match a.as_str() {
            Some("") => Some((Class::Empty, at)),
            Some(s) => Some((Class::Named(s), at)),
            None => None,
        };
    }
    let at = ClassAt::Field;
    match node.path(&["spec", "storageClassName"]) {
        None => Some((Class::Unset, at)),
        Some(n) if n.is_null() => Some((Class::Unset, at)),
        Some(n) => match n.as_str() {
            Some("") => Some((Class::Empty, at)),
            Some(s) => Some((Class::Named(s), at)),
            None => None,
        },
    }
}

/// A claim: a standalone PersistentVolumeClaim or a StatefulSet's claim template.
struct Claim<'o, 'a> {
    obj: &'o Object<'a>,
    /// Object-relative pointer of the claim: "" for a PVC, `/spec/volumeClaimTemplates/<i>`.
    base: String,
    node: &'a Node,
    /// The index of a claim template; `None` for a PersistentVolumeClaim.
    template: Option<usize>,
}

impl<'a> Claim<'_, 'a> {
    /// How messages name it (built only for a finding).
    fn label(&self) -> String {
        match self.template {
            None => format!(
                "PersistentVolumeClaim `{}`",
                self.obj.name.unwrap_or("<unnamed>")
            ),
            Some(i) => match template_name(self.node) {
                Some(n) => format!("claim template `{n}`"),
                None => format!("claim template {i}"),
            },
        }
    }
    fn spec(&self) -> Option<&'a Node> {
        self.node.get("spec")
    }
    fn ptr(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }
    fn volume_mode(&self) -> &'a str {
        self.node
            .str_at(&["spec", "volumeMode"])
            .unwrap_or("Filesystem")
    }
    /// The access modes that are strings, with their index.
    fn access_modes(&self) -> Vec<(usize, &'a str)> {
        self.node
            .path(&["spec", "accessModes"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.as_str().map(|s| (i, s)))
            .collect()
    }
}

fn claims<'o, 'a>(bundle: &'o Bundle<'a>) -> Vec<Claim<'o, 'a>> {
    let mut out = Vec::new();
    for obj in &bundle.objects {
        if obj.is_pvc() {
            out.push(Claim {
                obj,
                base: String::new(),
                node: obj.node,
                template: None,
            });
        } else if obj.is_statefulset() {
            for (i, tpl) in claim_templates(obj.node) {
                if tpl.as_map().is_none() {
                    continue;
                }
                out.push(Claim {
                    obj,
                    base: format!("/spec/volumeClaimTemplates/{i}"),
                    node: tpl,
                    template: Some(i),
                });
            }
        }
    }
    out
}

/// The StorageClass that the cluster would fill in, as far as the input tells: the input's
/// only StorageClass marked as default.
fn default_class<'o, 'a>(classes: &[&'o Object<'a>]) -> Option<&'o Object<'a>> {
    let defaults: Vec<&&Object> = classes
        .iter()
        .filter(|c| {
            DEFAULT_CLASS_ANNOTATIONS.iter().any(|a| {
                c.node
                    .path(&["metadata", "annotations", a])
                    .and_then(Node::as_str)
                    == Some("true")
            })
        })
        .collect();
    match defaults.as_slice() {
        [only] => Some(**only),
        _ => None,
    }
}

pub fn check(ctx: &mut Ctx, bundle: &Bundle) {
    check_services(ctx, bundle);
    check_storage_classes(ctx, bundle);
    check_pod_claims(ctx, bundle);
    check_pinned_claims(ctx, bundle);
}

/// A governing Service's selector, read once for all the StatefulSets it governs: each key
/// once (its last entry, as the API server decodes it), with the value it asks for.
struct Selector<'a> {
    /// The keys in order, with their value and their last entry's position.
    entries: Vec<(&'a str, String)>,
    by_key: HashMap<&'a str, usize>,
}

impl<'a> Selector<'a> {
    fn of(svc: &Object<'a>) -> Self {
        let node = svc.node.path(&["spec", "selector"]);
        let mut entries = Vec::new();
        let mut by_key = HashMap::new();
        for e in node.and_then(Node::as_map).unwrap_or(&[]) {
            // the last entry of a key stands for it (a duplicate key is CC002's)
            let last = node
                .and_then(|n| n.entry(&e.key))
                .is_some_and(|l| std::ptr::eq(l, e));
            if last {
                by_key.insert(e.key.as_str(), entries.len());
                entries.push((e.key.as_str(), scalar_text(&e.value).unwrap_or_default()));
            }
        }
        Selector { entries, by_key }
    }
}

/// The misses of a selector CC403 lists; the others are counted.
const LISTED_MISSES: usize = 10;

/// CC403: the governing Service must select the StatefulSet's pods. The cost is in the size of
/// the StatefulSet's labels, not the selector's: a Service with a huge selector governing many
/// StatefulSets stays linear, and its message lists at most [`LISTED_MISSES`] keys.
fn check_selector(ctx: &mut Ctx, svc: &Object, selector: &Selector, sts: &Object) {
    let name = svc.name.unwrap_or("<unnamed>");
    let sts_name = sts.name.unwrap_or("<unnamed>");
    if svc.node.str_at(&["spec", "type"]) == Some("ExternalName") {
        return; // an alias has no selector by design; CC402 explains it
    }
    if selector.entries.is_empty() {
        let message = format!("Service `{name}` governs StatefulSet `{sts_name}` but has no selector: it gets no endpoints from the pods, so they get no per-pod DNS names. Select the pod template's labels");
        ctx.report(svc, &CC403, "/spec/selector", message, None);
        return;
    }
    let labels = sts
        .node
        .path(&["spec", "template", "metadata", "labels"])
        .filter(|l| l.as_map().is_some());
    // the label a selector key finds (its last entry, a hashed lookup)
    let have = |key: &str| labels.and_then(|l| l.get(key)).and_then(scalar_text);
    // how many selector keys the labels satisfy: one lookup per label
    let matched = labels
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter(|l| {
            labels
                .and_then(|n| n.entry(&l.key))
                .is_some_and(|x| std::ptr::eq(x, *l))
        })
        .filter(|l| {
            selector
                .by_key
                .get(l.key.as_str())
                .and_then(|&i| selector.entries.get(i))
                .is_some_and(|(_, want)| scalar_text(&l.value).as_deref() == Some(want.as_str()))
        })
        .count();
    let missed = selector.entries.len().saturating_sub(matched);
    if missed == 0 {
        return;
    }
    // the first misses in the selector's order: the keys passed over on the way match labels
    let mut misses: Vec<(&str, String)> = Vec::new();
    for (key, want) in &selector.entries {
        if misses.len() >= LISTED_MISSES.min(missed) {
            break;
        }
        let why = match have(key) {
            Some(h) if h == *want => continue,
            Some(h) => format!("`{key}: {want}` (the pods have `{key}: {h}`)"),
            None => format!("`{key}: {want}` (the pods have no `{key}` label)"),
        };
        misses.push((key, why));
    }
    let rel = match (missed, misses.as_slice()) {
        (1, [(key, _)]) => format!("/spec/selector/{}", escape_pointer_segment(key)),
        _ => "/spec/selector".to_string(),
    };
    let mut whys: Vec<String> = misses.into_iter().map(|(_, w)| w).collect();
    if missed > whys.len() {
        whys.push(format!(
            "{} more keys",
            crate::model::suggest::thousands(missed - whys.len())
        ));
    }
    let message = format!(
        "Service `{name}` governs StatefulSet `{sts_name}` but does not select its pods: it asks for {}. The pods get no endpoints in the Service and no per-pod DNS names",
        whys.join(" and ")
    );
    ctx.report(svc, &CC403, &rel, message, None);
}

/// CC404 and CC405: the StorageClass of each claim.
fn check_storage_classes(ctx: &mut Ctx, bundle: &Bundle) {
    let classes: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| is_storage_class(o))
        .collect();
    let class_names: Vec<&str> = classes.iter().filter_map(|c| c.name).collect();
    let classes_by_name = by_name(&classes);
    let pv_classes: HashSet<&str> = bundle
        .objects
        .iter()
        .filter(|o| is_pv(o))
        .filter_map(|pv| match class_of(pv.node) {
            Some((Class::Named(c), _)) => Some(c),
            _ => None,
        })
        .collect();
    let default = default_class(&classes);
    for claim in claims(bundle) {
        let Some((class, class_at)) = class_of(claim.node) else {
            continue;
        };
        let storage_class = match class {
            Class::Empty => continue,
            Class::Unset => match default {
                Some(d) => d,
                None => continue,
            },
            Class::Named(name) => {
                if let Some(c) = classes_by_name.get(name).and_then(|l| l.first()) {
                    c
                } else {
                    let class_ptr = class_at.ptr(&claim.base);
                    class_not_found(ctx, &claim, name, &class_ptr, &class_names, &pv_classes);
                    continue;
                }
            }
        };
        check_access_modes(ctx, &claim, class, storage_class);
    }
}

#[cfg(test)]
mod tests;

/// Objects by `metadata.name`, each name's objects in input order.
fn by_name<'o, 'a>(objects: &[&'o Object<'a>]) -> HashMap<&'a str, Vec<&'o Object<'a>>> {
    let mut m: HashMap<&'a str, Vec<&'o Object<'a>>> = HashMap::with_capacity(objects.len());
    for o in objects {
        if let Some(n) = o.name {
            m.entry(n).or_default().push(o);
        }
    }
    m
}
