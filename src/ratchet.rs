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
use crate::engine::{KubeVersion, Object};
use crate::patch::PatchOp;
use crate::source::{push_pointer_segment, unescape_pointer_segment, Node};

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
    let mut out = String::new();
    Walker::default().resolve(object, rel, &mut |at, seg| {
        // (the segments past the last merge-keyed item come as one, with their slashes)
        if !seg.starts_with('/') {
            out.push('/');
        }
        out.push_str(seg);
        Some(at)
    });
    out
}

/// Walks pointers of one object to their canonical segments (see [`canonical_pointer`]),
/// handing each segment to a numbering ([`Paths`]). Only the part of a pointer up to its last
/// merge-keyed list item needs the document (a list's name is compared as written: no
/// merge-keyed list's name has a `~` or `/` to escape); each step down is a lookup (large
/// mappings are indexed). The segments after it are handed over as one, `/a/b` (a segment
/// never has a `/`): whether a segment is walked depends only on the canonical segments
/// before it, so two pointers have the same canonical segments exactly when their walked
/// segments and the rest agree. The steps of the previous pointer are remembered: the
/// findings of an object come in runs under one list, and the segments they share are not
/// walked, or even split, again.
#[derive(Default)]
struct Walker<'n> {
    /// The object of the previous pointer.
    object: Option<&'n Node>,
    /// The previous pointer.
    rel: String,
    /// Where each segment of `rel` starts and ends, and the merge key of the list it names.
    segs: Vec<(usize, usize, Option<&'static [&'static str]>)>,
    /// Per walked segment of the previous pointer: the node reached and the number of the
    /// canonical path so far (`None`: unknown to the numbering; no step is kept past it).
    steps: Vec<(Option<&'n Node>, u32)>,
    /// A keyed segment being written.
    buf: String,
}

/// How many bytes `a` and `b` share at the start (eight at a time).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut n = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().unwrap_or_default());
        let y = u64::from_le_bytes(y.try_into().unwrap_or_default());
        if x != y {
            return n + (x ^ y).trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    n + a[n..]
        .iter()
        .zip(&b[n..])
        .take_while(|(x, y)| x == y)
        .count()
}

impl<'n> Walker<'n> {
    /// The number that `next` gives the canonical form of `rel` (relative to `object`),
    /// segment by segment from the root's 0; `None` once `next` gives none.
    fn resolve(
        &mut self,
        object: &'n Node,
        rel: &str,
        next: &mut dyn FnMut(u32, &str) -> Option<u32>,
    ) -> Option<u32> {
        let bytes = rel.as_bytes();
        // the segments shared with the previous pointer: the same bytes up to their end,
        // where this pointer's segment ends too
        let mut shared = 0;
        if self.object.is_some_and(|o| std::ptr::eq(o, object)) {
            let cp = common_prefix(self.rel.as_bytes(), bytes);
            let ends_here = cp == bytes.len() || bytes[cp] == b'/';
            shared = self
                .segs
                .iter()
                .take_while(|&&(_, end, _)| end < cp || (end == cp && ends_here))
                .count();
        }
        self.segs.truncate(shared);
        // the others: what follows each further `/` (as `rel.split('/').skip(1)`)
        let from = self.segs.last().map_or(0, |&(_, end, _)| end);
        let mut start = None;
        for (i, &b) in bytes.iter().enumerate().skip(from) {
            if b == b'/' {
                if let Some(a) = start {
                    self.segs.push((a, i, merge_key(&rel[a..i])));
                }
                start = Some(i + 1);
            }
        }
        if let Some(a) = start {
            self.segs.push((a, bytes.len(), merge_key(&rel[a..])));
        }
        // the document is walked up to the last merge-keyed list item
        let n = self.segs.len();
        let walk = (1..n)
            .rev()
            .find(|&i| self.segs[i - 1].2.is_some())
            .map_or(0, |i| i + 1);
        // the steps shared with the previous pointer (both walked them)
        let keep = shared.min(walk).min(self.steps.len());
        self.steps.truncate(keep);
        self.object = Some(object);
        self.rel.clear();
        self.rel.push_str(rel);
        let (mut node, mut at) = match self.steps.last() {
            Some(&(node, at)) => (node, at),
            None => (Some(object), 0),
        };
        for i in keep..walk {
            let (a, end, _) = self.segs[i];
            let seg = &rel[a..end];
            let list_key = i.checked_sub(1).and_then(|k| self.segs[k].2);
            let (child, keyed) = step(node, seg, list_key, &mut self.buf);
            node = child;
            at = next(at, if keyed { self.buf.as_str() } else { seg })?;
            self.steps.push((node, at));
        }
        match self.segs.get(walk) {
            // the rest as one, from the `/` before it
            Some(&(a, ..)) => next(at, &rel[a - 1..]),
            None => Some(at),
        }
    }
}

