//! Update rules (CC5xx): what may change between the live object and the new one.
//!
//! The comparisons are semantic, as the API server's are after decoding and defaulting:
//! `null`, empty strings, empty lists and empty maps equal an absent field (except where Go
//! uses a pointer, such as `storageClassName: ""`), defaults written out equal defaults left
//! out, and quantities compare by value (`1Gi` = `1024Mi` = `1073741824`). Status blocks of the
//! new object are ignored (the API server keeps the stored status on a spec update).

use std::cmp::Ordering;

use serde_json::{Map, Value as J};

use crate::model::names;
use crate::model::quantity::{self, Quantity};
use crate::options::KubeVersion;
use crate::rule::RuleMeta;
use crate::rule::{join, Bundle, Ctx, Object};

mod claim_immutable_field;
mod claim_shrink;
mod claim_template_changed;
mod expansion_not_allowed;
mod statefulset_forbidden_update;

pub use claim_immutable_field::CC504;
pub use claim_shrink::CC503;
pub use claim_template_changed::CC502;
use claim_template_changed::{int_at, stored_template, template_name_of};
pub use expansion_not_allowed::CC505;
use statefulset_forbidden_update::check_statefulset;
pub use statefulset_forbidden_update::CC501;

pub const RULES: &[RuleMeta] = &[CC501, CC502, CC503, CC504, CC505];

/// `new` replaces `old` (same kind; same name unless the name itself changed).
pub fn check(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    if new.is_statefulset() && old.is_statefulset() {
        check_statefulset(ctx, new, old, bundle);
    } else if new.is_pvc() && old.is_pvc() {
        check_claim(ctx, new, old, bundle);
    }
}

// ---------------------------------------------------------------------------------------------
// Semantic comparison

/// Fields declared as `*string` in Go: there an empty string is a value, not "unset".
const NULLABLE_STRINGS: &[&str] = &["storageClassName", "volumeAttributesClassName"];

/// The value as the API server holds it after decoding: unset things removed.
fn norm(v: &J, key: &str) -> Option<J> {
    match v {
        J::Null => None,
        J::String(s) if s.is_empty() && !NULLABLE_STRINGS.contains(&key) => None,
        J::Object(m) => {
            // in a resource list a null quantity decodes as zero
            let quantities = matches!(key, "requests" | "limits" | "capacity");
            let out: Map<String, J> = m
                .iter()
                .filter_map(|(k, v)| match v {
                    J::Null if quantities => Some((k.clone(), J::from("0"))),
                    _ => norm(v, k).map(|v| (k.clone(), v)),
                })
                .collect();
            (!out.is_empty()).then_some(J::Object(out))
        }
        J::Array(a) if a.is_empty() => None,
        J::Array(a) => Some(J::Array(
            a.iter().map(|x| norm(x, "").unwrap_or(J::Null)).collect(),
        )),
        other => Some(other.clone()),
    }
}

fn quantity_of(v: &J) -> Option<Quantity> {
    match v {
        J::String(s) => Quantity::parse(s).ok(),
        J::Number(n) => quantity::parse_number_text(&n.to_string()).ok(),
        _ => None,
    }
}

/// Whether the pointer names a resource quantity (`…/requests/storage`, `…/capacity/storage`).
fn is_quantity_pointer(ptr: &str) -> bool {
    let mut segs = ptr.rsplit('/');
    segs.next();
    matches!(segs.next(), Some("requests" | "limits" | "capacity"))
}

/// Orders quantities by value; equal when the API server stores the same text for both (for
/// values beyond its range that text is not the value).
fn compare(a: &Quantity, b: &Quantity) -> Ordering {
    if a.canonical() == b.canonical() {
        Ordering::Equal
    } else {
        a.cmp_value(b)
    }
}

fn leaf_equal(a: &J, b: &J, ptr: &str) -> bool {
    if a == b {
        return true;
    }
    if is_quantity_pointer(ptr) {
        if let (Some(x), Some(y)) = (quantity_of(a), quantity_of(b)) {
            return compare(&x, &y) == Ordering::Equal;
        }
    }
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// One difference: the pointer (into the new object) and the two values.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    ptr: String,
    old: Option<J>,
    new: Option<J>,
}

