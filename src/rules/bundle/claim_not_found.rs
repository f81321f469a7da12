//! CC408 claim-not-found: A pod volume's claimName matches no PersistentVolumeClaim in the input.

use super::same_namespace;
use crate::diagnostic::Severity;
use crate::model::names;
use crate::model::workload::{claim_templates, template_name};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `persistentVolumeClaim.claimName` in the pod templates of the input names a PersistentVolumeClaim of the input in the same namespace, or a claim that a StatefulSet of the input creates from a claim template (`<template>-<statefulset>-<ordinal>`). The finding is a hint, as claims are often created separately; it becomes a warning when a claim of the input has a name close enough to be a typo.
    ///
    /// ## Why is this bad?
    /// A pod whose claim does not exist is not scheduled: it stays `Pending` with `persistentvolumeclaim "…" not found`. A frequent slip in StatefulSets is to refer to a claim template by its own name (`claimName: data`): the controller never creates a claim called `data`, only `data-web-0`, `data-web-1`, …, and the template is used by mounting its name directly, without a pod volume.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: mysql-pvc-claim
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   template:
    ///     spec:
    ///       volumes:
    ///         - name: data
    ///           persistentVolumeClaim:
    ///             claimName: mysql-pv-claim   # the claim in the input is `mysql-pvc-claim`
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub CC408 {
        name: "claim-not-found",
        severity: Hint,
        fix: None,
        summary: "A pod volume's claimName matches no PersistentVolumeClaim in the input",
    }
}

pub(super) fn claim_not_found(
    ctx: &mut Ctx,
    obj: &Object,
    pvcs: &[&Object],
    rel: &str,
    volume: &str,
    claim_name: &str,
) {
    let mut message = format!(
        "claimName `{claim_name}` names no PersistentVolumeClaim in this input: unless the claim exists in the cluster, the pod is never scheduled and stays Pending"
    );
    let mut severity = Severity::Hint;
    let candidates = pvcs
        .iter()
        .filter(|p| same_namespace(p, obj))
        .filter_map(|p| p.name);
    if let Some(g) = names::did_you_mean(claim_name, candidates) {
        message.push_str(&format!("; did you mean `{g}`?"));
        severity = Severity::Warning;
    }
    if obj.is_statefulset() {
        let sts_name = obj.name.unwrap_or("<name>");
        let is_template = claim_templates(obj.node)
            .iter()
            .any(|(_, t)| template_name(t) == Some(claim_name));
        if is_template {
            let instead = if volume == claim_name || volume.is_empty() {
                String::new()
            } else {
                format!(" instead of `{volume}`")
            };
            message.push_str(&format!(
                ". `{claim_name}` is a claim template of this StatefulSet: the controller creates the claims `{claim_name}-{sts_name}-0`, `{claim_name}-{sts_name}-1`, … and never `{claim_name}`; remove this pod volume and mount `{claim_name}`{instead}, which gives each replica its own claim"
            ));
            severity = Severity::Warning;
        }
    }
    ctx.report_as(obj, &CC408, severity, rel, message, None);
}
