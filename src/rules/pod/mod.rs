//! Pod template rules (CC112): what pod validation rejects when the controller creates pods.
//! Mounts and volumes are the CC3xx rules' business; `restartPolicy` and
//! `activeDeadlineSeconds` of the pod are CC107's.

use std::collections::HashSet;

use crate::diagnostic::Fix;
use crate::model::enums::{bad_enum, enum_report};
use crate::model::workload::{pod_consequence, WorkloadKind};
use crate::options::KubeVersion;
use crate::rule::RuleMeta;
use crate::rule::{Ctx, Object};
use crate::source::Node;

mod pod_template_invalid;

pub use pod_template_invalid::CC112;
mod container;
use container::check_container;
mod env;
mod ports;
mod probes;
mod resources;

pub const RULES: &[RuleMeta] = &[CC112];

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];

const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];

const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

const SIDECAR_RESTART_POLICIES: &[&str] = &["Always"];

const INIT_FORBIDDEN: &[&str] = &[
    "lifecycle",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
];

/// Where findings go and what they cost.
struct Scope<'c, 'o, 'a, 'b> {
    ctx: &'c mut Ctx<'o>,
    obj: &'a Object<'b>,
    consequence: String,
    version: KubeVersion,
}

impl Scope<'_, '_, '_, '_> {
    fn report(&mut self, ptr: &str, what: String, fix_: Option<Fix>) {
        if !self.wants_details() {
            // only counted (or an update's live object): the message is not kept
            self.ctx.report(self.obj, &CC112, ptr, String::new(), fix_);
            return;
        }
        let message = format!("{what}. {}.", self.consequence);
        self.ctx.report(self.obj, &CC112, ptr, message, fix_);
    }

    /// Whether the next finding needs its message ([`Ctx::wants_details`]).
    fn wants_details(&self) -> bool {
        self.ctx.wants_details(self.obj, &CC112)
    }

    /// A string enum field: reports a value outside `allowed`, with a case fix.
    fn check_enum(
        &mut self,
        node: Option<&Node>,
        ptr: &str,
        field: &str,
        allowed: &[&'static str],
    ) {
        let (Some(n), Some(bad)) = (node, bad_enum(node, allowed)) else {
            return;
        };
        let consequence = format!("{}.", self.consequence);
        let (message, fix_) =
            enum_report(&CC112, self.obj, n, ptr, field, &bad, allowed, &consequence);
        self.ctx.report(self.obj, &CC112, ptr, message, fix_);
    }
}

const POD_RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];