/// Differences between two normalized values, at the most specific pointers: map keys and
/// list positions are followed down to the leaves that differ.
fn diff(old: Option<&J>, new: Option<&J>, ptr: &str, out: &mut Vec<Change>) {
    match (old, new) {
        (None, None) => {}
        (Some(J::Object(a)), Some(J::Object(b))) => {
            for (k, v) in b {
                diff(a.get(k), Some(v), &join(ptr, k), out);
            }
            for (k, v) in a {
                if !b.contains_key(k) {
                    diff(Some(v), None, &join(ptr, k), out);
                }
            }
        }
        (Some(J::Array(a)), Some(J::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                diff(a.get(i), b.get(i), &format!("{ptr}/{i}"), out);
            }
        }
        (Some(a), Some(b)) if leaf_equal(a, b, ptr) => {}
        (a, b) => out.push(Change {
            ptr: ptr.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

/// A value for a message: scalars as written, structures as compact JSON (shortened).
fn show(v: &Option<J>) -> String {
    match v {
        None => "unset".to_string(),
        Some(J::String(s)) if s.is_empty() => "\"\"".to_string(),
        Some(J::String(s)) => format!("`{s}`"),
        Some(other) => {
            let t = other.to_string();
            if t.chars().count() > 60 {
                format!("`{}…`", t.chars().take(57).collect::<String>())
            } else {
                format!("`{t}`")
            }
        }
    }
}

/// `/spec/accessModes/0` → `spec.accessModes[0]`.
fn dotted(ptr: &str) -> String {
    let mut out = String::new();
    for seg in ptr.trim_start_matches('/').split('/') {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&crate::source::unescape_pointer_segment(seg));
        }
    }
    out
}

fn what_changed(c: &Change, field: &str) -> String {
    match (&c.old, &c.new) {
        (None, Some(_)) => format!("`{field}` is added ({})", show(&c.new)),
        (Some(_), None) => format!("`{field}` is removed (it was {})", show(&c.old)),
        _ => format!(
            "`{field}` changes from {} to {}",
            show(&c.old),
            show(&c.new)
        ),
    }
}

/// The object's spec as the API server decodes it: fields the schema does not know are left
/// out (strict decoding rejects them, which CC003 and CC201 report; otherwise they are dropped),
/// so a misspelt key is not also reported as a change.
fn spec_json(obj: &Object) -> Option<J> {
    use crate::schema::{validate, SchemaIssueKind, SchemaKind};
    let kind = if obj.is_statefulset() {
        SchemaKind::StatefulSet
    } else {
        SchemaKind::PersistentVolumeClaim
    };
    let mut json = obj.node.to_json();
    for issue in validate(kind, &json) {
        if let SchemaIssueKind::UnknownField { field, parent, .. } = issue.kind {
            if let Some(J::Object(m)) = json.pointer_mut(&parent) {
                m.remove(&field);
            }
        }
    }
    json.get("spec").and_then(|s| norm(s, "spec"))
}

fn field<'a>(spec: &'a Option<J>, key: &str) -> Option<&'a J> {
    spec.as_ref().and_then(|s| s.get(key))
}

fn set_default(v: &mut Option<J>, key: &str, default: J) {
    let obj = v.get_or_insert_with(|| J::Object(Map::new()));
    if let J::Object(m) = obj {
        m.entry(key.to_string()).or_insert(default);
    }
}

fn remove(v: &mut Option<J>, key: &str) -> Option<J> {
    match v {
        Some(J::Object(m)) => m.remove(key),
        _ => None,
    }
}

/// metadata.name / metadata.namespace: immutable for every object.
fn check_identity(ctx: &mut Ctx, new: &Object, old: &Object, rule: &'static RuleMeta) {
    let kind = new.kind;
    if let (Some(n), Some(o)) = (new.name, old.name) {
        if n != o && !n.is_empty() && !o.is_empty() {
            let extra = if new.is_statefulset() {
                format!(" with new pods and new, empty claims (`<template>-{n}-<ordinal>`)")
            } else {
                String::new()
            };
            ctx.report(
                new,
                rule,
                "/metadata/name",
                format!("`metadata.name` changes from `{o}` to `{n}`, but the name of an existing {kind} cannot change: an update of `{o}` with this name is rejected, and `kubectl apply` creates a second {kind} `{n}`{extra} while `{o}` stays"),
                None,
            );
        }
    }
    if let (Some(n), Some(o)) = (new.namespace, old.namespace) {
        if n != o && !n.is_empty() && !o.is_empty() {
            ctx.report(
                new,
                rule,
                "/metadata/namespace",
                format!("`metadata.namespace` changes from `{o}` to `{n}`: an object cannot move to another namespace; this is a different {kind} in `{n}`, and the one in `{o}` stays"),
                None,
            );
        }
    }
}

