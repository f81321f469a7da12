//! Pod template rules (CC112): what pod validation rejects when the controller creates pods.
//! Mounts and volumes are the CC3xx rules' business; `restartPolicy` and
//! `activeDeadlineSeconds` of the pod are CC107's.

use std::collections::HashSet;

use crate::diagnostic::{Applicability, Fix};
use crate::fix;
use crate::model::enums::{bad_enum, enum_report, label_suggestion};
use crate::model::names;
use crate::model::quantity::{self, Quantity};
use crate::model::workload::template_consequence;
use crate::options::KubeVersion;
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{join, Ctx, Object};
use crate::source::{Node, Value};

mod pod_template_invalid;

pub use pod_template_invalid::CC112;

pub const RULES: &[RuleMeta] = &[CC112];

const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];

const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];

const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

const SIDECAR_RESTART_POLICIES: &[&str] = &["Always"];

const STANDARD_CONTAINER_RESOURCES: &[&str] = &["cpu", "memory", "ephemeral-storage"];

const ENV_SOURCES: &[&str] = &[
    "fieldRef",
    "resourceFieldRef",
    "configMapKeyRef",
    "secretKeyRef",
    "fileKeyRef",
];

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
        let message = format!("{what}. {}.", self.consequence);
        self.ctx.report(self.obj, &CC112, ptr, message, fix_);
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
        let (message, fix_) = enum_report(self.obj, n, ptr, field, &bad, allowed, &consequence);
        self.ctx.report(self.obj, &CC112, ptr, message, fix_);
    }
}

const BASE: &str = "/spec/template/spec";

pub fn check(ctx: &mut Ctx, obj: &Object) {
    if !obj.is_statefulset() || !ctx.enabled(&CC112) {
        return;
    }
    let version = ctx.options.kubernetes_version;
    let mut s = Scope {
        consequence: template_consequence(version, "pod"),
        ctx,
        obj,
        version,
    };
    let pod = obj.node.path(&["spec", "template", "spec"]);
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
            &format!("{BASE}/containers"),
            "the pod template has no containers; a pod needs at least one".into(),
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
            &format!("{BASE}/containers/{i}"),
            false,
            &mut seen,
        );
    }
    for (i, c) in init.iter().enumerate() {
        check_container(
            &mut s,
            c,
            &format!("{BASE}/initContainers/{i}"),
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
            &format!("{BASE}/ephemeralContainers"),
            "the pod template has `ephemeralContainers`, which cannot be set when a pod is created (they are added to running pods with `kubectl debug`)".into(),
            None,
        );
    }
    let dns = pod.get("dnsPolicy");
    s.check_enum(dns, &format!("{BASE}/dnsPolicy"), "dnsPolicy", DNS_POLICIES);
    if dns.and_then(Node::as_str) == Some("None") {
        match pod.get("dnsConfig").filter(|n| !n.is_null()) {
            None => s.report(
                &format!("{BASE}/dnsConfig"),
                "`dnsPolicy: None` needs a `dnsConfig` with at least one nameserver".into(),
                None,
            ),
            Some(cfg) => {
                let servers = cfg.get("nameservers").filter(|n| !n.is_null());
                if servers.is_none_or(|n| n.as_seq().is_some_and(<[Node]>::is_empty)) {
                    s.report(
                        &format!("{BASE}/dnsConfig/nameservers"),
                        "`dnsPolicy: None` needs at least one entry in `dnsConfig.nameservers`"
                            .into(),
                        None,
                    );
                }
            }
        }
    }
}

fn describe(c: &Node, init: bool, ptr: &str) -> String {
    let kind = if init { "init container" } else { "container" };
    match c.str_at(&["name"]) {
        Some(n) if !n.is_empty() => format!("{kind} `{n}`"),
        _ => format!(
            "the {kind} at `{}`",
            ptr.trim_start_matches('/').replace('/', ".")
        ),
    }
}