/// One segment down from `node` (an item of a list whose merge key is `list_key`, when it is
/// one): the child, and whether the segment's canonical form is the item's merge key (then
/// written to `buf`) rather than `seg` itself.
fn step<'n>(
    node: Option<&'n Node>,
    seg: &str,
    list_key: Option<&'static [&'static str]>,
    buf: &mut String,
) -> (Option<&'n Node>, bool) {
    let raw: std::borrow::Cow<str> = if seg.contains('~') {
        unescape_pointer_segment(seg).into()
    } else {
        seg.into()
    };
    let Some(n) = node else {
        return (None, false);
    };
    if let Some(items) = n.as_seq() {
        let item = raw.parse::<usize>().ok().and_then(|i| items.get(i));
        if let (Some(item), Some(key)) = (item, list_key) {
            if let Some(v) = item.path(key) {
                let text = match v.as_str() {
                    Some(s) => Some(std::borrow::Cow::Borrowed(s)),
                    None => scalar_text(v).map(std::borrow::Cow::Owned),
                };
                if let Some(text) = text {
                    buf.clear();
                    buf.push('[');
                    for (k, part) in key.iter().enumerate() {
                        if k > 0 {
                            buf.push('.');
                        }
                        buf.push_str(part);
                    }
                    buf.push('=');
                    push_pointer_segment(buf, &text);
                    buf.push(']');
                    return (Some(item), true);
                }
            }
        }
        return (item, false);
    }
    (n.get(&raw), false)
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

/// Canonical pointers as paths in a tree of segments, each node numbered: two pointers are
/// equal when they end at the same node. The live objects' pointers are added; the new ones'
/// are only looked up (a pointer that leaves the tree is no live object's).
#[derive(Default)]
struct Paths {
    /// (node, segment) → the child node, the root being 0; keyed by the node's number (four
    /// bytes) and the segment's text, hashed with a per-process key (the texts are the
    /// input's): one lookup per segment
    children: HashMap<Box<[u8]>, u32>,
    /// The key being looked up.
    key: Vec<u8>,
}

impl Paths {
    fn with_capacity(n: usize) -> Self {
        Paths {
            children: HashMap::with_capacity(n),
            key: Vec::new(),
        }
    }

    fn key(&mut self, at: u32, seg: &str) {
        self.key.clear();
        self.key.extend_from_slice(&at.to_le_bytes());
        self.key.extend_from_slice(seg.as_bytes());
    }

    fn add(&mut self, at: u32, seg: &str) -> u32 {
        self.key(at, seg);
        let next_node = self.children.len() as u32 + 1;
        *self
            .children
            .entry(self.key.as_slice().into())
            .or_insert(next_node)
    }

    fn find(&mut self, at: u32, seg: &str) -> Option<u32> {
        self.key(at, seg);
        self.children.get(self.key.as_slice()).copied()
    }
}

/// Hashing for keys made of numbers the engine and the ratchet assign (object indices and
/// places, path numbers) and rule codes — nothing an input chooses byte by byte —: a multiply-and-mix with a key drawn
/// per process, cheaper than the default SipHash on the ratchet's many lookups.
#[derive(Clone)]
struct Ids(u64);

impl Default for Ids {
    fn default() -> Self {
        use std::hash::BuildHasher;
        Ids(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64) | 1)
    }
}

impl std::hash::BuildHasher for Ids {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    fn finish(&self) -> u64 {
        // a final mix (murmur3's) so that every bit of the state reaches the table's index
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

/// The update rules compare the two versions: their findings are about the change itself.
pub(crate) fn is_update_rule(code: &str) -> bool {
    code.starts_with("CC5")
}

/// Objects by where they sit — (file, document, base pointer): a document's root, or the
/// items of a `kind: List` — and the object a finding belongs to.
struct Owners<'o>(HashMap<(usize, usize, &'o str), usize, Ids>);

impl<'o> Owners<'o> {
    fn of(objects: &'o [Object]) -> Self {
        Owners(
            objects
                .iter()
                .enumerate()
                .map(|(j, o)| ((o.file, o.document, o.base.as_str()), j))
                .collect(),
        )
    }

    fn owner(&self, file: usize, d: &Diagnostic) -> Option<usize> {
        let item = d.pointer.strip_prefix("/items/").map(|rest| {
            let i = rest.split('/').next().unwrap_or("");
            &d.pointer[.."/items/".len() + i.len()]
        });
        item.and_then(|base| self.0.get(&(file, d.document, base)))
            .or_else(|| self.0.get(&(file, d.document, "")))
            .copied()
    }
}

