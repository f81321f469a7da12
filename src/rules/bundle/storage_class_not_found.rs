//! CC404 storage-class-not-found: A storageClassName that no StorageClass in the input defines.

use super::HashSet;
use super::{quoted, Claim};
use crate::diagnostic::Severity;
use crate::model::names;
use crate::rule::Ctx;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the `storageClassName` of each claim template and standalone PersistentVolumeClaim (or the older `volume.beta.kubernetes.io/storage-class` annotation) names a StorageClass among the documents checked together, or a class that a PersistentVolume of the input carries (static provisioning needs no StorageClass object). When the input defines no StorageClass at all the rule stays silent: it has nothing to compare with. When the name is one that managed and local clusters come with (`standard`, `standard-rwo`, `gp2`, `managed-csi`, `azurefile-csi`, `local-path`, …), the finding is a hint, since such classes are installed with the cluster (`kubectl get storageclass` lists them); when the input defines classes but not this one, a warning with a "did you mean". Claims that name a volume (`volumeName`) or select one (`selector`) are left alone.
    ///
    /// An empty `storageClassName: ""` and an unset one mean different things. `""` asks for no class: the claim only binds to existing PersistentVolumes that have no class and is never provisioned dynamically. Unset lets the cluster's default StorageClass be filled in when the claim is created (and later, if a default appears), so the claim is provisioned by the default class. Neither is reported here.
    ///
    /// ## Why is this bad?
    /// A claim whose class does not exist is never provisioned: it stays `Pending`, and so do the pods that use it, with no error on the claim beyond the missing class. Class names differ between clusters (`standard`, `gp3`, `managed-csi`, `local-path`, …), so manifests copied from another environment often name a class the target cluster does not have.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StorageClass
    /// metadata:
    ///   name: fast-ssd
    /// ---
    /// kind: PersistentVolumeClaim
    /// spec:
    ///   storageClassName: fast-sdd
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which class was meant.
    pub CC404 {
        name: "storage-class-not-found",
        severity: Warning,
        fix: None,
        summary: "A storageClassName that no StorageClass in the input defines",
    }
}

pub(super) fn class_not_found(
    ctx: &mut Ctx,
    claim: &Claim,
    name: &str,
    class_ptr: &str,
    class_names: &[&str],
    pv_classes: &HashSet<&str>,
) {
    if pv_classes.contains(name) {
        return; // static provisioning: volumes of that class exist in the input
    }
    let pinned = claim
        .spec()
        .is_some_and(|s| s.get("volumeName").is_some_and(|v| !v.is_null()))
        || claim
            .spec()
            .is_some_and(|s| s.get("selector").is_some_and(|v| !v.is_null()));
    if pinned {
        return; // binds to a given volume; the class only has to match the volume's
    }
    if class_names.is_empty() {
        // The input says nothing about the cluster's classes: nothing to compare with.
        return;
    }
    let builtin = BUILTIN_CLASSES.contains(&name);
    let (message, sev) = if !ctx.wants_details(claim.obj, &CC404) {
        // only counted past the cap; the suggestion still draws on the run's budget
        if !builtin {
            let _ = names::did_you_mean(name, class_names.iter().copied());
        }
        let sev = if builtin {
            Severity::Hint
        } else {
            Severity::Warning
        };
        (String::new(), sev)
    } else if builtin {
        let why = "a class that many clusters install themselves";
        (
            format!("{} asks for StorageClass `{name}`, which is not in this input ({why}): unless the cluster has it (`kubectl get storageclass`), the claim stays Pending", claim.label()),
            Severity::Hint,
        )
    } else {
        let mut m = format!(
            "{} asks for StorageClass `{name}`, but this input defines only {}: unless the cluster has `{name}` as well, the claim is never provisioned and stays Pending",
            claim.label(),
            quoted(class_names)
        );
        if let Some(g) = names::did_you_mean(name, class_names.iter().copied()) {
            m.push_str(&format!("; did you mean `{g}`?"));
        }
        (m, Severity::Warning)
    };
    ctx.report_as(claim.obj, &CC404, sev, class_ptr, message, None);
}

/// Classes that clusters commonly come with, so that naming one without defining it is only
/// a hint: GKE (`standard`, `standard-rwo`, `premium-rwo`, Filestore's `standard-rwx`,
/// `premium-rwx`, `enterprise-rwx`), EKS (`gp2`), AKS (`default`, `managed`, `managed-csi`,
/// `managed-premium`, `managed-csi-premium`, `azurefile`, `azurefile-csi`, `azurefile-premium`,
/// `azurefile-csi-premium`), kind and minikube (`standard`), k3s (`local-path`), Docker Desktop
/// (`hostpath`). From the providers' documentation of their preinstalled classes.
pub(super) const BUILTIN_CLASSES: &[&str] = &[
    "standard",
    "standard-rwo",
    "premium-rwo",
    "standard-rwx",
    "premium-rwx",
    "enterprise-rwx",
    "gp2",
    "default",
    "managed",
    "managed-csi",
    "managed-premium",
    "managed-csi-premium",
    "azurefile",
    "azurefile-csi",
    "azurefile-premium",
    "azurefile-csi-premium",
    "local-path",
    "hostpath",
];
