//! The volumes of a workload's pods: which names mounts can use (pod volumes, and a
//! StatefulSet's claim templates), which are broken and why, and which mounts match nothing.
//! Shared by the mount, claim-template and cross-object rules, and by `normalize`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use crate::model::claim_spec::{self, EPHEMERAL_TEMPLATE_METADATA};
use crate::model::names;
use crate::model::quantity::{self, Quantity};
use crate::model::workload::{
    claim_templates, container_label, containers, template_name, WorkloadKind,
};
use crate::source::{Node, Value};

/// A problem that makes pod validation reject a pod volume.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeIssue {
    /// Pointer relative to the volume, e.g. `/configMap/name` (empty: the volume itself).
    pub rel: String,
    /// What is wrong, phrased to follow "pod volume `x` …": "its configMap has no `name`".
    pub what: String,
}

/// The volume sources of a pod volume, as `VolumeSource` spells them.
pub const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

pub const HOST_PATH_TYPES: &[&str] = &[
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
];

/// A string field as Go decodes it: `Ok(None)` when absent or null, `Ok(Some(""))` when empty,
/// `Err(())` when it is not a string at all (wrong types are CC004's business).
#[allow(clippy::result_unit_err)]
pub fn string_field<'a>(n: &'a Node, key: &str) -> Result<Option<&'a str>, ()> {
    match n.get(key).map(|v| &v.value) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

/// Whether a required string field is missing (absent, null or empty).
pub fn missing(n: &Node, key: &str) -> bool {
    matches!(string_field(n, key), Ok(None) | Ok(Some("")))
}

/// A mapping field that is set (not absent, not null).
pub fn set_field<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.get(key).filter(|v| !v.is_null())
}

pub fn has_backstep(p: &str) -> bool {
    p.split('/').any(|s| s == "..")
}

/// Problems with an item path of a configMap/secret volume (`items[].path`).
pub fn item_issues(src: &Node, src_key: &str, out: &mut Vec<VolumeIssue>) {
    let Some(items) = src.get("items").and_then(Node::as_seq) else {
        return;
    };
    for (k, item) in items.iter().enumerate() {
        let at = format!("/{src_key}/items/{k}");
        if missing(item, "key") {
            out.push(VolumeIssue {
                rel: format!("{at}/key"),
                what: format!("item {k} of its {src_key} has no `key`"),
            });
        }
        match string_field(item, "path") {
            Ok(None) | Ok(Some("")) => out.push(VolumeIssue {
                rel: format!("{at}/path"),
                what: format!("item {k} of its {src_key} has no `path`"),
            }),
            Ok(Some(p)) if p.starts_with('/') => out.push(VolumeIssue {
                rel: format!("{at}/path"),
                what: format!(
                    "item {k} of its {src_key} has the absolute path `{p}` (it must be relative to the mount)"
                ),
            }),
            Ok(Some(p)) if has_backstep(p) => out.push(VolumeIssue {
                rel: format!("{at}/path"),
                what: format!("item {k} of its {src_key} has the path `{p}`, which must not contain `..`"),
            }),
            Ok(Some(p)) if p.starts_with("..") => out.push(VolumeIssue {
                rel: format!("{at}/path"),
                what: format!(
                    "item {k} of its {src_key} has the path `{p}`, which must not start with `..` (reserved for the atomic writer)"
                ),
            }),
            _ => {}
        }
        if let Some(m) = item.get("mode").and_then(Node::as_i64) {
            if !(0..=0o777).contains(&m) {
                out.push(VolumeIssue {
                    rel: format!("{at}/mode"),
                    what: format!(
                        "item {k} of its {src_key} has the file mode {m}, outside 0 to 0777 (511)"
                    ),
                });
            }
        }
    }
}

pub fn default_mode_issue(src: &Node, src_key: &str, out: &mut Vec<VolumeIssue>) {
    if let Some(m) = src.get("defaultMode").and_then(Node::as_i64) {
        if !(0..=0o777).contains(&m) {
            out.push(VolumeIssue {
                rel: format!("/{src_key}/defaultMode"),
                what: format!(
                    "its {src_key} has the defaultMode {m}, outside 0 to 0777 (511); write octal modes as `0644` or as decimal `420`"
                ),
            });
        }
    }
}

