//! The single list of rules (code, name, default severity, fix availability, docs) and the
//! dispatch of every phase to the rules' checks.
//!
//! DESIGN: the registry is the only module that names the rule modules. The engine calls the
//! four phases below and knows nothing else about rules: a new rule is a new file under
//! `src/rules/`, listed here.

use crate::rule::{Bundle, Ctx, Object};
use crate::rules;
use crate::source::ParsedStream;

pub use crate::rule::{FixAvailability, RuleMeta};

/// Every rule, by family; [`all`] flattens and sorts it.
static RULES: &[&[RuleMeta]] = &[
    rules::input::RULES,
    rules::metadata::RULES,
    rules::schema::RULES,
    rules::statefulset::RULES,
    rules::pod::RULES,
    rules::claims::RULES,
    rules::pvc::RULES,
    rules::mounts::RULES,
    rules::bundle::RULES,
    rules::updates::RULES,
];

/// Phase 1: problems found while reading a text (syntax, duplicate keys, non-objects).
pub fn check_stream(ctx: &mut Ctx, file: usize, text: &str, stream: &ParsedStream) {
    // (families whose findings a round of fixing would drop are skipped: see
    // `Ctx::wants_any`; none of these asks for suggestions)
    if ctx.wants_any(rules::input::RULES) {
        rules::input::check_stream(ctx, file, text, stream);
    }
}

/// Phase 2: rules that look at one object at a time (in this order). With `only` (the live
/// objects of an update, linted for the ratchet), the schema checks run only when one of their
/// rules is in it: they are the costly family that never asks for "did you mean" suggestions
/// (a test checks), so skipping them changes no other finding (the suggestions draw on the
/// run's budget, which decides what later checks suggest and find).
pub fn check_object(ctx: &mut Ctx, obj: &Object, bundle: &Bundle, only: Option<&[&str]>) {
    if ctx.wants_any(rules::input::RULES) {
        rules::input::check_object(ctx, obj);
    }
    rules::metadata::check(ctx, obj);
    if only.is_none_or(|c| rules::schema::RULES.iter().any(|r| c.contains(&r.code))) {
        rules::schema::check(ctx, obj);
    }
    rules::statefulset::check(ctx, obj);
    rules::pod::check(ctx, obj);
    rules::claims::check(ctx, obj);
    rules::pvc::check(ctx, obj);
    rules::mounts::check(ctx, obj, bundle);
}

/// Phase 3: rules that look across the objects of the input.
pub fn check_bundle(ctx: &mut Ctx, bundle: &Bundle) {
    rules::bundle::check(ctx, bundle);
}

/// Phase 4: rules that compare an object with its previous version (`--old`).
pub fn check_update(ctx: &mut Ctx, new: &Object, old: &Object, bundle: &Bundle) {
    if ctx.wants_any(rules::updates::RULES) {
        rules::updates::check(ctx, new, old, bundle);
    }
}

/// All rules, in code order.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = RULES.iter().flat_map(|f| f.iter()).collect();
    // by code (codes are unique: tested below); an insertion sort of the ~70 rules, which are
    // declared nearly in order, instead of bringing a copy of the library sort into the module
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1].code > v[j].code {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
    v
}

/// Looks a rule up by code (`CC301`) or name (`volume-mount-not-found`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
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
            assert!(w[0].code < w[1].code, "duplicate or out of order");
        }
        assert_eq!(
            rules.len(),
            RULES.iter().map(|f| f.len()).sum::<usize>(),
            "every declared rule, once"
        );
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
