//! Which pods use which claims, across the objects of one input: every pod volume that names a
//! PersistentVolumeClaim (`persistentVolumeClaim.claimName`) in the pod spec of any workload
//! kind, with its mounts and pointers; the claims StatefulSets create from their templates; the
//! access modes of a claim; which workloads stand for the same pods (a Deployment, its
//! ReplicaSets and their Pods in a `kubectl get -o yaml` dump). Shared by the cross-object claim
//! rules (CC406 to CC412).
//!
//! Every lookup is by claim name through a hash map, so the analysis stays linear in the size of
//! the input however many workloads and claims it holds.

use std::collections::{HashMap, HashSet};

use crate::model::workload::{
    claim_templates, containers, template_name, ContainerAt, WorkloadKind,
};
use crate::rule::{Bundle, Object};
use crate::source::{Node, Value};

/// The workload kind of an object for claim usage. Lenient about `apiVersion`: an
/// `extensions/v1beta1` Deployment still mounts its claims, so it still uses them.
pub fn usage_kind(obj: &Object) -> Option<WorkloadKind> {
    obj.workload().or_else(|| {
        let v = obj.api_version;
        let kubernetes = v == "v1"
            || ["apps/", "extensions/", "batch/"]
                .iter()
                .any(|g| v.starts_with(g));
        WorkloadKind::ALL
            .into_iter()
            .find(|k| kubernetes && k.name() == obj.kind)
    })
}

/// Whether two objects can see each other: the same namespace, or one of them has none (it is
/// created in whatever namespace the other is applied to).
pub fn same_namespace(a: &Object, b: &Object) -> bool {
    let (x, y) = (a.namespace.unwrap_or(""), b.namespace.unwrap_or(""));
    x.is_empty() || y.is_empty() || x == y
}

/// One container's mount of a pod volume.
#[derive(Debug, Clone)]
pub struct MountUse<'a> {
    /// The pod spec's pointer (see [`MountUse::pointer`]).
    pod_spec: &'static str,
    /// The container and the index of the mount in its `volumeMounts`.
    at: ContainerAt,
    index: usize,
    pub container: Option<&'a str>,
    pub mount_path: Option<&'a str>,
    /// `readOnly: true` on the mount.
    pub read_only: bool,
}

/// One pod volume that names a claim.
#[derive(Debug)]
pub struct ClaimUse<'o, 'a> {
    pub user: &'o Object<'a>,
    pub kind: WorkloadKind,
    /// The claim's name (`claimName`, not empty).
    pub claim: &'a str,
    /// The pod volume's name.
    pub volume: &'a str,
    /// The index of the volume in the pod spec's `volumes` (see [`ClaimUse::volume_pointer`]).
    volume_index: usize,
    /// `persistentVolumeClaim.readOnly`: `Some(b)` when written as a boolean.
    pub read_only: Option<bool>,
    /// The containers' mounts of the volume (volumeDevices are not mounts and not listed).
    pub mounts: Vec<MountUse<'a>>,
    /// A StatefulSet pod volume named like one of its claim templates: the controller puts the
    /// template's claim in its place, so this `claimName` is never used.
    pub shadowed: bool,
}

impl MountUse<'_> {
    /// Object-relative pointer of the volumeMount, e.g.
    /// `/spec/template/spec/containers/0/volumeMounts/1` (built only for a finding).
    pub fn pointer(&self) -> String {
        format!("{}{}/volumeMounts/{}", self.pod_spec, self.at, self.index)
    }
}

impl ClaimUse<'_, '_> {
    /// Object-relative pointer of the volume, e.g. `/spec/template/spec/volumes/2` (built
    /// only for a finding).
    pub fn volume_pointer(&self) -> String {
        format!(
            "{}/volumes/{}",
            self.kind.pod_spec_pointer(),
            self.volume_index
        )
    }

    /// Object-relative pointer of the `claimName`.
    pub fn claim_pointer(&self) -> String {
        format!(
            "{}/volumes/{}/persistentVolumeClaim/claimName",
            self.kind.pod_spec_pointer(),
            self.volume_index
        )
    }
}

/// The uses of one claim that the rules look at: beyond this many pod volumes naming one claim,
/// the rest are not examined (no real input comes near it; a hostile one stays linear).
pub const MAX_USES: usize = 1_000;

