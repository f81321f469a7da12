//! CC203 template-name-invalid: A claim template name that cannot name a pod volume or a claim.

use crate::model::names;

crate::declare_rule! {
    /// ## What it does
    /// Checks the `metadata.name` of every claim template. The controller uses it twice: as the name of a pod volume, which must be a DNS-1123 label (lower-case letters, digits and `-`, no dots, at most 63 characters), and as the first part of each claim's name, `<template>-<statefulset>-<ordinal>`, which must be a DNS-1123 subdomain of at most 253 characters for the largest ordinal.
    ///
    /// ## Why is this bad?
    /// The StatefulSet itself is accepted until Kubernetes 1.34, but the controller cannot create the claims or the pods: every replica fails with `FailedCreate` events and nothing tells you at apply time. From 1.34 the StatefulSet is rejected.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: Data_v1   # upper case and `_`: not a valid volume name
    /// ```
    /// Use `data-v1`.
    ///
    /// ## Fix safety
    /// The fix renames the template to a lower-case form (`_`, `.` and spaces become `-`) and renames every volumeMount and volumeDevice that used the old name. It is unsafe: the new name changes the names of the claims, and something outside the manifest (a backup job, a pre-created claim) may expect another one.
    pub CC203 {
        name: "template-name-invalid",
        severity: Error,
        fix: Unsafe,
        summary: "A claim template name that cannot name a pod volume or a claim",
    }
}

// ---------------------------------------------------------------------------------------------
// Template names (CC203)

/// A lower-case DNS-1123 label close to `name`, if one exists.
pub(super) fn label_candidate(name: &str) -> Option<String> {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '_' | '.' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    while s.contains("--") && !name.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_string();
    (s != name && names::dns1123_label(&s).is_empty()).then_some(s)
}
