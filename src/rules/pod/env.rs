//! A container's environment variables (CC112).

use std::fmt::Write as _;

use super::Scope;
use crate::options::KubeVersion;
use crate::source::{Node, Value};

pub(super) const ENV_SOURCES: &[&str] = &[
    "fieldRef",
    "resourceFieldRef",
    "configMapKeyRef",
    "secretKeyRef",
    "fileKeyRef",
];

/// Problems with an environment variable name, for the chosen version.
pub(super) fn env_name_problem(name: &str, v: KubeVersion) -> Option<&'static str> {
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

pub(super) fn check_env(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    let Some(env) = c.get("env").and_then(Node::as_seq) else {
        return;
    };
    for (i, e) in env.iter().enumerate() {
        if e.as_map().is_none() {
            continue;
        }
        // the pointer of the entry, only built for a finding
        let eptr = || format!("{ptr}/env/{i}");
        match e.get("name") {
            Some(n) if n.as_str().is_some_and(|t| !t.is_empty()) => {
                let name = n.as_str().unwrap_or("");
                if let Some(why) = env_name_problem(name, s.version) {
                    let what = if s.wants_details() {
                        format!("environment variable name `{name}` of {who} is not valid: {why}")
                    } else {
                        String::new() // only counted
                    };
                    // (built in place: a hostile list has a finding per entry)
                    let mut at = String::with_capacity(ptr.len() + 16);
                    at.push_str(ptr);
                    at.push_str("/env/");
                    let _ = write!(at, "{i}");
                    at.push_str("/name");
                    s.report(&at, what, None);
                }
            }
            Some(n) if !matches!(n.value, Value::Str(_) | Value::Null) => {} // CC004
            _ => s.report(
                &format!("{}/name", eptr()),
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
                &format!("{}/valueFrom", eptr()),
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
                &format!("{}/valueFrom", eptr()),
                format!("`valueFrom` of environment variable {i} of {who} names no source: use one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"),
                None,
            );
        } else if sources > 1 {
            s.report(
                &format!("{}/valueFrom", eptr()),
                format!("`valueFrom` of environment variable {i} of {who} names more than one source; keep one"),
                None,
            );
        }
    }
}