pub fn check(ctx: &mut Ctx, obj: &Object) {
    let Some(kind) = obj.workload() else {
        return;
    };
    if !ctx.enabled(&CC112) {
        return;
    }
    let version = ctx.options.kubernetes_version;
    // Every kind but a StatefulSet before 1.34 has its pod template validated on submit.
    let consequence = pod_consequence(kind, version);
    let subject = if kind == WorkloadKind::Pod {
        "the Pod"
    } else {
        "the pod template"
    };
    let base = kind.pod_spec_pointer();
    let mut s = Scope {
        consequence,
        ctx,
        obj,
        version,
    };
    let pod = obj.node.path(kind.pod_spec_path());
    let containers = pod.and_then(|p| p.get("containers"));
    let regular: &[Node] = match containers {
        Some(c) if !c.is_null() => match c.as_seq() {
            Some(items) => items,
            None => return, // CC004
        },
        _ => &[],
    };
    if regular.is_empty() {
        s.report(
            &format!("{base}/containers"),
            format!("{subject} has no containers; a pod needs at least one"),
            None,
        );
    }
    let Some(pod) = pod.filter(|p| p.as_map().is_some()) else {
        return;
    };
    let init: &[Node] = pod
        .get("initContainers")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    // Names: regular containers among themselves, then init containers against all.
    let mut seen: HashSet<&str> = HashSet::new();
    for (i, c) in regular.iter().enumerate() {
        check_container(
            &mut s,
            c,
            &format!("{base}/containers/{i}"),
            false,
            &mut seen,
        );
    }
    for (i, c) in init.iter().enumerate() {
        check_container(
            &mut s,
            c,
            &format!("{base}/initContainers/{i}"),
            true,
            &mut seen,
        );
    }
    if pod
        .get("ephemeralContainers")
        .and_then(Node::as_seq)
        .is_some_and(|e| !e.is_empty())
    {
        s.report(
            &format!("{base}/ephemeralContainers"),
            format!("{subject} has `ephemeralContainers`, which cannot be set when a pod is created (they are added to running pods with `kubectl debug`)"),
            None,
        );
    }
    // ValidatePodSpec: names of other objects must be valid names, the hostname and subdomain
    // DNS-1123 labels.
    for (field, what, label) in [
        (
            "serviceAccountName",
            "ServiceAccount name (a DNS-1123 subdomain)",
            false,
        ),
        (
            "priorityClassName",
            "PriorityClass name (a DNS-1123 subdomain)",
            false,
        ),
        ("hostname", "hostname (a DNS-1123 label)", true),
        ("subdomain", "subdomain (a DNS-1123 label)", true),
    ] {
        if let Some(v) = pod
            .get(field)
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
        {
            let errs = if label {
                crate::model::names::dns1123_label(v)
            } else {
                crate::model::names::dns1123_subdomain(v)
            };
            if let Some(e) = errs.first() {
                s.report(
                    &format!("{base}/{field}"),
                    format!("`{field}: {v}` is not a valid {what}: {e}"),
                    None,
                );
            }
        }
    }
    // activeDeadlineSeconds must be 1 to 2^31-1 where it may be set at all (the controllers
    // that keep pods running reject it outright: CC107).
    if matches!(
        kind,
        WorkloadKind::Pod | WorkloadKind::PodTemplate | WorkloadKind::Job | WorkloadKind::CronJob
    ) {
        if let Some(v) = pod.get("activeDeadlineSeconds").and_then(Node::as_i64) {
            if !(1..=i64::from(i32::MAX)).contains(&v) {
                s.report(
                    &format!("{base}/activeDeadlineSeconds"),
                    format!(
                        "the pod's `activeDeadlineSeconds: {v}` must be between 1 and 2147483647"
                    ),
                    None,
                );
            }
        }
    }
    check_scheduling(&mut s, pod, base);
    // validatePodSpecSecurityContext: user and group IDs, and the fsGroupChangePolicy.
    if let Some(sc) = pod.get("securityContext").filter(|n| n.as_map().is_some()) {
        let at = format!("{base}/securityContext");
        for field in ["fsGroup", "runAsUser", "runAsGroup"] {
            check_id(&mut s, sc, field, &format!("{at}/{field}"));
        }
        if let Some(groups) = sc.get("supplementalGroups").and_then(Node::as_seq) {
            for (i, g) in groups.iter().enumerate() {
                if let Some(v) = g
                    .as_i64()
                    .filter(|v| !(0..=i64::from(i32::MAX)).contains(v))
                {
                    s.report(
                        &format!("{at}/supplementalGroups/{i}"),
                        format!("supplemental group {v} is not a valid group ID (0 to 2147483647)"),
                        None,
                    );
                }
            }
        }
        s.check_enum(
            sc.get("fsGroupChangePolicy"),
            &format!("{at}/fsGroupChangePolicy"),
            "fsGroupChangePolicy",
            FS_GROUP_CHANGE_POLICIES,
        );
    }
    // ValidatePodSpec: a nodeName must be a valid node name (a DNS-1123 subdomain).
    if let Some(node) = pod
        .get("nodeName")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
    {
        if let Some(e) = crate::model::names::dns1123_subdomain(node).first() {
            s.report(
                &format!("{base}/nodeName"),
                format!("`nodeName: {node}` is not a valid node name (a DNS-1123 subdomain): {e}"),
                None,
            );
        }
    }
    let dns = pod.get("dnsPolicy");
    s.check_enum(dns, &format!("{base}/dnsPolicy"), "dnsPolicy", DNS_POLICIES);
    if matches!(kind, WorkloadKind::Pod | WorkloadKind::PodTemplate) {
        // The controllers' kinds restrict the value further (CC107, CC113).
        s.check_enum(
            pod.get("restartPolicy"),
            &format!("{base}/restartPolicy"),
            "restartPolicy",
            POD_RESTART_POLICIES,
        );
    }
    if dns.and_then(Node::as_str) == Some("None") {
        match pod.get("dnsConfig").filter(|n| !n.is_null()) {
            None => s.report(
                &format!("{base}/dnsConfig"),
                "`dnsPolicy: None` needs a `dnsConfig` with at least one nameserver".into(),
                None,
            ),
            Some(cfg) => {
                let servers = cfg.get("nameservers").filter(|n| !n.is_null());
                if servers.is_none_or(|n| n.as_seq().is_some_and(<[Node]>::is_empty)) {
                    s.report(
                        &format!("{base}/dnsConfig/nameservers"),
                        "`dnsPolicy: None` needs at least one entry in `dnsConfig.nameservers`"
                            .into(),
                        None,
                    );
                }
            }
        }
    }
}

const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const WHEN_UNSATISFIABLE: &[&str] = &["DoNotSchedule", "ScheduleAnyway"];

