//! A container's ports (CC112).

use super::{Scope, PROTOCOLS};
use crate::source::Node;
use std::collections::HashSet;

/// `IsValidPortName`: an IANA service name.
pub(super) fn port_name_problems(name: &str) -> Vec<&'static str> {
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

pub(super) fn check_ports(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
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
