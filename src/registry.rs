//! The single list of rules: code, name, default severity, fix availability and docs.

use serde::Serialize;

use crate::diagnostic::Severity;

/// Which fixes a rule may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
    /// Safe in some cases, unsafe in others.
    Sometimes,
}

/// Everything claimcheck publishes about a rule. Codes and names never change.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Fix safety.
    pub docs: &'static str,
}

/// All rules, in code order.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = crate::rules::FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .collect();
    v.sort_by_key(|r| r.code);
    v
}

/// Looks a rule up by code (`CC301`) or name (`volume-mount-not-found`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    crate::rules::FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let rules = all();
        assert!(rules.len() >= 11);
        for w in rules.windows(2) {
            assert_ne!(w[0].code, w[1].code, "duplicate code");
        }
        let mut names: Vec<_> = rules.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "duplicate name");
        for r in rules {
            assert!(r.code.len() == 5 && r.code.starts_with("CC"), "{}", r.code);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.name
            );
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(r.docs.contains(section), "{} docs lack {section}", r.code);
            }
        }
    }
}