/// Everything pod validation rejects in one pod volume, most specific pointer first.
pub fn volume_issues(v: &Node) -> Vec<VolumeIssue> {
    let mut out = Vec::new();
    if v.is_null() {
        // a null entry decodes as a volume with nothing set
        out.push(VolumeIssue {
            rel: "/name".into(),
            what: "it is null, so it has no name".into(),
        });
        return out;
    }
    if v.as_map().is_none() {
        return out; // not a mapping: CC004 reports the wrong type
    }
    match string_field(v, "name") {
        Ok(None) | Ok(Some("")) => out.push(VolumeIssue {
            rel: "/name".into(),
            what: "it has no name".into(),
        }),
        Ok(Some(name)) => {
            if let Some(e) = names::dns1123_label(name).first() {
                out.push(VolumeIssue {
                    rel: "/name".into(),
                    what: format!("its name is not a valid DNS-1123 label: {e}"),
                });
            }
        }
        Err(()) => {}
    }
    // more than one source needs more than one key that names a source
    let source_keys = v.as_map().map_or(0, |m| {
        m.iter()
            .filter(|e| VOLUME_SOURCES.contains(&e.key.as_str()))
            .count()
    });
    let sources: Vec<&str> = if source_keys > 1 {
        VOLUME_SOURCES
            .iter()
            .copied()
            .filter(|k| set_field(v, k).is_some())
            .collect()
    } else {
        Vec::new()
    };
    if sources.len() > 1 {
        out.push(VolumeIssue {
            rel: String::new(),
            what: format!(
                "it has more than one source ({}); a volume takes exactly one",
                sources
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if let Some(cm) = set_field(v, "configMap") {
        if missing(cm, "name") {
            out.push(VolumeIssue {
                rel: "/configMap/name".into(),
                what: "its configMap has no `name`".into(),
            });
        }
        item_issues(cm, "configMap", &mut out);
        default_mode_issue(cm, "configMap", &mut out);
    }
    if let Some(s) = set_field(v, "secret") {
        if missing(s, "secretName") {
            let hint = if string_field(s, "name").ok().flatten().is_some() {
                " (a secret volume names its Secret with `secretName`, not `name`)"
            } else {
                ""
            };
            out.push(VolumeIssue {
                rel: "/secret/secretName".into(),
                what: format!("its secret has no `secretName`{hint}"),
            });
        }
        item_issues(s, "secret", &mut out);
        default_mode_issue(s, "secret", &mut out);
    }
    if let Some(p) = set_field(v, "persistentVolumeClaim") {
        if missing(p, "claimName") {
            out.push(VolumeIssue {
                rel: "/persistentVolumeClaim/claimName".into(),
                what: "its persistentVolumeClaim has no `claimName`".into(),
            });
        }
    }
    if let Some(h) = set_field(v, "hostPath") {
        match string_field(h, "path") {
            Ok(None) | Ok(Some("")) => out.push(VolumeIssue {
                rel: "/hostPath/path".into(),
                what: "its hostPath has no `path`".into(),
            }),
            Ok(Some(p)) if has_backstep(p) => out.push(VolumeIssue {
                rel: "/hostPath/path".into(),
                what: format!("its hostPath `{p}` must not contain `..`"),
            }),
            _ => {}
        }
        if let Ok(Some(t)) = string_field(h, "type") {
            if !HOST_PATH_TYPES.contains(&t) {
                out.push(VolumeIssue {
                    rel: "/hostPath/type".into(),
                    what: format!(
                        "its hostPath type `{t}` is not one of {}",
                        HOST_PATH_TYPES[1..].join(", ")
                    ),
                });
            }
        }
    }
    if let Some(n) = set_field(v, "nfs") {
        if missing(n, "server") {
            out.push(VolumeIssue {
                rel: "/nfs/server".into(),
                what: "its nfs source has no `server`".into(),
            });
        }
        match string_field(n, "path") {
            Ok(None) | Ok(Some("")) => out.push(VolumeIssue {
                rel: "/nfs/path".into(),
                what: "its nfs source has no `path`".into(),
            }),
            Ok(Some(p)) if !p.starts_with('/') => out.push(VolumeIssue {
                rel: "/nfs/path".into(),
                what: format!("its nfs path `{p}` is not absolute"),
            }),
            _ => {}
        }
    }
    crate::model::volume_sources::source_issues(v, &mut out);
    if let Some(e) = set_field(v, "ephemeral") {
        match set_field(e, "volumeClaimTemplate") {
            None => out.push(VolumeIssue {
                rel: "/ephemeral/volumeClaimTemplate".into(),
                what: "its ephemeral source has no `volumeClaimTemplate`".into(),
            }),
            Some(t) => ephemeral_metadata_issues(t, &mut out),
        }
    }
    if let Some(e) = set_field(v, "emptyDir") {
        if let Some(q) = e.get("sizeLimit").and_then(parse_quantity) {
            if q.sign() < 0 {
                out.push(VolumeIssue {
                    rel: "/emptyDir/sizeLimit".into(),
                    what: "its emptyDir has a negative `sizeLimit`".into(),
                });
            }
        }
    }
    out
}

/// Metadata fields of an ephemeral volume's claim template other than labels and annotations
/// (`ValidateTemplateObjectMeta`: they "cannot be set for a template"). Zero values (null, an
/// empty string, map or list) count as unset, as in Go.
fn ephemeral_metadata_issues(tpl: &Node, out: &mut Vec<VolumeIssue>) {
    let Some(entries) = tpl.get("metadata").and_then(Node::as_map) else {
        return;
    };
    for e in entries {
        if EPHEMERAL_TEMPLATE_METADATA.contains(&e.key.as_str()) {
            template_label_issues(&e.key, &e.value, out);
            continue;
        }
        let zero = match &e.value.value {
            Value::Null => true,
            Value::Str(s) => s.is_empty(),
            Value::Seq(s) => s.is_empty(),
            Value::Map(m) => m.is_empty(),
            Value::Int(i) => *i == 0,
            _ => false,
        };
        if zero {
            continue;
        }
        let why = match e.key.as_str() {
            "name" | "generateName" => " (the claim is always named `<pod name>-<volume name>`)",
            "namespace" => " (the claim is always created in the pod's namespace)",
            _ => "",
        };
        out.push(VolumeIssue {
            rel: format!(
                "/ephemeral/volumeClaimTemplate/metadata/{}",
                crate::source::escape_pointer_segment(&e.key)
            ),
            what: format!(
                "its ephemeral volumeClaimTemplate sets `metadata.{}`, which cannot be set for a template: only `labels` and `annotations` may{why}",
                e.key
            ),
        });
    }
}

/// For a Pod (not a pod template: only a Pod has a name when it is validated), what
/// `ValidateVolumes` adds with the Pod's name: the claim of a generic ephemeral volume is named
/// `<pod name>-<volume name>` and must be a valid PVC name, or the volume is rejected (and
/// dropped for its mounts); and a `persistentVolumeClaim` volume must not name a claim that
/// one of the Pod's ephemeral volumes creates (rejected, but the volume stays usable).
/// Returns (volume index, issue, whether the volume is dropped).
pub fn pod_named_volume_issues(pod_name: &str, vols: &[Node]) -> Vec<(usize, VolumeIssue, bool)> {
    let mut out = Vec::new();
    if pod_name.is_empty() {
        return out;
    }
    let mut created = BTreeSet::new();
    for v in vols {
        if set_field(v, "ephemeral").is_some() {
            if let Some(name) = v.str_at(&["name"]).filter(|n| !n.is_empty()) {
                created.insert(format!("{pod_name}-{name}"));
            }
        }
    }
    for (i, v) in vols.iter().enumerate() {
        if set_field(v, "ephemeral").is_some() {
            if let Some(name) = v.str_at(&["name"]).filter(|n| !n.is_empty()) {
                let claim = format!("{pod_name}-{name}");
                if let Some(e) = names::persistent_volume_claim_name(&claim).first() {
                    out.push((
                        i,
                        VolumeIssue {
                            rel: "/name".into(),
                            what: format!(
                                "its ephemeral claim would be named `{claim}` (`<pod name>-<volume name>`), which is not a valid claim name: {e}"
                            ),
                        },
                        true,
                    ));
                }
            }
        }
        if let Some(claim) = v.str_at(&["persistentVolumeClaim", "claimName"]) {
            if created.contains(claim) {
                out.push((
                    i,
                    VolumeIssue {
                        rel: "/persistentVolumeClaim/claimName".into(),
                        what: format!(
                            "it names the claim `{claim}`, which the Pod's own generic ephemeral volume creates; a persistentVolumeClaim volume must not reference a claim created for an ephemeral volume"
                        ),
                    },
                    false,
                ));
            }
        }
    }
    out
}

/// Label keys and values, and annotation keys, of an ephemeral volume's claim template, which
/// validation checks as it checks an object's (`ValidateLabels`, `ValidateAnnotations`).
fn template_label_issues(field: &str, map: &Node, out: &mut Vec<VolumeIssue>) {
    let Some(entries) = map.as_map() else {
        return; // CC004
    };
    for e in entries {
        let rel = format!(
            "/ephemeral/volumeClaimTemplate/metadata/{field}/{}",
            crate::source::escape_pointer_segment(&e.key)
        );
        let key = crate::model::suggest::clip(&e.key, 80);
        // Annotation keys are checked in lower case: the prefix may use capitals.
        let key_errs = if field == "labels" {
            names::qualified_name(&e.key)
        } else {
            names::qualified_name(&names::go_lower(&e.key))
        };
        if let Some(err) = key_errs.first() {
            let what = if field == "labels" {
                "label"
            } else {
                "annotation"
            };
            out.push(VolumeIssue {
                rel,
                what: format!(
                    "its ephemeral volumeClaimTemplate has the invalid {what} key `{key}`: {err}"
                ),
            });
            continue;
        }
        if field != "labels" {
            continue;
        }
        let value = match &e.value.value {
            Value::Str(v) => v.as_str(),
            Value::Null => "",
            _ => continue, // CC004
        };
        if let Some(err) = names::label_value(value).first() {
            out.push(VolumeIssue {
                rel,
                what: format!(
                    "its ephemeral volumeClaimTemplate has the label `{key}` with the invalid value `{}`: {err}",
                    crate::model::suggest::clip(value, 80)
                ),
            });
        }
    }
}

/// A generic ephemeral volume's claim template in a pod spec.
pub struct EphemeralTemplate<'a> {
    /// Index of the volume in `volumes`.
    pub index: usize,
    /// The volume's name, when it has a non-empty one.
    pub volume: Option<&'a str>,
    /// The `ephemeral.volumeClaimTemplate` mapping.
    pub template: &'a Node,
}

impl EphemeralTemplate<'_> {
    /// Object-relative pointer of the template, under the pod spec at `pod_spec_pointer`.
    pub fn pointer(&self, pod_spec_pointer: &str) -> String {
        format!(
            "{pod_spec_pointer}/volumes/{}/ephemeral/volumeClaimTemplate",
            self.index
        )
    }
}

/// The claim templates of the generic ephemeral volumes of an object of `kind` (those that are
/// mappings; a missing or null one is CC310's, another type CC004's).
pub fn ephemeral_templates(obj: &Node, kind: WorkloadKind) -> Vec<EphemeralTemplate<'_>> {
    let Some(vols) = obj
        .path(kind.pod_spec_path())
        .and_then(|p| p.get("volumes"))
        .and_then(Node::as_seq)
    else {
        return Vec::new();
    };
    vols.iter()
        .enumerate()
        .filter_map(|(index, v)| {
            let template = set_field(v, "ephemeral")
                .and_then(|e| set_field(e, "volumeClaimTemplate"))
                .filter(|t| t.as_map().is_some())?;
            Some(EphemeralTemplate {
                index,
                volume: v.str_at(&["name"]).filter(|n| !n.is_empty()),
                template,
            })
        })
        .collect()
}

/// A quantity written as a string or a number; `None` when absent or unparseable (CC007).
pub fn parse_quantity(n: &Node) -> Option<Quantity> {
    match &n.value {
        Value::Str(s) => Quantity::parse(s).ok(),
        Value::Int(i) => quantity::parse_number_text(&i.to_string()).ok(),
        Value::Float(f) => quantity::parse_number_text(&crate::source::float::display(*f)).ok(),
        _ => None,
    }
}

/// Why a pod volume is not usable by mounts (pod validation drops it), if it is not: a fault
/// of the volume itself ([`volume_issues`], CC310's), or else of the claim spec of its
/// generic ephemeral source ([`claim_spec::spec_faults`], the claim rules').
pub fn volume_problem(v: &Node) -> Option<String> {
    problem_after(v, volume_issues(v))
}

/// [`volume_problem`] given the volume's [`volume_issues`].
fn problem_after(v: &Node, issues: Vec<VolumeIssue>) -> Option<String> {
    if let Some(i) = issues.into_iter().next() {
        return Some(i.what);
    }
    let tpl = set_field(v, "ephemeral").and_then(|e| set_field(e, "volumeClaimTemplate"))?;
    tpl.as_map()?;
    claim_spec::spec_faults(tpl)
        .into_iter()
        .next()
        .map(|f| format!("{}, so pod validation rejects it", f.what))
}

/// The names that mounts can use in a StatefulSet's pods: valid pod volumes and valid claim
/// templates (the controller adds a pod volume for each template). Maps name → problem when
/// a volume of that name exists but is unusable.
pub struct VolumeNames<'a> {
    pub usable: BTreeSet<&'a str>,
    pub broken: HashMap<&'a str, String>,
    pub unnamed_templates: Vec<usize>,
    /// Usable names backed by a claim (claim templates, `persistentVolumeClaim` and
    /// `ephemeral` pod volumes): the only ones that `volumeDevices` may use.
    pub claim_backed: BTreeSet<&'a str>,
    /// Usable claim-template names with their index and whether their `volumeMode` is Block.
    pub templates: HashMap<&'a str, (usize, bool)>,
    /// Usable generic ephemeral pod volumes (not shadowed by a claim template) with their
    /// index and whether their claim's `volumeMode` is Block.
    pub ephemeral: HashMap<&'a str, (usize, bool)>,
    /// `usable` again, for lookups by name (one per mount and device).
    usable_lookup: HashSet<&'a str>,
    /// The pod volumes looked at, and by index which of them [`volume_issues`] found nothing
    /// wrong with (see [`VolumeNames::has_no_issues`]).
    volumes: &'a [Node],
    no_issues: Vec<bool>,
}

