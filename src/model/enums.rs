//! Enumerated fields (a policy, a protocol, an operator): how far a written value is from an
//! allowed one, and the message and fix that say so. Shared by the StatefulSet and pod rules.

use crate::diagnostic::Fix;
use crate::fix;
use crate::model::names;
use crate::rule::{Object, RuleMeta};
use crate::source::Node;

/// A string-valued enum field that is set to something invalid: the value, the valid value it
/// equals up to letter case and surrounding spaces, and a near miss.
pub struct BadEnum<'a> {
    pub value: &'a str,
    pub same_case: Option<&'static str>,
    pub near: Option<&'static str>,
}

pub fn bad_enum<'a>(node: Option<&'a Node>, allowed: &[&'static str]) -> Option<BadEnum<'a>> {
    let value = node?.as_str()?;
    if value.is_empty() || allowed.contains(&value) {
        return None;
    }
    let t = value.trim();
    let same_case = allowed.iter().find(|a| a.eq_ignore_ascii_case(t)).copied();
    let near = same_case.or_else(|| {
        names::did_you_mean(t, allowed.iter().copied()).or_else(|| {
            let lower = t.to_ascii_lowercase();
            if lower.len() < 3 {
                return None;
            }
            let mut it = allowed
                .iter()
                .filter(|a| a.to_ascii_lowercase().starts_with(&lower));
            match (it.next(), it.next()) {
                (Some(a), None) => Some(*a),
                _ => None,
            }
        })
    });
    Some(BadEnum {
        value,
        same_case,
        near,
    })
}

fn list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// Message and fix for a bad enum value at `ptr`.
#[allow(clippy::too_many_arguments)]
pub fn enum_report(
    rule: &RuleMeta,
    obj: &Object,
    node: &Node,
    ptr: &str,
    field: &str,
    bad: &BadEnum,
    allowed: &[&str],
    consequence: &str,
) -> (String, Option<Fix>) {
    let mut message = format!(
        "`{field}` is `{}`, which is not one of {}",
        bad.value,
        list(allowed)
    );
    if let Some(a) = bad.same_case {
        message.push_str(&format!(" (values are case-sensitive: write `{a}`)"));
    } else if let Some(a) = bad.near {
        message.push_str(&format!(" (did you mean `{a}`?)"));
    }
    message.push_str(&format!(". {consequence}"));
    let fix_ = bad
        .same_case
        .and_then(|a| fix::case_fix(rule, obj, node, ptr, a));
    (message, fix_)
}

/// A valid DNS-1123 label close to `s` (lower case, other characters as `-`), for messages.
pub fn label_suggestion(s: &str) -> Option<String> {
    let mapped: String = s
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = String::new();
    for c in mapped.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    let out: String = out.trim_end_matches('-').chars().take(63).collect();
    let out = out.trim_end_matches('-').to_string();
    (out != s && names::dns1123_label(&out).is_empty()).then_some(out)
}