/// Every claim use of the input, indexed by claim name.
pub struct ClaimUsage<'o, 'a> {
    pub uses: Vec<ClaimUse<'o, 'a>>,
    /// Uses by claim name, of every namespace.
    by_claim: HashMap<&'a str, Vec<usize>>,
    /// Uses by namespace ("" when the user has none) and claim name.
    by_key: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// Whether the input holds any object with a pod spec.
    pub has_workloads: bool,
    generated: GeneratedClaims<'o, 'a>,
    /// `metadata.uid`s of the workloads of the input.
    uids: HashSet<&'a str>,
    /// The claims the Pods of the input get for their generic ephemeral volumes,
    /// `<pod>-<volume>`, with the Pod's namespace ("" when it has none).
    ephemeral: HashSet<(&'a str, String)>,
}

fn bool_of(n: &Node) -> Option<bool> {
    match n.value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

impl<'o, 'a> ClaimUsage<'o, 'a> {
    pub fn of(bundle: &'o Bundle<'a>) -> Self {
        let mut uses = Vec::new();
        let mut by_claim: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut by_key: HashMap<(&'a str, &'a str), Vec<usize>> = HashMap::new();
        let mut has_workloads = false;
        let mut uids = HashSet::new();
        let mut ephemeral = HashSet::new();
        for obj in &bundle.objects {
            let Some(kind) = usage_kind(obj) else {
                continue;
            };
            let Some(spec) = obj
                .node
                .path(kind.pod_spec_path())
                .filter(|n| n.as_map().is_some())
            else {
                continue;
            };
            has_workloads = true;
            if let Some(uid) = obj.node.str_at(&["metadata", "uid"]) {
                uids.insert(uid);
            }
            let volumes = spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]);
            if kind == WorkloadKind::Pod {
                if let Some(pod) = obj.name {
                    for v in volumes.iter().filter(|v| v.get("ephemeral").is_some()) {
                        if let Some(vol) = v.str_at(&["name"]) {
                            ephemeral.insert((obj.namespace.unwrap_or(""), format!("{pod}-{vol}")));
                        }
                    }
                }
            }
            if !volumes
                .iter()
                .any(|v| v.get("persistentVolumeClaim").is_some())
            {
                continue;
            }
            // room for every volume at once: a pod spec with thousands of volumes grows the
            // indexes once, not once per doubling
            uses.reserve(volumes.len());
            by_claim.reserve(volumes.len());
            by_key.reserve(volumes.len());
            // the mounts of the pod spec by volume name
            let mut mounts: HashMap<&'a str, Vec<MountUse<'a>>> = HashMap::new();
            for (cptr, c) in containers(spec) {
                for (i, m) in c
                    .get("volumeMounts")
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    let Some(name) = m.str_at(&["name"]) else {
                        continue;
                    };
                    mounts.entry(name).or_default().push(MountUse {
                        pod_spec: kind.pod_spec_pointer(),
                        at: cptr,
                        index: i,
                        container: c.str_at(&["name"]),
                        mount_path: m.str_at(&["mountPath"]),
                        read_only: m.get("readOnly").and_then(bool_of) == Some(true),
                    });
                }
            }
            let templates: Vec<&str> = if kind == WorkloadKind::StatefulSet {
                claim_templates(obj.node)
                    .iter()
                    .filter_map(|(_, t)| template_name(t))
                    .collect()
            } else {
                Vec::new()
            };
            for (k, v) in volumes.iter().enumerate() {
                let Some(pvc) = v.get("persistentVolumeClaim") else {
                    continue;
                };
                let Some(claim) = pvc.str_at(&["claimName"]).filter(|c| !c.is_empty()) else {
                    continue;
                };
                let volume = v.str_at(&["name"]).unwrap_or("");
                by_claim.entry(claim).or_default().push(uses.len());
                by_key
                    .entry((obj.namespace.unwrap_or(""), claim))
                    .or_default()
                    .push(uses.len());
                uses.push(ClaimUse {
                    user: obj,
                    kind,
                    claim,
                    volume,
                    volume_index: k,
                    read_only: pvc.get("readOnly").and_then(bool_of),
                    mounts: mounts.remove(volume).unwrap_or_default(),
                    shadowed: templates.contains(&volume),
                });
            }
        }
        ClaimUsage {
            uses,
            by_claim,
            by_key,
            has_workloads,
            generated: GeneratedClaims::of(bundle),
            uids,
            ephemeral,
        }
    }

    /// The uses of the claim `name` by objects that can see `ns_of` (its namespace), the
    /// shadowed ones of StatefulSets left out, at most [`MAX_USES`] of them.
    pub fn uses_of<'s>(
        &'s self,
        name: &'a str,
        ns_of: &Object<'a>,
    ) -> impl Iterator<Item = &'s ClaimUse<'o, 'a>> + 's {
        let ns = ns_of.namespace.unwrap_or("");
        let lists: [&[usize]; 2] = if ns.is_empty() {
            [self.by_claim.get(name).map_or(&[][..], Vec::as_slice), &[]]
        } else {
            [
                self.by_key.get(&(ns, name)).map_or(&[][..], Vec::as_slice),
                self.by_key.get(&("", name)).map_or(&[][..], Vec::as_slice),
            ]
        };
        lists
            .into_iter()
            .flatten()
            .filter_map(|&i| self.uses.get(i))
            .filter(|u| !u.shadowed)
            .take(MAX_USES)
    }

    /// Whether a StatefulSet of the input (in the namespace of `ns_of`) creates a claim of this
    /// name from a claim template: `<template>-<statefulset>-<ordinal>`.
    pub fn is_generated(&self, ns_of: &Object, claim: &str) -> Option<&'o Object<'a>> {
        self.generated.find(ns_of, claim)
    }

    /// Whether a claim of the input is one that a Pod of the input gets for a generic ephemeral
    /// volume (`<pod>-<volume>`, as `kubectl get pod,pvc -o yaml` shows them), or is owned by
    /// another object (`ownerReferences`: a Pod's ephemeral claim, a StatefulSet's claim with a
    /// retention policy): its owner decides its life, not the pods of the input.
    pub fn is_managed(&self, pvc: &Object) -> bool {
        let owned = pvc
            .node
            .path(&["metadata", "ownerReferences"])
            .and_then(Node::as_seq)
            .is_some_and(|r| !r.is_empty());
        owned
            || pvc.name.is_some_and(|n| {
                let ns = pvc.namespace.unwrap_or("");
                self.ephemeral.contains(&(ns, n.to_string()))
                    || (!ns.is_empty() && self.ephemeral.contains(&("", n.to_string())))
            })
    }

    /// Whether `obj` is run by a controller that is itself in the input (a ReplicaSet of a
    /// Deployment, a Pod of a ReplicaSet, a Job of a CronJob): its owner stands for its pods.
    pub fn owner_in_input(&self, obj: &Object) -> bool {
        controller_uid(obj).is_some_and(|uid| self.uids.contains(uid))
    }
}