/// `ValidatePodSpec`'s scheduling fields: `nodeSelector` as labels (`ValidateLabels`),
/// `tolerations` (`ValidateTolerations`, which reports a bad value at `operator`) and the
/// basics of `topologySpreadConstraints`.
fn check_scheduling(s: &mut Scope, pod: &Node, base: &str) {
    use crate::model::names::{label_value, qualified_name};
    if let Some(sel) = pod.get("nodeSelector").and_then(Node::as_map) {
        for e in sel {
            let at = format!(
                "{base}/nodeSelector/{}",
                crate::source::escape_pointer_segment(&e.key)
            );
            if let Some(err) = qualified_name(&e.key).first() {
                s.report(
                    &at,
                    format!(
                        "nodeSelector key `{}` is not a valid label key: {err}",
                        e.key
                    ),
                    None,
                );
            } else if let Some(v) = e.value.as_str() {
                if let Some(err) = label_value(v).first() {
                    s.report(
                        &at,
                        format!(
                            "nodeSelector value `{v}` of `{}` is not a valid label value: {err}",
                            e.key
                        ),
                        None,
                    );
                }
            }
        }
    }
    if let Some(tols) = pod.get("tolerations").and_then(Node::as_seq) {
        for (i, t) in tols.iter().enumerate() {
            if t.as_map().is_none() {
                continue;
            }
            let at = format!("{base}/tolerations/{i}");
            let key = t.get("key").and_then(Node::as_str).unwrap_or("");
            let op = t.get("operator").and_then(Node::as_str).unwrap_or("");
            let value = t.get("value").and_then(Node::as_str).unwrap_or("");
            let effect = t.get("effect").and_then(Node::as_str).unwrap_or("");
            if !key.is_empty() {
                if let Some(err) = qualified_name(key).first() {
                    s.report(
                        &format!("{at}/key"),
                        format!("toleration key `{key}` is not a valid label key: {err}"),
                        None,
                    );
                }
            } else if op != "Exists" {
                s.report(&format!("{at}/operator"), "a toleration without `key` must use `operator: Exists` (it matches every taint)".into(), None);
            }
            if t.get("tolerationSeconds").is_some_and(|n| !n.is_null()) && effect != "NoExecute" {
                s.report(
                    &format!("{at}/effect"),
                    "a toleration with `tolerationSeconds` must have `effect: NoExecute`".into(),
                    None,
                );
            }
            match op {
                "Equal" | "" => {
                    if let Some(err) = label_value(value).first() {
                        s.report(
                            &format!("{at}/operator"),
                            format!("toleration value `{value}` is not a valid label value: {err}"),
                            None,
                        );
                    }
                }
                "Exists" if !value.is_empty() => {
                    s.report(
                        &format!("{at}/operator"),
                        "a toleration with `operator: Exists` must not set `value`".into(),
                        None,
                    );
                }
                _ => {}
            }
            s.check_enum(
                t.get("operator")
                    .filter(|n| !n.as_str().is_some_and(str::is_empty)),
                &format!("{at}/operator"),
                "operator",
                &["Equal", "Exists"],
            );
            s.check_enum(
                t.get("effect")
                    .filter(|n| !n.as_str().is_some_and(str::is_empty)),
                &format!("{at}/effect"),
                "effect",
                TAINT_EFFECTS,
            );
        }
    }
    if let Some(tscs) = pod.get("topologySpreadConstraints").and_then(Node::as_seq) {
        for (i, c) in tscs.iter().enumerate() {
            if c.as_map().is_none() {
                continue;
            }
            let at = format!("{base}/topologySpreadConstraints/{i}");
            if let Some(v) = c.get("maxSkew").and_then(Node::as_i64).filter(|v| *v <= 0) {
                s.report(
                    &format!("{at}/maxSkew"),
                    format!("`maxSkew: {v}` must be greater than zero"),
                    None,
                );
            }
            if c.get("topologyKey")
                .is_none_or(|n| n.is_null() || n.as_str() == Some(""))
            {
                s.report(
                    &format!("{at}/topologyKey"),
                    "a topology spread constraint needs a `topologyKey`".into(),
                    None,
                );
            }
            s.check_enum(
                c.get("whenUnsatisfiable"),
                &format!("{at}/whenUnsatisfiable"),
                "whenUnsatisfiable",
                WHEN_UNSATISFIABLE,
            );
            if c.get("whenUnsatisfiable").is_none_or(Node::is_null) {
                s.report(&format!("{at}/whenUnsatisfiable"), "a topology spread constraint needs `whenUnsatisfiable` (`DoNotSchedule` or `ScheduleAnyway`)".into(), None);
            }
        }
    }
}

/// `validFSGroupChangePolicies`.
const FS_GROUP_CHANGE_POLICIES: &[&str] = &["OnRootMismatch", "Always"];

/// `IsValidUserID` / `IsValidGroupID`: an ID field of a security context must be 0 to 2^31-1.
fn check_id(s: &mut Scope, sc: &Node, field: &str, ptr: &str) {
    if let Some(v) = sc
        .get(field)
        .and_then(Node::as_i64)
        .filter(|v| !(0..=i64::from(i32::MAX)).contains(v))
    {
        s.report(
            ptr,
            format!("`{field}: {v}` is not a valid ID (0 to 2147483647)"),
            None,
        );
    }
}

#[cfg(test)]
mod tests;