const UPDATABLE_LIST: &str = "`replicas`, `ordinals`, `template`, `updateStrategy`, `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`";

/// How to carry a template change over to a live StatefulSet.
fn migration(sts: &str) -> String {
    format!("delete the StatefulSet without its pods and claims (`kubectl delete statefulset {sts} --cascade=orphan`) and apply this manifest (the new StatefulSet adopts the running pods and their claims)")
}

fn check_claim_templates(
    ctx: &mut Ctx,
    new: &Object,
    old: &Object,
    new_spec: &Option<J>,
    old_spec: &Option<J>,
    bundle: &Bundle,
) {
    let list = |s: &Option<J>| -> Vec<J> {
        field(s, "volumeClaimTemplates")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (olds, news) = (list(old_spec), list(new_spec));
    let sts = old.name.or(new.name).unwrap_or("NAME");
    let start = int_at(old_spec, &["ordinals", "start"]).unwrap_or(0);
    let replicas = int_at(old_spec, &["replicas"]).unwrap_or(1);
    let last = names::largest_ordinal(start, replicas);
    let claims = |tpl: &str| {
        if last > start {
            format!(
                "`{}` … `{}`",
                names::claim_name(tpl, sts, start),
                names::claim_name(tpl, sts, last)
            )
        } else {
            format!("`{}`", names::claim_name(tpl, sts, start))
        }
    };
    let rejected = "but the claim templates of an existing StatefulSet cannot change: the API server rejects the whole update";
    if news.is_empty() && !olds.is_empty() {
        let gone: Vec<String> = olds
            .iter()
            .filter_map(|t| template_name_of(Some(t)))
            .map(|n| format!("`{n}`"))
            .collect();
        ctx.report(
            new,
            &CC502,
            "/spec/volumeClaimTemplates",
            format!(
                "the claim templates ({}) are removed, {rejected}. To drop them, {}; the existing claims stay until you delete them",
                gone.join(", "),
                migration(sts)
            ),
            None,
        );
        return;
    }
    for i in 0..olds.len().max(news.len()) {
        let ptr = format!("/spec/volumeClaimTemplates/{i}");
        let (o, n) = (olds.get(i), news.get(i));
        let (on, nn) = (template_name_of(o), template_name_of(n));
        match (o, n) {
            (None, Some(_)) => {
                let name = nn.unwrap_or("<unnamed>");
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!("claim template `{name}` is added, {rejected}. To add it, {}; the controller then creates the claims `{name}-{sts}-<ordinal>` as it re-creates the pods with the new pod template", migration(sts)),
                    None,
                );
            }
            (Some(_), None) => {
                let name = on.unwrap_or("<unnamed>");
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!("claim template `{name}` (template {i} of the live StatefulSet) is removed, {rejected}. To drop it, {}; the claims {} stay until you delete them", migration(sts), claims(name)),
                    None,
                );
            }
            (Some(_), Some(_)) if on != nn => {
                ctx.report(
                    new,
                    &CC502,
                    &ptr,
                    format!(
                        "claim template {i} is `{}` in the live StatefulSet and `{}` here, {rejected}. Templates are compared by position: to rename, add or reorder templates, {}",
                        on.unwrap_or("<unnamed>"),
                        nn.unwrap_or("<unnamed>"),
                        migration(sts)
                    ),
                    None,
                );
            }
            (Some(o), Some(n)) => {
                let (so, sn) = (stored_template(o), stored_template(n));
                let mut changes = Vec::new();
                diff(so.as_ref(), sn.as_ref(), &ptr, &mut changes);
                let name = nn.unwrap_or("<unnamed>");
                for c in changes {
                    let inner = c.ptr.get(ptr.len()..).unwrap_or("");
                    let message = if inner == "/spec/resources/requests/storage" {
                        storage_message(&c, name, &claims(name), sts, n, bundle)
                    } else {
                        format!(
                            "claim template `{name}`: {}, {rejected}. Claims already created would keep their old settings in any case; to use the new template for claims created from now on, {}",
                            what_changed(&c, &dotted(inner)),
                            migration(sts)
                        )
                    };
                    ctx.report(new, &CC502, &c.ptr, message, None);
                }
            }
            (None, None) => {}
        }
    }
}

