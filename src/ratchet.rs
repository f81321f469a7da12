//! Ratcheting on UPDATE: a fault the live object already had is reported, never a denial.
//!
//! Kubernetes itself ratchets: from 1.34 the API server skips the validation of a
//! StatefulSet's templates on an update when the live object already fails it
//! (kubernetes/kubernetes#132212), and before 1.34 it does not validate the templates at all.
//! An admission answer must not block an update that Kubernetes lets through — scaling a
//! broken StatefulSet to zero, adding a label, removing a finalizer — so a finding of the new
//! object that its live version had *at the same place* is *pre-existing*: its severity is
//! lowered to a warning and its message says so, what it still breaks, and what the chosen
//! Kubernetes version does with the update. Only faults the update introduces keep their
//! severity.
//!
//! "The same place" is the rule code plus the pointer relative to the object, with the items
//! of lists that Kubernetes merges by a key (containers by `name`, volumeMounts by
//! `mountPath`, claim templates by `metadata.name`, …) named by that key instead of their
//! index, so an inserted or reordered item does not turn an old fault into a new one.
//!
//! On UPDATE no fix may change a field that an update cannot change (claim templates,
//! selector, serviceName, podManagementPolicy, revisionHistoryLimit, name, namespace; a
//! claim's spec apart from its storage request and volume attributes class): such a fix is
//! dropped and the message says what the migration is instead.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{FileReport, KubeVersion, Object};
use crate::patch::PatchOp;
use crate::source::{escape_pointer_segment, unescape_pointer_segment, Node};

/// Where an object sits: (file, document, base pointer).
type Place = (usize, usize, String);

/// The merge key of a list, by the list's field name (as Kubernetes' strategic merge patch
/// and server-side apply identify items). `metadata.name` for claim templates.
fn merge_key(list: &str) -> Option<&'static [&'static str]> {
    Some(match list {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => &["name"],
        "volumeMounts" => &["mountPath"],
        "volumeDevices" => &["devicePath"],
        "ports" => &["containerPort"],
        "hostAliases" => &["ip"],
        "volumeClaimTemplates" => &["metadata", "name"],
        _ => return None,
    })
}

/// The pointer relative to an object, with merge-keyed list items named by their key:
/// `/spec/template/spec/containers/1/volumeMounts/0/name` →
/// `/spec/template/spec/containers/[name=app]/volumeMounts/[mountPath=/data]/name`.
pub fn canonical_pointer(object: &Node, rel: &str) -> String {
    Canon::new(object).pointer(rel)
}

/// [`canonical_pointer`] for many pointers into one object: the prefixes walked are
/// remembered, so that each map on the way is searched once per distinct key, however many
/// findings lie below it (the cost stays linear in the findings, not in findings × map size).
pub struct Canon<'n> {
    root: &'n Node,
    /// raw prefix → (the node there, its canonical form)
    seen: HashMap<String, (Option<&'n Node>, String)>,
}

impl<'n> Canon<'n> {
    pub fn new(root: &'n Node) -> Self {
        Canon {
            root,
            seen: HashMap::new(),
        }
    }

    pub fn pointer(&mut self, rel: &str) -> String {
        let segs: Vec<&str> = rel.split('/').skip(1).collect();
        // only the part up to the last merge-keyed list item needs the document (a list's
        // name is compared as written: no merge-keyed list's name has a `~` or `/` to escape)
        let walk = segs
            .windows(2)
            .rposition(|w| merge_key(w[0]).is_some())
            .map_or(0, |i| i + 2);
        let mut node = Some(self.root);
        let mut canon = String::new();
        let mut raw = String::new();
        for (i, seg) in segs.iter().enumerate() {
            if i >= walk {
                canon.push('/');
                canon.push_str(seg);
                continue;
            }
            let parent_key = i.checked_sub(1).map(|j| segs[j]);
            raw.push('/');
            raw.push_str(seg);
            if let Some((n, c)) = self.seen.get(&raw) {
                node = *n;
                canon.clone_from(c);
                continue;
            }
            let (next, part) = step(node, seg, parent_key);
            node = next;
            canon.push_str(&part);
            self.seen.insert(raw.clone(), (node, canon.clone()));
        }
        canon
    }
}

