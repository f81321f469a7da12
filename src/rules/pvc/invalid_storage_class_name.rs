//! CC216 invalid-storage-class-name: A storageClassName that is not a valid StorageClass name.

use super::{finish, name_problem, short, Claim};
use crate::model::names;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a non-empty `storageClassName` is a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 253 characters. (An empty string is valid: it asks for no class at all.) The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// No StorageClass can have such a name, and validation rejects it: a standalone claim is refused, a claim template's claims cannot be created.
    ///
    /// ## Example
    /// ```yaml
    /// storageClassName: Fast_SSD
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the message suggests the likely name, but the StorageClass that exists in the cluster decides.
    pub CC216 {
        name: "invalid-storage-class-name",
        severity: Error,
        fix: None,
        summary: "A storageClassName that is not a valid StorageClass name",
    }
}

pub(super) fn check_storage_class(ctx: &mut Ctx, obj: &Object, c: &Claim, spec: &Node) {
    let Some(s) = spec.str_at(&["storageClassName"]) else {
        return;
    };
    if s.is_empty() {
        return;
    }
    let errs = names::dns1123_subdomain(s);
    if errs.is_empty() {
        return;
    }
    let why = name_problem(s, true, names::DNS1123_SUBDOMAIN_MAX_LENGTH)
        .unwrap_or_else(|| errs.join("; "));
    let mut message = format!(
        "{}: `storageClassName: {}` cannot be the name of a StorageClass: it {why}",
        c.label(),
        short(s)
    );
    let guess: String = s
        .trim()
        .chars()
        .map(|ch| match ch {
            '_' | ' ' => '-',
            ch => ch.to_ascii_lowercase(),
        })
        .collect();
    if guess != s && names::dns1123_subdomain(&guess).is_empty() {
        message.push_str(&format!("; did you mean `{guess}`?"));
    }
    let message = finish(message, &c.consequence);
    ctx.report(obj, &CC216, &c.ptr("/storageClassName"), message, None);
}