/// CC502's message for a changed storage request: how to resize for real.
fn storage_message(
    c: &Change,
    name: &str,
    claims: &str,
    sts: &str,
    tpl: &J,
    bundle: &Bundle,
) -> String {
    let (o, n) = (
        c.old.as_ref().and_then(quantity_of),
        c.new.as_ref().and_then(quantity_of),
    );
    let grows = matches!((&o, &n), (Some(o), Some(n)) if compare(n, o) == Ordering::Greater);
    let rejected = "but the claim templates of an existing StatefulSet cannot change: the API server rejects the whole update";
    if !grows {
        return format!(
            "claim template `{name}`: {}, {rejected}. Volumes cannot shrink either; keep the live size",
            what_changed(c, "spec.resources.requests.storage")
        );
    }
    let size = match &c.new {
        Some(J::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let class = tpl
        .get("spec")
        .and_then(|s| s.get("storageClassName"))
        .and_then(J::as_str);
    let class_note = match class.and_then(|c| storage_class(bundle, c)) {
        Some((cname, false)) => format!(" (StorageClass `{cname}` in this input lacks `allowVolumeExpansion: true`: set it first, if its driver can expand volumes)"),
        Some((_, true)) => String::new(),
        None => " (their StorageClass must allow volume expansion)".to_string(),
    };
    format!(
        "claim template `{name}` asks for {} instead of {}, {rejected}; the claims already created would keep their size anyway. To grow the volumes: resize each existing claim, {claims}, with `kubectl patch pvc CLAIM -p '{{\"spec\":{{\"resources\":{{\"requests\":{{\"storage\":\"{size}\"}}}}}}}}'`{class_note}; then {}, so that new replicas get {size} too",
        show(&c.new),
        show(&c.old),
        migration(sts)
    )
}

/// A StorageClass of the input by name, and whether it allows volume expansion.
fn storage_class<'b>(bundle: &'b Bundle, name: &'b str) -> Option<(&'b str, bool)> {
    bundle
        .objects
        .iter()
        .find(|o| o.kind == "StorageClass" && o.name == Some(name))
        .map(|o| {
            let allowed = o.node.get("allowVolumeExpansion").map(|v| &v.value)
                == Some(&crate::source::Value::Bool(true));
            (o.name.unwrap_or(name), allowed)
        })
}

// ---------------------------------------------------------------------------------------------
// PersistentVolumeClaims

const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// What the live claim's status says.
struct LiveClaim {
    /// Bound to a volume. Without any status block (a manifest rather than the live object)
    /// the claim is assumed bound, as claims in use are.
    bound: bool,
    /// `status.capacity.storage`; without a status block, the old request stands in for it.
    capacity: Option<Quantity>,
    known: bool,
}

fn live_claim(old: &Object, old_request: Option<&Quantity>) -> LiveClaim {
    match old.node.get("status").filter(|s| !s.is_null()) {
        None => LiveClaim {
            bound: true,
            capacity: old_request.cloned(),
            known: false,
        },
        Some(status) => LiveClaim {
            bound: status.str_at(&["phase"]) == Some("Bound"),
            // no recorded capacity counts as zero, as in Kubernetes
            capacity: status
                .path(&["capacity", "storage"])
                .map(|n| n.to_json())
                .as_ref()
                .and_then(quantity_of)
                .or_else(|| Some(Quantity::zero())),
            known: true,
        },
    }
}

fn annotation<'a>(obj: &'a Object, key: &str) -> Option<&'a str> {
    obj.node
        .path(&["metadata", "annotations"])?
        .get(key)?
        .as_str()
}