impl<'a> VolumeNames<'a> {
    /// Whether `name` is usable (in [`VolumeNames::usable`]).
    pub fn is_usable(&self, name: &str) -> bool {
        self.usable_lookup.contains(name)
    }

    /// Whether [`volume_issues`] is known to be empty for item `i` of `volumes` (the same list
    /// these names were worked out from): false when unknown, so that the caller asks.
    pub fn has_no_issues(&self, volumes: &[Node], i: usize) -> bool {
        std::ptr::eq(self.volumes, volumes) && self.no_issues.get(i) == Some(&true)
    }
}

/// The names mounts can use in a StatefulSet's pods ([`volume_names_of`] for a StatefulSet).
pub fn volume_names(sts: &Node) -> VolumeNames<'_> {
    volume_names_of(sts, WorkloadKind::StatefulSet)
}

/// The names mounts can use in the pods of an object of `kind`: its valid pod volumes, and for
/// a StatefulSet its valid claim templates too (only StatefulSets have claim templates).
pub fn volume_names_of(obj: &Node, kind: WorkloadKind) -> VolumeNames<'_> {
    let mut usable = BTreeSet::new();
    let mut broken = HashMap::new();
    let mut unnamed_templates = Vec::new();
    let mut claim_backed = BTreeSet::new();
    let mut templates = HashMap::new();
    let mut ephemeral = HashMap::new();
    let mut volumes: &[Node] = &[];
    let mut no_issues = Vec::new();
    let templates_of = if kind == WorkloadKind::StatefulSet {
        claim_templates(obj)
    } else {
        Vec::new()
    };
    // the usable names, for lookups by name: the pod volumes' as they are found, then the
    // claim templates' (sized up front: growing a table of thousands of names rehashes them)
    let mut usable_lookup: HashSet<&str> = HashSet::new();
    if let Some(vols) = obj
        .path(kind.pod_spec_path())
        .and_then(|p| p.get("volumes"))
        .and_then(Node::as_seq)
    {
        let pod_name = if kind == WorkloadKind::Pod {
            obj.str_at(&["metadata", "name"]).unwrap_or("")
        } else {
            ""
        };
        let dropped: HashMap<usize, String> = pod_named_volume_issues(pod_name, vols)
            .into_iter()
            .filter(|(_, _, drop)| *drop)
            .map(|(i, issue, _)| (i, issue.what))
            .collect();
        // the names in order, each once, sorted into the sets in one go (inserting thousands of
        // names one by one into a sorted set costs many comparisons each)
        usable_lookup.reserve(vols.len() + templates_of.len());
        let mut usable_names: Vec<&str> = Vec::with_capacity(vols.len());
        let mut claim_names: Vec<&str> = Vec::new();
        // what the pod-volume check (CC310) asks again: remembered
        volumes = vols;
        no_issues = vec![false; vols.len()];
        for (i, v) in vols.iter().enumerate() {
            let Some(name) = v.str_at(&["name"]) else {
                continue;
            };
            let issues = volume_issues(v);
            no_issues[i] = issues.is_empty();
            let problem = problem_after(v, issues).or_else(|| dropped.get(&i).cloned());
            match problem {
                None => {
                    if usable_lookup.insert(name) {
                        usable_names.push(name);
                    } else {
                        continue;
                    }
                    if set_field(v, "persistentVolumeClaim").is_some()
                        || set_field(v, "ephemeral").is_some()
                    {
                        claim_names.push(name);
                        if let Some(e) = set_field(v, "ephemeral") {
                            let block = e.str_at(&["volumeClaimTemplate", "spec", "volumeMode"])
                                == Some("Block");
                            ephemeral.insert(name, (i, block));
                        }
                    }
                }
                Some(p) => {
                    broken.insert(name, format!("pod volume `{name}` exists but {p}"));
                }
            }
        }
        usable = usable_names.into_iter().collect();
        claim_backed = claim_names.into_iter().collect();
    }
    for (i, tpl) in templates_of {
        match template_name(tpl) {
            Some(name) => {
                if let Some(e) = names::dns1123_label(name).first() {
                    broken.insert(
                        name,
                        format!("claim template `{name}` exists but its name cannot be a pod volume name ({e})"),
                    );
                } else {
                    usable.insert(name);
                    usable_lookup.insert(name);
                    claim_backed.insert(name);
                    let block = tpl.str_at(&["spec", "volumeMode"]) == Some("Block");
                    templates.entry(name).or_insert((i, block));
                }
            }
            None => unnamed_templates.push(i),
        }
    }
    // the controller replaces a pod volume named like a claim template
    ephemeral.retain(|n, _| !templates.contains_key(n));
    VolumeNames {
        usable_lookup,
        usable,
        broken,
        unnamed_templates,
        claim_backed,
        templates,
        ephemeral,
        volumes,
        no_issues,
    }
}