fn check_container<'n>(
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
                    .map(|edit| Fix {
                        applicability: Applicability::Safe,
                        title: format!("Remove the spaces around `{trimmed}`"),
                        edits: vec![edit],
                        patch: vec![PatchOp::Replace {
                            path: s.obj.ptr(&iptr),
                            value: serde_json::Value::String(trimmed.to_string()),
                        }],
                    });
                s.report(
                    &iptr,
                    format!("the image of {who} has spaces around it (`{img:?}`), which pod validation does not allow"),
                    fix_,
                );
            }
        }
    }
    s.check_enum(
        c.get("imagePullPolicy"),
        &format!("{ptr}/imagePullPolicy"),
        "imagePullPolicy",
        PULL_POLICIES,
    );
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
                .and_then(|a| crate::fix::case_fix(s.obj, n, &rptr, a));
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

const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];

const PROBE_COUNTS: &[&str] = &[
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

/// Probes: exactly one handler, no negative counts, `successThreshold` 1 for liveness and
/// startup probes.
fn check_probes(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = c.get(probe).filter(|p| p.as_map().is_some()) else {
            continue;
        };
        let pptr = format!("{ptr}/{probe}");
        let handlers: Vec<&str> = PROBE_HANDLERS
            .iter()
            .copied()
            .filter(|h| p.get(h).is_some_and(|n| !n.is_null()))
            .collect();
        match handlers.as_slice() {
            [] => s.report(
                &pptr,
                format!("the {probe} of {who} has no handler: give it one of `exec`, `httpGet`, `tcpSocket` or `grpc`"),
                None,
            ),
            [_] => {}
            [first, second, ..] => s.report(
                &format!("{pptr}/{second}"),
                format!("the {probe} of {who} has more than one handler (`{first}` and `{second}`); keep one"),
                None,
            ),
        }
        for field in PROBE_COUNTS {
            if let Some(v) = p.get(field).and_then(Node::as_i64).filter(|v| *v < 0) {
                s.report(
                    &format!("{pptr}/{field}"),
                    format!(
                        "`{field}: {v}` of the {probe} of {who} is negative; it must be 0 or more"
                    ),
                    None,
                );
            }
        }
        if probe != "readinessProbe" {
            if let Some(v) = p
                .get("successThreshold")
                .and_then(Node::as_i64)
                .filter(|v| *v > 1)
            {
                s.report(
                    &format!("{pptr}/successThreshold"),
                    format!("`successThreshold: {v}` of the {probe} of {who} must be 1 (only readiness probes may ask for several successes)"),
                    None,
                );
            }
        }
    }
}

/// `IsValidPortName`: an IANA service name.
fn port_name_problems(name: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push("must contain only lower-case letters, digits and '-'");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}

fn check_ports(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    let Some(ports) = c.get("ports").and_then(Node::as_seq) else {
        return;
    };
    let mut names_seen: HashSet<&str> = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        if p.as_map().is_none() {
            continue;
        }
        let pptr = format!("{ptr}/ports/{i}");
        if let Some(name) = p
            .get("name")
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
        {
            let errs = port_name_problems(name);
            if !errs.is_empty() {
                let mut what = format!(
                    "port name `{name}` of {who} is not a valid port name: it {}",
                    errs.join("; it ")
                );
                let lower = name.to_ascii_lowercase();
                if lower != name && port_name_problems(&lower).is_empty() {
                    what.push_str(&format!(" (did you mean `{lower}`?)"));
                }
                s.report(&format!("{pptr}/name"), what, None);
            } else if !names_seen.insert(name) {
                s.report(
                    &format!("{pptr}/name"),
                    format!("port name `{name}` is used twice in {who}; port names must be unique within a container"),
                    None,
                );
            }
        }
        match p.get("containerPort") {
            None => s.report(
                &format!("{pptr}/containerPort"),
                format!("port {i} of {who} has no `containerPort`"),
                None,
            ),
            Some(n) if n.is_null() => s.report(
                &format!("{pptr}/containerPort"),
                format!("port {i} of {who} has no `containerPort`"),
                None,
            ),
            Some(n) => match n.as_i64() {
                Some(0) => s.report(
                    &format!("{pptr}/containerPort"),
                    format!("port {i} of {who} has `containerPort: 0`; it needs a port number from 1 to 65535"),
                    None,
                ),
                Some(v) if !(1..=65535).contains(&v) => s.report(
                    &format!("{pptr}/containerPort"),
                    format!("`containerPort: {v}` of {who} is not a port number (1 to 65535)"),
                    None,
                ),
                _ => {}
            },
        }
        if let Some(v) = p
            .get("hostPort")
            .and_then(Node::as_i64)
            .filter(|v| *v != 0 && !(1..=65535).contains(v))
        {
            s.report(
                &format!("{pptr}/hostPort"),
                format!("`hostPort: {v}` of {who} is not a port number (1 to 65535)"),
                None,
            );
        }
        s.check_enum(
            p.get("protocol"),
            &format!("{pptr}/protocol"),
            "protocol",
            PROTOCOLS,
        );
    }
}