fn request_at(spec: &Option<J>) -> Option<Quantity> {
    spec.as_ref()?
        .get("resources")?
        .get("requests")?
        .get("storage")
        .and_then(quantity_of)
}

/// Fills `dataSource` from `dataSourceRef` and back, as the API server does on create.
fn normalize_data_sources(spec: &mut Option<J>) {
    let Some(J::Object(m)) = spec else { return };
    match (
        m.get("dataSource").cloned(),
        m.get("dataSourceRef").cloned(),
    ) {
        (Some(ds), None) => {
            m.insert("dataSourceRef".into(), ds);
        }
        (None, Some(J::Object(r))) if !r.contains_key("namespace") => {
            m.insert("dataSource".into(), J::Object(r));
        }
        _ => {}
    }
}

fn check_claim(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    check_identity(ctx, new, old, &CC504);
    let v = ctx.options.kubernetes_version;
    let (mut new_spec, mut old_spec) = (spec_json(new), spec_json(old));
    if new_spec.is_none() {
        return;
    }
    let (old_size, new_size) = (request_at(&old_spec), request_at(&new_spec));
    let live = live_claim(old, old_size.as_ref());
    let name = new.name.or(old.name).unwrap_or("NAME");
    let class_name = new
        .node
        .str_at(&["spec", "storageClassName"])
        .or_else(|| old.node.str_at(&["spec", "storageClassName"]))
        .filter(|c| !c.is_empty());

    for s in [&mut new_spec, &mut old_spec] {
        set_default(s, "volumeMode", J::from("Filesystem"));
        normalize_data_sources(s);
    }
    // Fields the cluster fills in: left out of a manifest, `kubectl apply` keeps them.
    for key in [
        "volumeName",
        "storageClassName",
        "dataSource",
        "dataSourceRef",
    ] {
        if field(&new_spec, key).is_none() {
            remove(&mut old_spec, key);
        }
    }
    // volumeName may be set once, when the claim binds.
    if field(&old_spec, "volumeName").is_none() {
        remove(&mut new_spec, "volumeName");
    }
    // storageClassName: may be set when the live claim has none (retroactive default class),
    // or to the class its beta annotation names.
    let old_class = field(&old_spec, "storageClassName").cloned();
    let new_class = field(&new_spec, "storageClassName").cloned();
    let (old_ann, new_ann) = (
        annotation(old, BETA_CLASS_ANNOTATION),
        annotation(new, BETA_CLASS_ANNOTATION),
    );
    let from_annotation = old_ann.is_some()
        && new_ann == old_ann
        && old_class.is_none()
        && new_class.as_ref().and_then(J::as_str) == old_ann;
    let from_nil = old_ann.is_none()
        && old_class.is_none()
        && new_class
            .as_ref()
            .and_then(J::as_str)
            .is_some_and(|s| !s.is_empty());
    if from_annotation || from_nil {
        remove(&mut new_spec, "storageClassName");
    } else if let (Some(o), Some(n)) = (old_ann, new_ann) {
        if o != n {
            ctx.report(
                new,
                &CC504,
                &format!(
                    "/metadata/annotations/{}",
                    crate::source::escape_pointer_segment(BETA_CLASS_ANNOTATION)
                ),
                format!("the annotation `{BETA_CLASS_ANNOTATION}` changes from `{o}` to `{n}`, but a claim's storage class cannot change after creation: the API server rejects the update"),
                None,
            );
        }
    }
    // volumeAttributesClassName may change on bound claims; before 1.34 the field is
    // dropped (its feature gate is off by default).
    let vac_gate = v >= KubeVersion::new(1, 34);
    if vac_gate {
        let old_vac = field(&old_spec, "volumeAttributesClassName").cloned();
        let new_vac = field(&new_spec, "volumeAttributesClassName").cloned();
        if old_vac.is_some()
            && new_vac
                .as_ref()
                .and_then(J::as_str)
                .is_none_or(str::is_empty)
        {
            ctx.report(
                new,
                &CC504,
                "/spec/volumeAttributesClassName",
                format!("`spec.volumeAttributesClassName` goes from {} to {}: once set it can be changed to another class but not removed, so the API server rejects the update", show(&old_vac), show(&new_vac)),
                None,
            );
        }
    }
    if live.bound || !vac_gate {
        remove(&mut new_spec, "volumeAttributesClassName");
        remove(&mut old_spec, "volumeAttributesClassName");
    }
    if live.bound {
        // a bound claim's request may change: compare the rest with the live request in place
        let live_request = old_spec
            .as_ref()
            .and_then(|s| s.get("resources"))
            .and_then(|r| r.get("requests"))
            .and_then(|r| r.get("storage"))
            .cloned();
        if let Some(J::Object(r)) = new_spec
            .as_mut()
            .and_then(|s| s.get_mut("resources"))
            .and_then(|r| r.get_mut("requests"))
        {
            match live_request {
                Some(q) => r.insert("storage".into(), q),
                None => r.remove("storage"),
            };
        }
    }
    let (new_spec, old_spec) = (
        new_spec.and_then(|s| norm(&s, "spec")),
        old_spec.and_then(|s| norm(&s, "spec")),
    );
    let mut changes = Vec::new();
    diff(old_spec.as_ref(), new_spec.as_ref(), "/spec", &mut changes);
    let phase = old
        .node
        .str_at(&["status", "phase"])
        .filter(|p| !p.is_empty())
        .unwrap_or("Pending");
    for c in &changes {
        let what = what_changed(c, &dotted(&c.ptr));
        let message = if c.ptr == "/spec/resources/requests/storage" {
            format!("{what}, but claim `{name}` is {phase}, not bound to a volume: only a bound claim's request can change (to resize it), so the API server rejects the update. Wait until it binds, or delete and re-create the claim")
        } else if c.ptr == "/spec/volumeMode" {
            format!("{what}, but a claim's volume mode cannot change after creation: the API server rejects the update. A claim with another mode is a new claim; create it and copy the data")
        } else {
            format!("{what}, but a claim's spec cannot change after creation apart from its storage request (once bound) and `volumeAttributesClassName`: the API server rejects the update. A claim with other settings is a new claim; create it and move the data")
        };
        ctx.report(new, &CC504, &c.ptr, message, None);
    }

    // Resizing a bound claim.
    let (Some(o), Some(n)) = (old_size, new_size) else {
        return;
    };
    if !live.bound {
        return; // CC504 has said that a pending claim cannot be resized
    }
    let ptr = "/spec/resources/requests/storage";
    let (os, ns) = (o.canonical(), n.canonical());
    match compare(&n, &o) {
        Ordering::Less => {
            let recover = v >= KubeVersion::new(1, 32);
            let cap = live.capacity.as_ref();
            let forbidden = !recover || cap.is_none_or(|c| compare(&n, c) != Ordering::Greater);
            if forbidden {
                let message = if recover {
                    let cap_text = match (cap, live.known) {
                        (Some(c), true) => format!("its capacity (`status.capacity.storage` {})", c.canonical()),
                        _ => "its capacity (the live claim's status is not given: assumed to be the old request)".to_string(),
                    };
                    format!("the storage request of claim `{name}` drops from {os} to {ns}, at or below {cap_text}: volumes cannot shrink, so the API server rejects the update (Kubernetes {v} lets a request come down only to recover from a failed expansion, and only to a value above the capacity). To use less space, create a smaller claim and copy the data")
                } else {
                    format!("the storage request of claim `{name}` drops from {os} to {ns}: Kubernetes {v} does not let a claim's request decrease, as volumes cannot shrink, so the API server rejects the update. To use less space, create a smaller claim and copy the data")
                };
                ctx.report(new, &CC503, ptr, message, None);
            }
        }
        Ordering::Greater => {
            if let Some((cname, false)) = class_name.and_then(|c| storage_class(bundle, c)) {
                ctx.report(
                    new,
                    &CC505,
                    ptr,
                    format!("claim `{name}` grows from {os} to {ns}, but its StorageClass `{cname}` does not set `allowVolumeExpansion: true`, so the resize admission check rejects the update. Set it on the class (it can be changed on an existing class) if the class's driver supports expansion, then resize"),
                    None,
                );
            }
        }
        Ordering::Equal => {}
    }
}

#[cfg(test)]
mod tests;
