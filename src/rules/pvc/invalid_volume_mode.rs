//! CC214 invalid-volume-mode: A volumeMode other than Filesystem or Block.

use super::{finish, Claim};
use crate::diagnostic::Applicability;
use crate::fix;
use crate::model::names;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks `volumeMode` of claim specs: only `Filesystem` (the default) and `Block` are supported. An empty string is not the same as leaving the field out. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind; there validation runs with the pod template, so the API server rejects the Deployment, Job, Pod, … on submit (a StatefulSet before Kubernetes 1.34: every pod creation fails).
    ///
    /// ## Why is this bad?
    /// Validation rejects other values (`Unsupported value`). A standalone claim is refused; for a claim template every claim creation fails.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMode: block
    /// ```
    /// Write `Block`.
    ///
    /// ## Fix safety
    /// Correcting the letter case is safe. Other values (`Raw`, an empty string) get no fix: remove the field for a filesystem, or write `Block` for a raw device.
    pub CC214 {
        name: "invalid-volume-mode",
        severity: Error,
        fix: Safe,
        summary: "A volumeMode other than Filesystem or Block",
    }
}

pub use crate::model::claim_spec::VOLUME_MODES;

// ---------------------------------------------------------------------------------------------
// volumeMode, storageClassName (CC214, CC216)

pub(super) fn check_volume_mode(ctx: &mut Ctx, obj: &Object, c: &Claim, spec: &Node) {
    let Some(node) = spec.get("volumeMode") else {
        return;
    };
    let Some(s) = node.as_str() else { return }; // null is unset; other types are CC004's
    if VOLUME_MODES.contains(&s) {
        return;
    }
    let ptr = c.ptr("/volumeMode");
    let mut message = if s.is_empty() {
        format!(
            "{}: an empty `volumeMode` is not the same as leaving it out: use `Filesystem` (the default) or `Block`, or remove the field",
            c.label()
        )
    } else {
        format!("{}: `volumeMode: {s}` is not supported", c.label())
    };
    let certain = VOLUME_MODES
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(s.trim()));
    let mut fix_ = None;
    if let Some(m) = certain {
        message.push_str(&format!("; did you mean `{m}`?"));
        fix_ = fix::replace_string(obj.text, node, m).and_then(|edit| {
            crate::fix::make(
                &CC214,
                Applicability::Safe,
                format!("Write `{m}`"),
                vec![edit],
                vec![PatchOp::Replace {
                    path: obj.ptr(&ptr),
                    value: serde_json::Value::String(m.into()),
                }],
            )
        });
    } else if s.to_ascii_lowercase().contains("raw") {
        message.push_str(" (a raw block device is `Block`)");
    } else if let Some(m) = names::did_you_mean(s, VOLUME_MODES.iter().copied()) {
        message.push_str(&format!("; did you mean `{m}`?"));
    } else if !s.is_empty() {
        message.push_str(": use `Filesystem` (the default) or `Block`");
    }
    let message = finish(message, &c.consequence);
    ctx.report(obj, &CC214, &ptr, message, fix_);
}