/// Problems with an environment variable name, for the chosen version.
fn env_name_problem(name: &str, v: KubeVersion) -> Option<&'static str> {
    if v >= KubeVersion::new(1, 32) {
        // RelaxedEnvironmentVariableValidation, on by default from 1.32.
        if name.bytes().any(|b| !(32..=126).contains(&b) || b == b'=') {
            return Some("it may only contain printable ASCII characters other than '='");
        }
        return None;
    }
    let b = name.as_bytes();
    let first_ok = b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'.' | b'_'));
    let rest_ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if first_ok && rest_ok {
        None
    } else {
        Some("a valid environment variable name must consist of letters, digits, '_', '-' or '.', and must not start with a digit")
    }
}

fn check_env(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    let Some(env) = c.get("env").and_then(Node::as_seq) else {
        return;
    };
    for (i, e) in env.iter().enumerate() {
        if e.as_map().is_none() {
            continue;
        }
        let eptr = format!("{ptr}/env/{i}");
        match e.get("name") {
            Some(n) if n.as_str().is_some_and(|t| !t.is_empty()) => {
                let name = n.as_str().unwrap_or("");
                if let Some(why) = env_name_problem(name, s.version) {
                    s.report(
                        &format!("{eptr}/name"),
                        format!("environment variable name `{name}` of {who} is not valid: {why}"),
                        None,
                    );
                }
            }
            Some(n) if !matches!(n.value, Value::Str(_) | Value::Null) => {} // CC004
            _ => s.report(
                &format!("{eptr}/name"),
                format!("environment variable {i} of {who} has no `name`"),
                None,
            ),
        }
        let value_set = e
            .get("value")
            .and_then(Node::as_str)
            .is_some_and(|v| !v.is_empty());
        let Some(vf) = e.get("valueFrom").filter(|n| !n.is_null()) else {
            continue;
        };
        if value_set {
            s.report(
                &format!("{eptr}/valueFrom"),
                format!(
                    "environment variable {i} of {who} has both `value` and `valueFrom`; keep one"
                ),
                None,
            );
            continue;
        }
        let Some(entries) = vf.as_map() else { continue };
        let sources = entries
            .iter()
            .filter(|en| ENV_SOURCES.contains(&en.key.as_str()) && !en.value.is_null())
            .count();
        if sources == 0
            && entries
                .iter()
                .all(|en| ENV_SOURCES.contains(&en.key.as_str()) || en.value.is_null())
        {
            s.report(
                &format!("{eptr}/valueFrom"),
                format!("`valueFrom` of environment variable {i} of {who} names no source: use one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"),
                None,
            );
        } else if sources > 1 {
            s.report(
                &format!("{eptr}/valueFrom"),
                format!("`valueFrom` of environment variable {i} of {who} names more than one source; keep one"),
                None,
            );
        }
    }
}

/// A quantity as the API server reads it; `None` when it does not parse (CC007's business).
fn quantity_of(text: &str, n: &Node) -> Option<Quantity> {
    match &n.value {
        Value::Str(s) => Quantity::parse(s).ok(),
        Value::Null => Some(Quantity::zero()),
        Value::Int(_) | Value::Float(_) => {
            quantity::parse_number_text(text.get(n.span.start..n.span.end)?).ok()
        }
        _ => None,
    }
}