/// The `uid` of an object's controller (`ownerReferences[]` with `controller: true`).
pub fn controller_uid<'a>(obj: &Object<'a>) -> Option<&'a str> {
    obj.node
        .path(&["metadata", "ownerReferences"])
        .and_then(Node::as_seq)?
        .iter()
        .find(|r| r.get("controller").and_then(bool_of) == Some(true))
        .and_then(|r| r.str_at(&["uid"]))
}

/// The claim names StatefulSets' templates generate, `<template>-<statefulset>-<ordinal>`,
/// by their prefix `<template>-<statefulset>-`, so that each lookup costs the same however
/// many StatefulSets the input holds.
struct GeneratedClaims<'o, 'a> {
    prefixes: HashMap<String, Vec<&'o Object<'a>>>,
}

impl<'o, 'a> GeneratedClaims<'o, 'a> {
    fn of(bundle: &'o Bundle<'a>) -> Self {
        let mut prefixes: HashMap<String, Vec<&'o Object<'a>>> = HashMap::new();
        for sts in bundle.objects.iter().filter(|o| o.kind == "StatefulSet") {
            let Some(sts_name) = sts.name else { continue };
            for (_, t) in claim_templates(sts.node) {
                if let Some(t) = template_name(t) {
                    prefixes
                        .entry(format!("{t}-{sts_name}-"))
                        .or_default()
                        .push(sts);
                }
            }
        }
        GeneratedClaims { prefixes }
    }

    fn find(&self, user: &Object, claim: &str) -> Option<&'o Object<'a>> {
        let prefix = claim.trim_end_matches(|c: char| c.is_ascii_digit());
        if prefix.len() == claim.len() {
            return None;
        }
        self.prefixes
            .get(prefix)
            .and_then(|l| l.iter().find(|sts| same_namespace(sts, user)).copied())
    }
}

/// How exclusive a claim's access modes make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusive {
    /// Only `ReadWriteOnce` (with or without `ReadWriteOncePod`): one node at a time.
    Node,
    /// `ReadWriteOncePod` alone: one pod in the cluster at a time.
    Pod,
}

