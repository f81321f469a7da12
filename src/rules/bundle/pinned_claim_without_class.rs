//! CC409 pinned-claim-without-class: A claim with volumeName or selector but no storageClassName.

use super::{claims, class_of, default_class, is_storage_class, Class};
use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Finds standalone PersistentVolumeClaims and claim templates that ask for a particular PersistentVolume, by `spec.volumeName` or by `spec.selector`, but leave `storageClassName` unset.
    ///
    /// ## Why is this bad?
    /// When a claim without `storageClassName` is created, the cluster's default StorageClass is written into it (most managed clusters have one). A claim then binds only to volumes of that class, so it never binds to a statically created PersistentVolume without class (`Cannot bind to requested volume: storageClassName does not match`), and a claim with a selector is not provisioned dynamically either. The claim stays `Pending`. `storageClassName: ""` says explicitly that the claim wants no class.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// spec:
    ///   volumeName: nfs-data
    ///   accessModes: [ReadWriteMany]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    /// Add `storageClassName: ""`, or the class of the PersistentVolume when it has one.
    ///
    /// ## Fix safety
    /// Safe: the claim keeps asking for the same volume. When the named PersistentVolume is in the input the fix writes its class; otherwise it writes `""`, the class of volumes created by hand without one (the usual case for pinned volumes). A claim is not reported when the input shows its volume to be of the input's default class.
    pub CC409 {
        name: "pinned-claim-without-class",
        severity: Warning,
        fix: Safe,
        summary: "A claim with volumeName or selector but no storageClassName",
    }
}

/// CC409: claims pinned to a volume must not get the default class.
pub(super) fn check_pinned_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let classes: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| is_storage_class(o))
        .collect();
    let default = default_class(&classes).and_then(|c| c.name);
    for claim in claims(bundle) {
        let Some(spec) = claim.spec().filter(|s| s.as_map().is_some()) else {
            continue;
        };
        if !matches!(class_of(claim.node), Some((Class::Unset, _))) {
            continue;
        }
        let volume_name = spec
            .get("volumeName")
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty());
        let selector = spec.get("selector").filter(|s| s.as_map().is_some());
        if volume_name.is_none() && selector.is_none() {
            continue;
        }
        let pv = volume_name.and_then(|v| bundle.named_at("v1", "PersistentVolume", v));
        let pv_class = pv.and_then(|p| class_of(p.node)).map(|(c, _)| c);
        let wanted = match pv_class {
            Some(Class::Named(c)) => {
                if default == Some(c) {
                    continue; // the default class is the volume's class: it binds
                }
                c
            }
            _ => "",
        };
        let pinned = match (volume_name, selector) {
            (Some(v), _) => format!("names the PersistentVolume `{v}`"),
            (None, _) => "selects PersistentVolumes by label".to_string(),
        };
        let mut message = format!(
            "{} {pinned} but sets no storageClassName: the cluster's default StorageClass (most clusters have one) is written into the claim when it is created, and the claim then binds only to volumes of that class",
            claim.label()
        );
        match (pv, wanted) {
            (Some(_), "") => message.push_str(&format!(
                ", never to `{}`, which has no class. Set `storageClassName: \"\"`",
                volume_name.unwrap_or("")
            )),
            (Some(_), c) => message.push_str(&format!(
                ", not to `{}`, which is of class `{c}`. Set `storageClassName: {c}`",
                volume_name.unwrap_or("")
            )),
            (None, _) if volume_name.is_some() => message.push_str(
                ": unless the volume is of the default class, the claim stays Pending. Set `storageClassName: \"\"` for a volume without class, or the volume's class",
            ),
            (None, _) => message.push_str(
                "; a claim with a selector is never provisioned dynamically, so unless matching volumes of the default class exist it stays Pending. Set `storageClassName: \"\"` for volumes without class, or the volumes' class",
            ),
        }
        let rel = claim.ptr("/spec/storageClassName");
        let fix_ = class_fix(claim.obj, spec, &rel, wanted);
        ctx.report(claim.obj, &CC409, &rel, message, fix_);
    }
}

pub(super) fn class_fix(obj: &Object, spec: &Node, rel: &str, class: &str) -> Option<Fix> {
    let path = obj.ptr(rel);
    let value = serde_json::Value::String(class.to_string());
    let (edit, op) = match spec.get("storageClassName") {
        Some(n) => (
            fix::replace_string(obj.text, n, class)?,
            PatchOp::Replace { path, value },
        ),
        None => {
            let text = if fix::is_json_style(obj.text, spec) {
                fix::json_string(class)
            } else {
                fix::yaml_string(class)
            };
            (
                fix::add_entry(obj.text, spec, "storageClassName", &text)?,
                PatchOp::Add { path, value },
            )
        }
    };
    let title = if class.is_empty() {
        "Set `storageClassName: \"\"` so that no default class is filled in".to_string()
    } else {
        format!("Set `storageClassName: {class}`, the class of the volume")
    };
    crate::fix::make(&CC409, Applicability::Safe, title, vec![edit], vec![op])
}