/// What [`apply`] does to the fixes alone, for a round of fixing (which reads nothing but
/// the fixes it applies: no live object's findings are needed): drops the fixes that an update
/// cannot apply.
pub(crate) fn strip_immutable_fixes(
    out: &mut [(usize, Diagnostic)],
    objects: &[Object],
    pairs: &[Option<&Object>],
) {
    let owners = Owners::of(objects);
    for (file, d) in out.iter_mut() {
        if d.fix.is_none() {
            continue;
        }
        let Some(j) = owners.owner(*file, d) else {
            continue;
        };
        if pairs.get(j).copied().flatten().is_none() {
            continue;
        }
        let new = &objects[j];
        let rel = d
            .pointer
            .get(new.base.len().min(d.pointer.len())..)
            .unwrap_or("")
            .to_string();
        strip_immutable_fix(d, new, &rel);
    }
}

/// Marks the findings of `out` (the new objects' findings, by file) that the paired live
/// object already had, and drops fixes that an update cannot apply.
///
/// `old_findings` holds the findings of the live objects by old file `i`, whose objects carry
/// the file number `usize::MAX - i` in `old_objects`; `pairs[j]` is the live version of
/// `objects[j]`. `details`: when only the first so many findings per file and rule are shown
/// in full (the others are capped, [`crate::rule::cap_findings`]), the others only get their
/// place in the ratchet and their severity — their messages and fixes are never shown.
pub(crate) fn apply(
    out: &mut [(usize, Diagnostic)],
    objects: &[Object],
    pairs: &[Option<&Object>],
    old_objects: &[Object],
    old_findings: &[(usize, Diagnostic)],
    v: KubeVersion,
    details: Option<usize>,
) {
    let old_owners = Owners::of(old_objects);
    // sized for two path nodes (an item and the rest) and a key per live finding (growing
    // rehashes every key)
    let mut paths = Paths::with_capacity(old_findings.len().saturating_mul(2));
    let mut walker = Walker::default();
    let mut old_keys: HashSet<(usize, &'static str, u32), Ids> =
        HashSet::with_capacity_and_hasher(old_findings.len(), Ids::default());
    for (i, d) in old_findings {
        let file = usize::MAX - i;
        if let Some(j) = old_owners.owner(file, d) {
            let o = &old_objects[j];
            let rel = d.pointer.get(o.base.len()..).unwrap_or("");
            let add = &mut |at, seg: &str| Some(paths.add(at, seg));
            if let Some(at) = walker.resolve(o.node, rel, add) {
                old_keys.insert((j, d.code, at));
            }
        }
    }
    let mut walker = Walker::default();
    let owners = Owners::of(objects);
    // what a template fault costs, as the rules word it, for [`mark_pre_existing`]
    let phrases = ["claim and pod", "pod", "claim"]
        .map(|what| (what, crate::model::workload::template_consequence(v, what)));
    let mut counts: HashMap<(usize, &'static str), usize, Ids> = HashMap::default();
    for (file, d) in out.iter_mut() {
        let detailed = match details {
            Some(limit) => {
                let n = counts.entry((*file, d.code)).or_insert(0);
                *n += 1;
                *n <= limit
            }
            None => true,
        };
        let Some(j) = owners.owner(*file, d) else {
            continue;
        };
        let Some(old) = pairs.get(j).copied().flatten() else {
            continue;
        };
        let new = &objects[j];
        let rel_at = new.base.len().min(d.pointer.len());
        if detailed {
            let rel = d.pointer[rel_at..].to_string();
            strip_immutable_fix(d, new, &rel);
        }
        if is_update_rule(d.code) || old_keys.is_empty() {
            continue;
        }
        let Some(&old_j) = old_owners
            .0
            .get(&(old.file, old.document, old.base.as_str()))
        else {
            continue;
        };
        let rel = d.pointer.get(rel_at..).unwrap_or("");
        let known = walker
            .resolve(new.node, rel, &mut |at, seg| paths.find(at, seg))
            .is_some_and(|at| old_keys.contains(&(old_j, d.code, at)));
        if known {
            if detailed {
                let rel = rel.to_string();
                mark_pre_existing(d, new, &rel, v, &phrases);
            } else {
                d.pre_existing = true;
                if d.severity != Severity::Hint {
                    d.severity = Severity::Warning;
                }
            }
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
    // a phrase the same as one just looked for in vain (from 1.34 all three are) is not there
    // either: the message has not changed since
    let mut missing: Option<&str> = None;
    for (what, phrase) in phrases {
        let what = *what;
        if missing == Some(phrase.as_str()) {
            continue;
        }
        missing = Some(phrase.as_str());
        if message.contains(phrase.as_str()) {
            missing = None;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_stream, Limits};

    /// The canonical segments of `rel` as `resolve` hands them over, `|`-separated.
    fn canonical<'n>(walker: &mut Walker<'n>, root: &'n Node, rel: &str) -> String {
        let mut out = String::new();
        walker.resolve(root, rel, &mut |at, seg| {
            out.push('|');
            out.push_str(seg);
            Some(at)
        });
        out
    }

    /// The walker remembers the previous pointer's steps: a run of pointers walked with one
    /// walker gives each the canonical form a fresh walker gives it, whatever they share
    /// (prefixes ending inside a segment, deeper and shallower merge-keyed items, a list
    /// named like a merge-keyed one under a mapping, escapes, pointers that leave the tree).
    #[test]
    fn a_remembered_walk_agrees_with_a_fresh_one() {
        let text = r#"{"spec": {"template": {"spec": {
            "containers": [
              {"name": "app", "env": [{"name": "A"}, {"name": "B/~x"}, {"value": "no name"}],
               "volumeMounts": [{"name": "d", "mountPath": "/data"}, {"name": "e", "mountPath": "/e"}],
               "ports": [{"containerPort": 80}, {"containerPort": 8080}]},
              {"name": "side", "env": [{"name": "C"}], "x": {"env": [1, 2]}}],
            "volumes": [{"name": "d"}, {"name": "e"}]}},
          "volumeClaimTemplates": [{"metadata": {"name": "t"}}]}}"#;
        let stream = parse_stream(text, &Limits::default());
        let root = &stream.documents[0].root;
        let pointers = [
            "/spec/template/spec/containers/0/env/0/name",
            "/spec/template/spec/containers/0/env/1/name",
            "/spec/template/spec/containers/0/env/10/name",
            "/spec/template/spec/containers/0/env/1",
            "/spec/template/spec/containers/0/env/2/value",
            "/spec/template/spec/containers/0/env",
            "/spec/template/spec/containers/0/env/",
            "/spec/template/spec/containers/0/volumeMounts/1/name",
            "/spec/template/spec/containers/0/volumeMounts/0/name",
            "/spec/template/spec/containers/0/ports/1/containerPort",
            "/spec/template/spec/containers/1/env/0/name",
            "/spec/template/spec/containers/1/x/env/1",
            "/spec/template/spec/containers/1/x/env/0",
            "/spec/template/spec/containers/1",
            "/spec/template/spec/containers/11/env/0/name",
            "/spec/template/spec/volumes/1/name",
            "/spec/template/spec/volumes/0/name",
            "/spec/volumeClaimTemplates/0/metadata/name",
            "/spec/volumeClaimTemplates/0/spec",
            "/spec/template/spec/containers/0/env/0/name",
            "",
            "/spec/template/spec/containers/0/env/0/name",
        ];
        // one walker for the run and a fresh one per pointer number each pointer alike (the
        // numbering hands out a node's number again for a path it has seen)
        let mut paths = Paths::with_capacity(0);
        let mut remembered = Walker::default();
        for rel in pointers {
            let run = remembered.resolve(root, rel, &mut |at, seg| Some(paths.add(at, seg)));
            let fresh =
                Walker::default().resolve(root, rel, &mut |at, seg| Some(paths.add(at, seg)));
            assert_eq!(run, fresh, "{rel}");
        }
        let mut finder = Walker::default();
        for rel in pointers {
            let found = finder.resolve(root, rel, &mut |at, seg| paths.find(at, seg));
            let fresh = Walker::default().resolve(root, rel, &mut |at, seg| paths.find(at, seg));
            assert_eq!(found, fresh, "{rel}");
        }
        // and the numbering: equal exactly when the canonical forms are
        let mut paths = Paths::with_capacity(0);
        let mut walker = Walker::default();
        let ids: Vec<Option<u32>> = pointers
            .iter()
            .map(|rel| walker.resolve(root, rel, &mut |at, seg| Some(paths.add(at, seg))))
            .collect();
        for (i, a) in pointers.iter().enumerate() {
            for (j, b) in pointers.iter().enumerate() {
                let same = canonical(&mut Walker::default(), root, a)
                    == canonical(&mut Walker::default(), root, b);
                assert_eq!(ids[i] == ids[j], same, "{a} / {b}");
            }
        }
    }
}
