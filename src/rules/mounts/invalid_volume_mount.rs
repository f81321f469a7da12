//! CC311 invalid-volume-mount: A volumeMount or volumeDevice option that pod validation rejects.

use super::container::{Item, Lazy};
use super::Site;
use crate::model::volumes::{has_backstep, string_field};
use std::collections::HashMap;

use super::sentence;
use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks the remaining options of volumeMounts and volumeDevices: `mountPropagation` must be `None`, `HostToContainer` or `Bidirectional` (the last only in a privileged container), `recursiveReadOnly` must be `Disabled`, `Enabled` or `IfPossible` (the last two only with `readOnly: true` and no propagation), a `devicePath` must not contain `..`, and a container must not attach the same volume twice as a device.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`mountPropagation: Unsupported value: "Shared"`), so the controller cannot create any pod; from Kubernetes 1.34 the StatefulSet itself is rejected. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /data
    ///     mountPropagation: bidirectional   # `Bidirectional`, and the container must be privileged
    /// ```
    ///
    /// ## Fix safety
    /// Correcting the letter case of a value (`hostToContainer` → `HostToContainer`) is safe: no other value is that close. Nothing else is fixed.
    pub CC311 {
        name: "invalid-volume-mount",
        severity: Error,
        fix: Safe,
        summary: "A volumeMount or volumeDevice option that pod validation rejects",
    }
}

pub(super) const PROPAGATION: &[&str] = &["None", "HostToContainer", "Bidirectional"];

pub(super) const RECURSIVE_READ_ONLY: &[&str] = &["Disabled", "Enabled", "IfPossible"];

/// A safe fix for a value that differs from an allowed one only by letter case.
pub(super) fn case_fix(
    obj: &Object,
    node: &Node,
    ptr: &str,
    allowed: &[&str],
) -> Option<(String, Fix)> {
    let s = node.as_str()?;
    let good = allowed.iter().find(|a| a.eq_ignore_ascii_case(s))?;
    let edit = fix::replace_string(obj.text, node, good)?;
    Some((
        good.to_string(),
        crate::fix::make(
            &CC311,
            Applicability::Safe,
            format!("Write `{good}`"),
            vec![edit],
            vec![PatchOp::Replace {
                path: obj.ptr(ptr),
                value: serde_json::Value::String(good.to_string()),
            }],
        )?,
    ))
}

pub(super) fn check_mount_options(
    ctx: &mut Ctx,
    obj: &Object,
    m: &Node,
    at: &Lazy,
    label: &Lazy,
    privileged: bool,
    cons: &str,
) {
    let propagation = m.get("mountPropagation").filter(|n| !n.is_null());
    let mut effective = None;
    if let Some(node) = propagation {
        let ptr = format!("{at}/mountPropagation");
        match node.as_str() {
            Some(p) if PROPAGATION.contains(&p) => effective = Some(p),
            Some(p) => {
                let fixed = case_fix(obj, node, &ptr, PROPAGATION);
                let what = match &fixed {
                    Some((good, _)) => format!("the mountPropagation `{p}` of {label} is not supported; the value is spelt `{good}`"),
                    None => format!("the mountPropagation `{p}` of {label} is not supported; use `None`, `HostToContainer` or `Bidirectional`"),
                };
                ctx.report(
                    obj,
                    &CC311,
                    &ptr,
                    sentence(what, cons),
                    fixed.map(|(_, f)| f),
                );
            }
            None => {} // wrong type: CC004
        }
        if effective == Some("Bidirectional") && !privileged {
            ctx.report(
                obj,
                &CC311,
                &ptr,
                sentence(
                    format!("{label} asks for Bidirectional mount propagation, which only a privileged container may use (`securityContext.privileged: true`); use `HostToContainer` if the container only needs to see host mounts"),
                    cons,
                ),
                None,
            );
        }
    }
    let Some(node) = m.get("recursiveReadOnly").filter(|n| !n.is_null()) else {
        return;
    };
    let ptr = format!("{at}/recursiveReadOnly");
    let Some(r) = node.as_str() else { return };
    if !RECURSIVE_READ_ONLY.contains(&r) {
        let fixed = case_fix(obj, node, &ptr, RECURSIVE_READ_ONLY);
        let what = match &fixed {
            Some((good, _)) => format!("the recursiveReadOnly `{r}` of {label} is not supported; the value is spelt `{good}`"),
            None => format!("the recursiveReadOnly `{r}` of {label} is not supported; use `Disabled`, `Enabled` or `IfPossible`"),
        };
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(what, cons),
            fixed.map(|(_, f)| f),
        );
        return;
    }
    if r == "Disabled" {
        return;
    }
    let read_only = m.get("readOnly").map(|n| &n.value) == Some(&Value::Bool(true));
    if !read_only {
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(
                format!("{label} sets recursiveReadOnly `{r}` without `readOnly: true`; recursive read-only needs a read-only mount"),
                cons,
            ),
            None,
        );
    }
    if effective.is_some_and(|p| p != "None") {
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(
                format!("{label} sets recursiveReadOnly `{r}` together with mount propagation; recursive read-only needs `mountPropagation: None` or none at all"),
                cons,
            ),
            None,
        );
    }
}

/// CC311: a volumeDevice that attaches the same volume as an earlier one (`seen`: name → index
/// of the first device with it).
pub(super) fn check_device_repeat<'a>(
    ctx: &mut Ctx,
    obj: &Object,
    d: &Item<'a>,
    site: &Site,
    seen: &mut HashMap<&'a str, usize>,
) {
    if d.name.is_empty() {
        return;
    }
    if let Some(k) = seen.get(d.name) {
        ctx.report(
            obj,
            &CC311,
            &format!("{}/name", d.at),
            sentence(
                format!("{} attaches the same volume as volumeDevice {k}; each volume can be attached once per container", d.label),
                site.consequence,
            ),
            None,
        );
    } else {
        seen.insert(d.name, d.j);
    }
}

/// CC311: a devicePath with a `..` element.
pub(super) fn check_device_path(ctx: &mut Ctx, obj: &Object, d: &Item, site: &Site) {
    let Ok(Some(p)) = string_field(d.node, "devicePath") else {
        return;
    };
    if !p.is_empty() && has_backstep(p) {
        ctx.report(
            obj,
            &CC311,
            &format!("{}/devicePath", d.at),
            sentence(
                format!("the devicePath `{p}` of {} must not contain `..`", d.label),
                site.consequence,
            ),
            None,
        );
    }
}
