//! Mounts and volumes: every volumeMount must name a pod volume or a claim template.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::{Applicability, Fix, Severity};
use crate::engine::{Bundle, Ctx, Object};
use crate::fix;
use crate::model::names;
use crate::patch::PatchOp;
use crate::registry::{FixAvailability, RuleMeta};
use crate::rules::{
    claim_templates, container_label, containers, template_consequence, template_name,
};
use crate::source::Node;

pub const CC301: RuleMeta = RuleMeta {
    code: "CC301",
    name: "volume-mount-not-found",
    severity: Severity::Error,
    fix: FixAvailability::Unsafe,
    summary: "A volumeMount names no pod volume and no claim template",
    docs: "## What it does\nChecks that each `volumeMounts[].name` of every container, init container and ephemeral container of a StatefulSet's pod template names a pod volume or a claim template (`volumeClaimTemplates[].metadata.name`). Volumes that pod validation rejects (an invalid name, a configMap without its name, …) do not count, as in Kubernetes.\n\n## Why is this bad?\nUntil Kubernetes 1.34 the API server accepts such a StatefulSet and the controller then fails to create every pod (`spec.containers[0].volumeMounts[0].name: Not found`), visible only as `FailedCreate` events. From 1.34 the StatefulSet itself is rejected. Typical causes: the claim template has no name (a bare PVC spec was passed as the template), the mount uses the generated PVC name (`data-web-0`) or the ConfigMap's name instead of the volume's, or a letter-case slip.\n\n## Example\n```yaml\ncontainers:\n  - name: app\n    volumeMounts:\n      - name: www-data   # the template is named `www`\n        mountPath: /data\nvolumeClaimTemplates:\n  - metadata:\n      name: www\n```\n\n## Fix safety\nRenaming the mount is unsafe: it is offered when exactly one volume or claim template is not mounted by anything and the name is close, since the author may instead have meant to add a volume.\n",
};

pub const RULES: &[RuleMeta] = &[CC301];

/// Why a pod volume is not usable by mounts (pod validation drops it), if it is not.
pub fn volume_problem(v: &Node) -> Option<String> {
    let name = v.str_at(&["name"]).unwrap_or("");
    if name.is_empty() {
        return Some("it has no name".into());
    }
    let errs = names::dns1123_label(name);
    if let Some(e) = errs.first() {
        return Some(format!("its name is not a valid DNS-1123 label: {e}"));
    }
    if let Some(cm) = v.get("configMap") {
        if cm.str_at(&["name"]).is_none_or(str::is_empty) {
            return Some("its configMap has no `name`".into());
        }
    }
    if let Some(s) = v.get("secret") {
        if s.str_at(&["secretName"]).is_none_or(str::is_empty) {
            return Some("its secret has no `secretName`".into());
        }
    }
    if let Some(p) = v.get("persistentVolumeClaim") {
        if p.str_at(&["claimName"]).is_none_or(str::is_empty) {
            return Some("its persistentVolumeClaim has no `claimName`".into());
        }
    }
    None
}

/// The names that mounts can use in a StatefulSet's pods: valid pod volumes and valid claim
/// templates (the controller adds a pod volume for each template). Maps name → problem when
/// a volume of that name exists but is unusable.
pub struct VolumeNames<'a> {
    pub usable: BTreeSet<&'a str>,
    pub broken: HashMap<&'a str, String>,
    pub unnamed_templates: Vec<usize>,
}

pub fn volume_names(sts: &Node) -> VolumeNames<'_> {
    let mut usable = BTreeSet::new();
    let mut broken = HashMap::new();
    let mut unnamed_templates = Vec::new();
    if let Some(vols) = sts
        .path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
    {
        for v in vols {
            let Some(name) = v.str_at(&["name"]) else {
                continue;
            };
            match volume_problem(v) {
                None => {
                    usable.insert(name);
                }
                Some(p) => {
                    broken.insert(name, format!("pod volume `{name}` exists but {p}"));
                }
            }
        }
    }
    for (i, tpl) in claim_templates(sts) {
        match template_name(tpl) {
            Some(name) => {
                if let Some(e) = names::dns1123_label(name).first() {
                    broken.insert(
                        name,
                        format!("claim template `{name}` exists but its name cannot be a pod volume name ({e})"),
                    );
                } else {
                    usable.insert(name);
                }
            }
            None => unnamed_templates.push(i),
        }
    }
    VolumeNames {
        usable,
        broken,
        unnamed_templates,
    }
}