/// Native resources (no domain, or a kubernetes.io domain) other than huge pages may be
/// overcommitted: their request may be below their limit.
fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    native && !name.starts_with("hugepages-")
}

fn is_extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/") && !name.starts_with("requests.")
}

fn check_resources(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    let Some(res) = c.get("resources").filter(|r| r.as_map().is_some()) else {
        return;
    };
    let text = s.obj.text;
    let requests = res.get("requests").and_then(Node::as_map).unwrap_or(&[]);
    let limits = res.get("limits").and_then(Node::as_map).unwrap_or(&[]);
    let rptr = format!("{ptr}/resources");
    let mut bad_names = HashSet::new();
    for (list, entries) in [("limits", limits), ("requests", requests)] {
        for e in entries {
            let eptr = join(&format!("{rptr}/{list}"), &e.key);
            let name = e.key.as_str();
            if !name.contains('/')
                && !STANDARD_CONTAINER_RESOURCES.contains(&name)
                && !name.starts_with("hugepages-")
            {
                bad_names.insert(name);
                let hint = if name == "storage" {
                    " (a container's disk space is `ephemeral-storage`; persistent storage comes from a claim template's `resources.requests.storage`)"
                } else {
                    ""
                };
                s.report(
                    &eptr,
                    format!("`{name}` in the {list} of {who} is not a container resource: use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an extended resource with a domain prefix{hint}"),
                    None,
                );
                continue;
            }
            let Some(q) = quantity_of(text, &e.value) else {
                continue;
            };
            if q.sign() < 0 {
                s.report(
                    &eptr,
                    format!(
                        "`{name}: {}` in the {list} of {who} is negative; it must be 0 or more",
                        q.canonical()
                    ),
                    None,
                );
            } else if is_extended(name) && q.milli_value().is_some_and(|m| m % 1000 != 0) {
                s.report(
                    &eptr,
                    format!("`{name}: {}` in the {list} of {who} must be a whole number (extended resources are counted in units)", q.canonical()),
                    None,
                );
            }
        }
    }
    for e in requests {
        let name = e.key.as_str();
        if bad_names.contains(name) {
            continue;
        }
        let Some(req) = quantity_of(text, &e.value).filter(|q| q.sign() >= 0) else {
            continue;
        };
        let eptr = join(&format!("{rptr}/requests"), name);
        let limit = limits
            .iter()
            .rev()
            .find(|l| l.key == name)
            .and_then(|l| quantity_of(text, &l.value));
        let order = limit.as_ref().map(|lim| req.cmp_value(lim));
        match (limit, order) {
            (Some(lim), _) if lim.sign() < 0 => {}
            (Some(lim), Some(std::cmp::Ordering::Greater)) if overcommit_allowed(name) => {
                s.report(
                    &eptr,
                    format!(
                        "{who} requests `{name}: {}`, more than its limit `{}`; a request must be less than or equal to the {name} limit",
                        req.canonical(),
                        lim.canonical()
                    ),
                    None,
                );
            }
            (Some(_), _) if overcommit_allowed(name) => {}
            (Some(lim), Some(o)) if o != std::cmp::Ordering::Equal => {
                s.report(
                    &eptr,
                    format!(
                        "{who} requests `{name}: {}` with a limit of `{}`; `{name}` cannot be overcommitted, so its request must equal its limit (or be left out: it then defaults to the limit)",
                        req.canonical(),
                        lim.canonical()
                    ),
                    None,
                );
            }
            (Some(_), _) => {}
            (None, _) if !overcommit_allowed(name) && limits.iter().all(|l| l.key != name) => {
                s.report(
                    &eptr,
                    format!("{who} requests `{name}` without a limit; `{name}` cannot be overcommitted, so set a limit (the request then defaults to it)"),
                    None,
                );
            }
            (None, _) => {}
        }
    }
}

#[cfg(test)]
mod tests;
