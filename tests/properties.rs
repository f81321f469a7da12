//! Property tests over mutated real manifests: linting never panics, fixing never breaks the
//! YAML, keeps every comment, converges, and its JSON Patch equals its text edits.
//! The seed is fixed so CI runs are repeatable; raise `PROPTEST_CASES` locally to search more.

use claimcheck::engine::{fix_text, lint_text, Options};
use proptest::prelude::*;

#[path = "support/fix_checks.rs"]
mod fix_checks;
#[path = "support/props.rs"]
mod props;

const BASES: &[&str] = &[
    include_str!("../examples/seed.yaml"),
    include_str!("fixtures/CC201/invalid_flow.yaml"),
    include_str!("fixtures/CC201/invalid_existing_spec.yaml"),
    include_str!("fixtures/CC202/invalid.yaml"),
    include_str!("corpus/k8swebsite__web.yaml"),
    include_str!("corpus/k8swebsite__zookeeper.yaml"),
];

const WORDS: &[&str] = &[
    "name",
    "spec",
    "metadata",
    "accessModes",
    "ReadWriteOnce",
    "readwriteonce",
    "1Gi",
    "1GB",
    "null",
    "[]",
    "{}",
    "- x",
    "storage",
    "resources",
    "volumeMounts",
    "data",
    "\"quoted\"",
    "'single'",
    "0644",
    "yes",
    "~",
    "&a",
    "*a",
    "<<",
    "#c",
    ":",
    "- name: data",
    "volumeClaimTemplates",
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize),
    Indent(usize, bool),
    ReplaceWord(usize, usize, usize),
    AddComment(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::SwapLines),
        (any::<usize>(), any::<bool>()).prop_map(|(l, d)| Mutation::Indent(l, d)),
        (any::<usize>(), any::<usize>(), 0..WORDS.len())
            .prop_map(|(l, t, w)| Mutation::ReplaceWord(l, t, w)),
        any::<usize>().prop_map(Mutation::AddComment),
    ]
}

fn apply(base: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for m in muts {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Mutation::DuplicateLine(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::SwapLines(i) => {
                if n > 1 {
                    lines.swap(i % (n - 1), i % (n - 1) + 1);
                }
            }
            Mutation::Indent(i, deeper) => {
                let l = &mut lines[i % n];
                if deeper {
                    l.insert_str(0, "  ");
                } else if l.starts_with("  ") {
                    l.replace_range(0..2, "");
                }
            }
            Mutation::ReplaceWord(i, t, w) => {
                let l = &lines[i % n];
                let toks: Vec<&str> = l.split(' ').collect();
                let k = t % toks.len().max(1);
                let mut toks: Vec<String> = toks.iter().map(|s| s.to_string()).collect();
                if let Some(tok) = toks.get_mut(k) {
                    *tok = WORDS[w].to_string();
                }
                lines[i % n] = toks.join(" ");
            }
            Mutation::AddComment(i) => {
                let indent: String = lines[i % n].chars().take_while(|c| *c == ' ').collect();
                lines.insert(i % n, format!("{indent}# note {i}"));
            }
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn check_fix_properties(text: &str) -> Result<(), TestCaseError> {
    let options = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    let _ = lint_text("m.yaml", text, &options);
    let out = fix_text("m.yaml", text, &options);
    let before_errors = fix_checks::syntax_errors(text);
    prop_assert!(
        fix_checks::syntax_errors(&out.output) <= before_errors,
        "fix broke the YAML:\n{}",
        out.output
    );
    if before_errors > 0 {
        return Ok(());
    }
    // every comment survives
    for comment in fix_checks::comments(text) {
        prop_assert!(
            out.output.contains(comment),
            "lost comment {comment:?}\n{}",
            out.output
        );
    }
    // the patch equals the text edits
    fix_checks::patch_equals_text(text, &out).map_err(TestCaseError::fail)?;
    // converged: a second run has nothing left to apply
    fix_checks::idempotent("m.yaml", &out, &options).map_err(TestCaseError::fail)?;
    Ok(())
}

proptest! {
    #![proptest_config(props::config(300, 0xC1A1_C4EC))]

    #[test]
    fn mutated_manifests_lint_and_fix_soundly(base in 0..BASES.len(), muts in prop::collection::vec(mutation(), 0..6)) {
        let text = apply(BASES[base], &muts);
        check_fix_properties(&text)?;
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = lint_text("x.yaml", &s, &Options::default());
        let _ = fix_text("x.yaml", &s, &Options { unsafe_fixes: true, ..Options::default() });
    }

    #[test]
    fn yamlish_text_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("\n"), Just("  "), Just("- "), Just(": "), Just("{"), Just("}"), Just("["), Just("]"),
        Just(", "), Just("&a "), Just("*a"), Just("<<: "), Just("'x'"), Just("\"y\""), Just("|\n"),
        Just("spec"), Just("volumeClaimTemplates"), Just("kind: StatefulSet\n"), Just("apiVersion: apps/v1\n"),
        Just("---\n"), Just("# c\n"), Just("!!str "), Just("? "), Just("\t"),
    ], 0..80)) {
        let s: String = parts.concat();
        let _ = lint_text("x.yaml", &s, &Options::default());
        let _ = fix_text("x.yaml", &s, &Options { unsafe_fixes: true, ..Options::default() });
    }
}