/// A volumeMount whose name matches no usable volume.
pub struct Unmatched<'a> {
    /// Pointer of the mount's `name`, relative to the StatefulSet.
    pub pointer: String,
    pub name: &'a str,
    pub mount: &'a Node,
    pub container: String,
}

pub fn unmatched_mounts<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<Unmatched<'a>> {
    let mut out = Vec::new();
    let Some(pod) = sts.path(&["spec", "template", "spec"]) else {
        return out;
    };
    for (cptr, c) in containers(pod) {
        let Some(mounts) = c.get("volumeMounts").and_then(Node::as_seq) else {
            continue;
        };
        for (j, m) in mounts.iter().enumerate() {
            let name = m.str_at(&["name"]).unwrap_or("");
            if !vols.usable.contains(name) {
                out.push(Unmatched {
                    pointer: format!("/spec/template/spec{cptr}/volumeMounts/{j}/name"),
                    name,
                    mount: m,
                    container: container_label(c, &cptr),
                });
            }
        }
    }
    out
}

/// Names of usable volumes that no container mounts (or attaches as a device).
fn unmounted<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<&'a str> {
    let mut used = BTreeSet::new();
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (_, c) in containers(pod) {
            for list in ["volumeMounts", "volumeDevices"] {
                for m in c.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(n) = m.str_at(&["name"]) {
                        used.insert(n);
                    }
                }
            }
        }
    }
    vols.usable
        .iter()
        .copied()
        .filter(|n| !used.contains(n))
        .collect()
}

pub fn check(ctx: &mut Ctx, obj: &Object, _bundle: &Bundle) {
    if !obj.is_statefulset() {
        return;
    }
    let sts = obj.node;
    let vols = volume_names(sts);
    let unmatched = unmatched_mounts(sts, &vols);
    if unmatched.is_empty() {
        return;
    }
    let free = unmounted(sts, &vols);
    let distinct: BTreeSet<&str> = unmatched.iter().map(|u| u.name).collect();
    let consequence = template_consequence(ctx.options.kubernetes_version, "pod");
    for u in &unmatched {
        let mut message = if u.name.is_empty() {
            format!("a volumeMount of {} has no `name`", u.container)
        } else {
            format!(
                "volumeMount `{}` of {} matches no pod volume and no claim template",
                u.name, u.container
            )
        };
        let mut fix_ = None;
        if let Some(why) = vols.broken.get(u.name) {
            message.push_str(&format!(" ({why})"));
        } else if !vols.unnamed_templates.is_empty() && distinct.len() == 1 {
            let i = vols.unnamed_templates[0];
            message.push_str(&format!(
                " (claim template {i} has no `metadata.name`; naming it `{}` would match)",
                u.name
            ));
        } else if !u.name.is_empty() {
            let candidates: Vec<&str> = vols.usable.iter().copied().collect();
            let guess = names::did_you_mean(u.name, candidates.iter().copied()).or(
                if free.len() == 1 && distinct.len() == 1 {
                    free.first().copied()
                } else {
                    None
                },
            );
            if let Some(g) = guess {
                message.push_str(&format!("; did you mean `{g}`?"));
                if free.contains(&g) {
                    fix_ = rename_mount(obj, u, g);
                }
            } else if !candidates.is_empty() {
                message.push_str(&format!(
                    "; the pod's volumes are {}",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        message.push_str(&format!(". {consequence}."));
        ctx.report(obj, &CC301, &u.pointer, message, fix_);
    }
}

fn rename_mount(obj: &Object, u: &Unmatched, to: &str) -> Option<Fix> {
    let node = u.mount.get("name")?;
    let edit = fix::replace_string(obj.text, node, to)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("Mount `{to}` instead of `{}`", u.name),
        edits: vec![edit],
        patch: vec![PatchOp::Replace {
            path: obj.ptr(&u.pointer),
            value: serde_json::Value::String(to.to_string()),
        }],
    })
}