/// One segment down from `node`: the child and the segment's canonical form.
fn step<'n>(
    node: Option<&'n Node>,
    seg: &str,
    parent_key: Option<&str>,
) -> (Option<&'n Node>, String) {
    let raw: std::borrow::Cow<str> = if seg.contains('~') {
        unescape_pointer_segment(seg).into()
    } else {
        seg.into()
    };
    let plain = || {
        let mut s = String::with_capacity(seg.len() + 1);
        s.push('/');
        s.push_str(seg);
        s
    };
    let Some(n) = node else {
        return (None, plain());
    };
    if let Some(items) = n.as_seq() {
        let item = raw.parse::<usize>().ok().and_then(|i| items.get(i));
        if let (Some(item), Some(key)) = (item, parent_key.and_then(merge_key)) {
            if let Some(v) = item.path(key).and_then(scalar_text) {
                return (
                    Some(item),
                    format!("/[{}={}]", key.join("."), escape_pointer_segment(&v)),
                );
            }
        }
        return (item, plain());
    }
    (n.get(&raw), plain())
}

fn scalar_text(n: &Node) -> Option<String> {
    if let Some(s) = n.as_str() {
        return Some(s.to_string());
    }
    match n.to_json() {
        serde_json::Value::Number(x) => Some(x.to_string()),
        _ => None,
    }
}

fn place(o: &Object) -> Place {
    (o.file, o.document, o.base.clone())
}

/// The update rules compare the two versions: their findings are about the change itself.
fn is_update_rule(code: &str) -> bool {
    code.starts_with("CC5")
}