/// A volumeMount whose name matches no usable volume.
pub struct Unmatched<'a> {
    /// Pointer of the mount's `name`, relative to the object.
    pub pointer: String,
    pub name: &'a str,
    pub mount: &'a Node,
    pub container: String,
}

/// The volumeMounts of a StatefulSet's pods that match no usable volume.
pub fn unmatched_mounts<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<Unmatched<'a>> {
    unmatched_mounts_of(sts, WorkloadKind::StatefulSet, vols)
}

/// The volumeMounts of the pods of an object of `kind` that match no usable volume.
pub fn unmatched_mounts_of<'a>(
    obj: &'a Node,
    kind: WorkloadKind,
    vols: &VolumeNames<'a>,
) -> Vec<Unmatched<'a>> {
    let mut out = Vec::new();
    let Some(pod) = obj.path(kind.pod_spec_path()) else {
        return out;
    };
    let base = kind.pod_spec_pointer();
    for (cptr, c) in containers(pod) {
        let Some(mounts) = c.get("volumeMounts").and_then(Node::as_seq) else {
            continue;
        };
        // the same for every mount of the container: worked out once
        let mut label: Option<String> = None;
        let prefix = format!("{base}{cptr}/volumeMounts/");
        for (j, m) in mounts.iter().enumerate() {
            let name = m.str_at(&["name"]).unwrap_or("");
            if !vols.is_usable(name) {
                let mut pointer = String::with_capacity(prefix.len() + 12);
                pointer.push_str(&prefix);
                let _ = write!(pointer, "{j}/name");
                out.push(Unmatched {
                    pointer,
                    name,
                    mount: m,
                    container: label
                        .get_or_insert_with(|| container_label(c, cptr))
                        .clone(),
                });
            }
        }
    }
    out
}