/// The access modes of a claim (its `spec.accessModes` strings).
pub fn access_modes(claim: &Node) -> Vec<&str> {
    claim
        .path(&["spec", "accessModes"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// Whether a claim may be attached to one node (or one pod) only: its access modes are all
/// `ReadWriteOnce` / `ReadWriteOncePod`. A claim that also lists `ReadOnlyMany` or
/// `ReadWriteMany` is bound to a volume that supports it, and the attach-detach controller
/// allows attaching such a volume to several nodes.
pub fn exclusive(claim: &Node) -> Option<Exclusive> {
    let modes = access_modes(claim);
    if modes.is_empty()
        || modes
            .iter()
            .any(|m| *m != "ReadWriteOnce" && *m != "ReadWriteOncePod")
    {
        return None;
    }
    if modes.contains(&"ReadWriteOncePod") {
        Some(Exclusive::Pod)
    } else {
        Some(Exclusive::Node)
    }
}

/// The node a pod spec pins its pods to, when it names one: `nodeName`, or a `nodeSelector` on
/// `kubernetes.io/hostname`.
pub fn pinned_node(pod_spec: &Node) -> Option<&str> {
    pod_spec
        .str_at(&["nodeName"])
        .filter(|s| !s.is_empty())
        .or_else(|| {
            pod_spec
                .str_at(&["nodeSelector", "kubernetes.io/hostname"])
                .filter(|s| !s.is_empty())
        })
}

/// The pod spec of a claim use's object.
pub fn pod_spec_of<'a>(u: &ClaimUse<'_, 'a>) -> Option<&'a Node> {
    u.user.node.path(u.kind.pod_spec_path())
}

/// The names that the containers of a pod spec mount (`volumeMounts[].name`) but that name no
/// pod volume of it, each once, in order.
pub fn unmatched_mount_names(pod_spec: &Node) -> Vec<&str> {
    let volumes: HashSet<&str> = pod_spec
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.str_at(&["name"]))
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (_, c) in containers(pod_spec) {
        for m in c.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(n) = m.str_at(&["name"]) {
                if !volumes.contains(n) && seen.insert(n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// Where a workload's pods may run, as far as sharing a node goes: the node they are pinned to,
/// their labels, and the selectors of their required pod-affinity terms on
/// `kubernetes.io/hostname` (the pods must run on a node where pods matching one of them run).
#[derive(Debug, Default)]
pub struct Placement<'a> {
    pub node: Option<&'a str>,
    pub labels: std::collections::BTreeMap<String, String>,
    pub affinity: Vec<crate::model::selector::Selector>,
}

impl<'a> Placement<'a> {
    /// The placement of the pods of a claim use's object.
    pub fn of(u: &ClaimUse<'_, 'a>) -> Self {
        let spec = pod_spec_of(u);
        let labels_node = match u.kind.template_pointer() {
            None => u.user.node.path(&["metadata", "labels"]),
            Some(_) => {
                let path = u.kind.pod_spec_path();
                let template = &path[..path.len().saturating_sub(1)];
                u.user
                    .node
                    .path(template)
                    .and_then(|t| t.path(&["metadata", "labels"]))
            }
        };
        // inserted one by one (a repeated key: the last wins, as with `collect`, which would
        // bring a sort of its own)
        let mut labels = std::collections::BTreeMap::new();
        for e in labels_node.and_then(Node::as_map).unwrap_or(&[]) {
            if let Some(v) = crate::model::selector::label_value_text(&e.value) {
                labels.insert(e.key.clone(), v.to_string());
            }
        }
        let affinity = spec
            .and_then(|s| {
                s.path(&[
                    "affinity",
                    "podAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ])
            })
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter(|t| t.str_at(&["topologyKey"]) == Some("kubernetes.io/hostname"))
            .filter_map(|t| t.get("labelSelector"))
            .filter_map(crate::model::selector::parse_selector)
            .filter(|sel| !sel.is_empty())
            .collect();
        Placement {
            node: spec.and_then(pinned_node),
            labels,
            affinity,
        }
    }

    /// Whether all the pods of one workload must share a node: pinned to one, or required to
    /// run beside pods with their own labels.
    pub fn alone_together(&self) -> bool {
        self.node.is_some() || self.affinity.iter().any(|s| s.matches(&self.labels))
    }

    /// Whether the pods of `self` and `other` must share a node: pinned to the same node, or
    /// one requires (pod affinity on `kubernetes.io/hostname`) to run beside the other's pods.
    pub fn together(&self, other: &Placement) -> bool {
        self.node.is_some() && self.node == other.node
            || self.affinity.iter().any(|s| s.matches(&other.labels))
            || other.affinity.iter().any(|s| s.matches(&self.labels))
    }
}

/// Whether all these placements are tied to one node (each linked to the others through
/// [`Placement::together`]). Looks at no more than 64 placements (more: `false`), so the
/// pairwise comparison stays bounded.
pub fn all_together(placements: &[&Placement]) -> bool {
    if placements.is_empty() || placements.len() > 64 {
        return false;
    }
    let mut reached = vec![false; placements.len()];
    let mut stack = vec![0usize];
    while let Some(i) = stack.pop() {
        let Some(p) = placements.get(i) else { continue };
        if let Some(r) = reached.get_mut(i) {
            *r = true;
        }
        for (j, q) in placements.iter().enumerate() {
            if !reached.get(j).copied().unwrap_or(true) && !stack.contains(&j) && p.together(q) {
                stack.push(j);
            }
        }
    }
    reached.iter().all(|r| *r)
}