/// Marks the findings of `out` (the new objects' findings, by file) that the paired live
/// object already had, and drops fixes that an update cannot apply.
///
/// `old_reports[i]` holds the findings of old file `i`, whose objects carry the file number
/// `usize::MAX - i` in `old_objects`; `pairs[j]` is the live version of `objects[j]`.
pub(crate) fn apply(
    out: &mut [(usize, Diagnostic)],
    objects: &[Object],
    pairs: &[Option<&Object>],
    old_objects: &[Object],
    old_reports: &[FileReport],
    v: KubeVersion,
) {
    // objects by (file, document, base): a document's root, or the items of a `kind: List`
    let index = |objs: &[Object]| {
        let mut by_place: HashMap<Place, usize> = HashMap::new();
        for (j, o) in objs.iter().enumerate() {
            by_place.insert(place(o), j);
        }
        by_place
    };
    let owner = |by_place: &HashMap<Place, usize>, file: usize, d: &Diagnostic| {
        let item = d.pointer.strip_prefix("/items/").map(|rest| {
            let i = rest.split('/').next().unwrap_or("");
            format!("/items/{i}")
        });
        item.and_then(|base| by_place.get(&(file, d.document, base)))
            .or_else(|| by_place.get(&(file, d.document, String::new())))
            .copied()
    };
    let old_by_doc = index(old_objects);
    let mut old_canon: HashMap<usize, Canon> = HashMap::new();
    let mut old_keys: HashSet<(Place, &'static str, String)> = HashSet::new();
    for (i, r) in old_reports.iter().enumerate() {
        let file = usize::MAX - i;
        for d in &r.diagnostics {
            if let Some(j) = owner(&old_by_doc, file, d) {
                let o = &old_objects[j];
                let rel = &d.pointer[o.base.len()..];
                let canon = old_canon.entry(j).or_insert_with(|| Canon::new(o.node));
                old_keys.insert((place(o), d.code, canon.pointer(rel)));
            }
        }
    }
    let by_doc = index(objects);
    // what a template fault costs, as the rules word it, for [`mark_pre_existing`]
    let phrases = ["claim and pod", "pod", "claim"]
        .map(|what| (what, crate::model::workload::template_consequence(v, what)));
    let mut canons: HashMap<usize, Canon> = HashMap::new();
    for (file, d) in out.iter_mut() {
        let Some(j) = owner(&by_doc, *file, d) else {
            continue;
        };
        let Some(old) = pairs.get(j).copied().flatten() else {
            continue;
        };
        let new = &objects[j];
        let rel = d.pointer[new.base.len()..].to_string();
        strip_immutable_fix(d, new, &rel);
        if is_update_rule(d.code) {
            continue;
        }
        let canon = canons.entry(j).or_insert_with(|| Canon::new(new.node));
        let key = (place(old), d.code, canon.pointer(&rel));
        if old_keys.contains(&key) {
            mark_pre_existing(d, new, &rel, v, &phrases);
        }
    }
}

/// What the finding breaks, and what Kubernetes `v` does with the update.
fn mark_pre_existing(
    d: &mut Diagnostic,
    obj: &Object,
    rel: &str,
    v: KubeVersion,
    phrases: &[(&str, String); 3],
) {
    d.pre_existing = true;
    if d.severity == Severity::Hint {
        return;
    }
    let was_error = d.severity == Severity::Error;
    d.severity = Severity::Warning;
    let mut message = std::mem::take(&mut d.message);
    let template = obj.is_statefulset()
        && (rel.starts_with("/spec/template") || rel.starts_with("/spec/volumeClaimTemplates"));
    let mut broken = None;
    for (what, phrase) in phrases {
        let what = *what;
        if message.contains(phrase.as_str()) {
            message = replace_sentence(
                &message,
                phrase,
                &format!("every {what} creation still fails (FailedCreate events)"),
            );
            broken.get_or_insert(match what {
                "claim" => "the claims",
                _ => "the pods",
            });
        }
    }
    let prefix = if !was_error {
        "already in the live object: ".to_string()
    } else if template || broken.is_some() {
        let broken = broken.unwrap_or("the pods");
        if v.validates_templates_at_submit() {
            format!("already in the live object, not denied: Kubernetes {v} accepts this update (validation ratchets) and {broken} still fail: ")
        } else {
            format!("already in the live object, not denied: Kubernetes {v} accepts this update (it does not validate StatefulSet templates) and {broken} still fail: ")
        }
    } else if message.contains("reject") {
        "already in the live object, not denied (the API server checks this on every update): "
            .to_string()
    } else {
        format!("already in the live object, not denied: Kubernetes {v} accepts this update and it stays broken: ")
    };
    d.message = format!("{prefix}{message}");
}

/// Replaces `phrase` with `with`, capitalised where a sentence starts.
fn replace_sentence(message: &str, phrase: &str, with: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(phrase) {
        let before = &rest[..i];
        out.push_str(before);
        let starts = out.trim_end().is_empty() || out.trim_end().ends_with('.');
        if starts {
            let mut c = with.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push_str(with);
        }
        rest = &rest[i + phrase.len()..];
    }
    out.push_str(rest);
    out
}

/// Pointers (relative to the object) that an update cannot change, with the migration.
fn immutable(obj: &Object, rel: &str) -> Option<String> {
    let name = obj.name.unwrap_or("NAME");
    let under = |p: &str| under(rel, p);
    if under("/metadata/name") || under("/metadata/namespace") || under("/metadata/generateName") {
        return Some(format!(
            "the name and namespace of an existing {} cannot change; a new name is a new object",
            obj.kind
        ));
    }
    if obj.is_statefulset() {
        for field in [
            "volumeClaimTemplates",
            "selector",
            "serviceName",
            "podManagementPolicy",
            "revisionHistoryLimit",
        ] {
            let at = rel
                .strip_prefix("/spec/")
                .and_then(|r| r.strip_prefix(field))
                .is_some_and(|r| r.is_empty() || r.starts_with('/'));
            if at {
                return Some(format!("`spec.{field}` of an existing StatefulSet cannot change; to change it, delete the StatefulSet without its pods and claims (`kubectl delete statefulset {name} --cascade=orphan`) and apply the corrected manifest (the new StatefulSet adopts the running pods and their claims)"));
            }
        }
    } else if let Some(kind) = obj
        .workload()
        .filter(|k| *k != crate::model::workload::WorkloadKind::StatefulSet)
    {
        return immutable_workload_field(kind, rel, &under);
    } else if obj.is_pvc()
        && under("/spec")
        && !under("/spec/resources/requests")
        && !under("/spec/volumeAttributesClassName")
    {
        return Some(format!("the spec of an existing PersistentVolumeClaim cannot change (apart from its storage request and volume attributes class); to change it, create a new claim with the corrected spec, copy the data, and point the workload at it (`{name}` stays as it is)"));
    }
    None
}

/// Whether `rel` is `p` or lies under it.
fn under(rel: &str, p: &str) -> bool {
    rel.strip_prefix(p)
        .is_some_and(|r| r.is_empty() || r.starts_with('/'))
}

/// What an update of a workload other than a StatefulSet cannot change (`rel` relative to the
/// object): the selector of apps/v1 Deployments, ReplicaSets and DaemonSets and of Jobs; a
/// Job's pod template and completion mode; a Pod's spec apart from its containers' images,
/// `activeDeadlineSeconds`, `terminationGracePeriodSeconds`, tolerations and scheduling gates.
fn immutable_workload_field(
    kind: crate::model::workload::WorkloadKind,
    rel: &str,
    under: &dyn Fn(&str) -> bool,
) -> Option<String> {
    use crate::model::workload::WorkloadKind as K;
    let k = kind.name();
    match kind {
        K::Deployment | K::ReplicaSet | K::DaemonSet | K::Job if under("/spec/selector") => {
            Some(format!("`spec.selector` of an existing {k} cannot change; to change it, create a new {k} under another name and delete the old one"))
        }
        K::Job if under("/spec/template") || under("/spec/completionMode") => Some(
            "the pod template and completion mode of an existing Job cannot change; delete the Job and create it again with the corrected manifest".to_string(),
        ),
        K::Pod if under("/spec") && !pod_spec_mutable(rel) => Some(
            "the spec of an existing Pod cannot change (apart from its containers' images, activeDeadlineSeconds, terminationGracePeriodSeconds, tolerations and scheduling gates); delete the Pod and create it again with the corrected manifest, or let a workload create it".to_string(),
        ),
        _ => None,
    }
}

/// The fields of a Pod's spec that an update may change.
fn pod_spec_mutable(rel: &str) -> bool {
    let mut seg = rel.split('/').skip(2);
    match (seg.next(), seg.next(), seg.next(), seg.next()) {
        (Some("containers" | "initContainers"), Some(i), Some("image"), None) => {
            i.bytes().all(|b| b.is_ascii_digit())
        }
        (
            Some(
                "activeDeadlineSeconds"
                | "terminationGracePeriodSeconds"
                | "tolerations"
                | "schedulingGates",
            ),
            ..,
        ) => true,
        _ => false,
    }
}

fn op_paths(op: &PatchOp) -> Vec<&str> {
    match op {
        PatchOp::Add { path, .. }
        | PatchOp::Remove { path }
        | PatchOp::Replace { path, .. }
        | PatchOp::Test { path, .. } => vec![path],
        PatchOp::Move { from, path } | PatchOp::Copy { from, path } => vec![from, path],
    }
}

/// Drops a fix that would change a field an update cannot change, and says what to do instead.
fn strip_immutable_fix(d: &mut Diagnostic, obj: &Object, rel: &str) {
    let Some(fix) = &d.fix else { return };
    let mut why = None;
    for op in &fix.patch {
        for p in op_paths(op) {
            if let Some(r) = p.strip_prefix(obj.base.as_str()) {
                if let Some(w) = immutable(obj, r) {
                    why = Some(w);
                }
            }
        }
    }
    if why.is_none() && fix.patch.is_empty() {
        why = immutable(obj, rel);
    }
    if let Some(w) = why {
        d.fix = None;
        let stop = if d.message.ends_with('.') { "" } else { "." };
        d.message
            .push_str(&format!("{stop} No fix on an update: {w}."));
    }
}
