//! One container of the pod template: its name, image and fields, then its probes, ports, environment and resources (all CC112).

use super::CC112;
use super::{env::check_env, ports::check_ports, probes::check_probes, resources::check_resources};
use super::{Scope, INIT_FORBIDDEN, PULL_POLICIES, SIDECAR_RESTART_POLICIES};
use crate::diagnostic::{Applicability, Severity};
use crate::fix;
use crate::model::enums::{bad_enum, label_suggestion};
use crate::model::names;
use crate::patch::PatchOp;
use crate::source::Node;
use std::collections::HashSet;

pub(super) fn describe(c: &Node, init: bool, ptr: &str) -> String {
    let kind = if init { "init container" } else { "container" };
    match c.str_at(&["name"]) {
        Some(n) if !n.is_empty() => format!("{kind} `{n}`"),
        _ => format!(
            "the {kind} at `{}`",
            ptr.trim_start_matches('/').replace('/', ".")
        ),
    }
}

pub(super) fn check_container<'n>(
    s: &mut Scope,
    c: &'n Node,
    ptr: &str,
    init: bool,
    seen: &mut HashSet<&'n str>,
) {
    if c.as_map().is_none() {
        return;
    }
    let who = describe(c, init, ptr);
    // name
    match c
        .get("name")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
    {
        None if c.get("name").is_none_or(Node::is_null) || c.str_at(&["name"]) == Some("") => {
            s.report(&format!("{ptr}/name"), format!("{who} has no `name`"), None);
        }
        None => {} // another type: CC004
        Some(name) => {
            let errs = names::dns1123_label(name);
            if !errs.is_empty() {
                let mut what = format!(
                    "container name `{name}` is not a valid DNS-1123 label: {}",
                    errs.join("; ")
                );
                if let Some(sugg) = label_suggestion(name) {
                    what.push_str(&format!("; for example `{sugg}`"));
                }
                s.report(&format!("{ptr}/name"), what, None);
            } else if !seen.insert(name) {
                s.report(
                    &format!("{ptr}/name"),
                    format!("the container name `{name}` is used twice in the pod (containers and init containers share one namespace)"),
                    None,
                );
            }
        }
    }
    // image
    match c.get("image") {
        None => s.report(
            &format!("{ptr}/image"),
            format!("{who} has no `image`"),
            None,
        ),
        Some(n) if n.is_null() || n.as_str() == Some("") => {
            s.report(
                &format!("{ptr}/image"),
                format!("{who} has no `image`"),
                None,
            );
        }
        Some(n) => {
            if let Some(img) = n.as_str().filter(|i| i.trim() != *i) {
                let iptr = format!("{ptr}/image");
                let trimmed = img.trim();
                let fix_ = (!trimmed.is_empty())
                    .then(|| fix::replace_string(s.obj.text, n, trimmed))
                    .flatten()
                    .and_then(|edit| {
                        crate::fix::make(
                            &CC112,
                            Applicability::Safe,
                            format!("Remove the spaces around `{trimmed}`"),
                            vec![edit],
                            vec![PatchOp::Replace {
                                path: s.obj.ptr(&iptr),
                                value: serde_json::Value::String(trimmed.to_string()),
                            }],
                        )
                    });
                let what = format!("the image of {who} has spaces around it (`{img:?}`), which pod validation does not allow");
                if matches!(s.obj.kind, "Pod" | "StatefulSet") {
                    s.report(&iptr, what, fix_);
                } else {
                    // Only a Pod's own validation (validateContainersOnlyForPod) checks the
                    // spaces: the API server accepts the template, then every pod the
                    // controller makes from it is rejected.
                    let message = format!(
                        "{what}. The API server accepts the {} (a pod template's image is not checked for spaces), but rejects every pod made from it.",
                        s.obj.kind
                    );
                    s.ctx
                        .report_as(s.obj, &CC112, Severity::Warning, &iptr, message, fix_);
                }
            }
        }
    }
    s.check_enum(
        c.get("imagePullPolicy"),
        &format!("{ptr}/imagePullPolicy"),
        "imagePullPolicy",
        PULL_POLICIES,
    );
    // ValidateSecurityContext: IDs, and allowPrivilegeEscalation: false with privileged or
    // CAP_SYS_ADMIN.
    if let Some(sc) = c.get("securityContext").filter(|n| n.as_map().is_some()) {
        let at = format!("{ptr}/securityContext");
        for field in ["runAsUser", "runAsGroup"] {
            super::check_id(s, sc, field, &format!("{at}/{field}"));
        }
        let no_escalation = matches!(
            sc.get("allowPrivilegeEscalation").map(|n| &n.value),
            Some(crate::source::Value::Bool(false))
        );
        if no_escalation {
            if matches!(
                sc.get("privileged").map(|n| &n.value),
                Some(crate::source::Value::Bool(true))
            ) {
                s.report(
                    &at,
                    format!("{who} sets `allowPrivilegeEscalation: false` and `privileged: true`, which cannot be combined"),
                    None,
                );
            }
            let sys_admin = sc
                .path(&["capabilities", "add"])
                .and_then(Node::as_seq)
                .is_some_and(|caps| caps.iter().any(|c| c.as_str() == Some("CAP_SYS_ADMIN")));
            if sys_admin {
                s.report(
                    &at,
                    format!("{who} sets `allowPrivilegeEscalation: false` and adds the capability `CAP_SYS_ADMIN`, which cannot be combined"),
                    None,
                );
            }
        }
    }
    check_ports(s, c, ptr, &who);
    check_env(s, c, ptr, &who);
    check_resources(s, c, ptr, &who);
    // restartPolicy and what plain init containers may not have
    let rp = c.get("restartPolicy").filter(|n| !n.is_null());
    if init {
        if let (Some(n), Some(bad)) = (rp, bad_enum(rp, SIDECAR_RESTART_POLICIES)) {
            let rptr = format!("{ptr}/restartPolicy");
            let fix_ = bad
                .same_case
                .and_then(|a| crate::fix::case_fix(&CC112, s.obj, n, &rptr, a));
            s.report(
                &rptr,
                format!(
                    "{who} has `restartPolicy: {}`; an init container may only set `Always`, which makes it a sidecar that runs alongside the app (leave the field out for an init container that runs to completion)",
                    bad.value
                ),
                fix_,
            );
        }
        let sidecar = rp.and_then(Node::as_str) == Some("Always");
        if !sidecar && rp.is_none() {
            for field in INIT_FORBIDDEN {
                if c.get(field).is_some_and(|n| !n.is_null()) {
                    s.report(
                        &format!("{ptr}/{field}"),
                        format!("{who} sets `{field}`, which init containers may only have as sidecars (`restartPolicy: Always`)"),
                        None,
                    );
                }
            }
        }
        if sidecar {
            check_probes(s, c, ptr, &who);
        }
    } else {
        if rp.is_some() {
            s.report(
                &format!("{ptr}/restartPolicy"),
                format!("{who} sets `restartPolicy`, which only init containers may set (`Always` makes them sidecars); regular containers follow the pod's policy"),
                None,
            );
        }
        check_probes(s, c, ptr, &who);
    }
}
