//! Instruction counts of the engine's hot paths, for `valgrind --tool=callgrind` (counts are
//! repeatable run to run, unlike wall time on a shared machine). benchmarks/icount.sh builds
//! this and runs one workload per valgrind run, collecting only inside the workload's
//! `icount_*` function (`--collect-atstart=no --toggle-collect=icount_<name>`), after one
//! uncounted warm-up call that pays the one-time costs (the schemas are parsed on first use).
//!
//! `cargo bench --bench icount` (no valgrind) runs every workload once, as a smoke test.
//! `icount <name>` runs one workload; `icount --list` names them.

use std::hint::black_box;

#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;

use claimcheck::admission::{review, Mode, ReviewOptions};
use claimcheck::engine::{fix_text, lint, Options, SourceFile};
use claimcheck::output::report_dto;
use claimcheck::source::{parse_stream, Limits, PositionEncoding};

pub struct Inputs {
    seed: SourceFile,
    sts: SourceFile,
    sts_stream: SourceFile,
    corpus: SourceFile,
    wide: SourceFile,
    wide_json: SourceFile,
    unknown: SourceFile,
    review_wide: String,
    review_sts: String,
    options: Options,
}

/// Keys of the hostile workloads: a tenth of the 3 MiB inputs' (their cost is linear).
pub const HOSTILE_KEYS: usize = 20_000;

/// Copies of the clean StatefulSet in one stream: the per-object cost in a stream.
pub const STREAM_COPIES: usize = 100;

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("icount: cannot read {}: {e}", path.display());
        std::process::exit(2)
    })
}

#[path = "support/corpus.rs"]
mod corpus;
use corpus::corpus_stream;

fn inputs() -> Inputs {
    let file = |path: &str, text: String| SourceFile {
        path: path.into(),
        text,
    };
    let sts = read("benchmarks/inputs/statefulset-clean.yaml");
    let stream = vec![sts.as_str(); STREAM_COPIES].join("---\n");
    Inputs {
        seed: file("seed.yaml", read("examples/seed.yaml")),
        sts: file("sts.yaml", sts.clone()),
        sts_stream: file("stream.yaml", stream),
        corpus: file("corpus.yaml", corpus_stream()),
        wide: file("wide.yaml", hostile_inputs::wide_labels(HOSTILE_KEYS)),
        wide_json: file("wide.json", hostile_inputs::wide_labels_json(HOSTILE_KEYS)),
        unknown: file("unknown.yaml", hostile_inputs::unknown_fields(HOSTILE_KEYS)),
        review_wide: admission_review(&hostile_inputs::wide_labels_json(HOSTILE_KEYS)),
        review_sts: admission_review(&sts_json(&sts)),
        options: Options::default(),
    }
}

/// An AdmissionReview CREATE of `object` (JSON text), as the API server sends it.
fn admission_review(object: &str) -> String {
    let kind = if object.contains("\"StatefulSet\"") {
        r#"{"group":"apps","version":"v1","kind":"StatefulSet"}"#
    } else {
        r#"{"group":"","version":"v1","kind":"PersistentVolumeClaim"}"#
    };
    format!(
        r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"0d5e0b1c","kind":{kind},"operation":"CREATE","object":{object}}}}}"#
    )
}

/// The clean StatefulSet as one line of JSON (what the API server hands a webhook).
fn sts_json(yaml: &str) -> String {
    let docs = parse_stream(yaml, &Limits::default()).documents;
    docs.first()
        .map_or_else(String::new, |d| d.root.to_json().to_string())
}

fn review_one(body: &str, mode: Mode) -> usize {
    let options = ReviewOptions {
        mode,
        ..ReviewOptions::default()
    };
    review(body, &options).map_or(0, |v| v.to_string().len())
}

fn lint_one(f: &SourceFile, o: &Options) -> usize {
    lint(std::slice::from_ref(f), o)
        .iter()
        .map(|r| r.diagnostics.len())
        .sum()
}

/// What the CLI's `--format json` and the wasm `lint()` do: lint, then the JSON contract.
fn lint_json(f: &SourceFile, o: &Options) -> usize {
    let reports = lint(std::slice::from_ref(f), o);
    let dto = report_dto(&reports, &[f.text.as_str()], PositionEncoding::Utf16);
    serde_json::to_string(&dto).map_or(0, |s| s.len())
}

fn parse_only(f: &SourceFile, o: &Options) -> usize {
    parse_stream(&f.text, &o.limits).documents.len()
}

fn fix_one(f: &SourceFile, o: &Options) -> usize {
    fix_text(&f.path, &f.text, o).output.len()
}

type Work = fn(&Inputs) -> usize;

macro_rules! workloads {
    ($($name:ident: $doc:literal => $body:expr;)*) => {
        $(
            #[doc = $doc]
            #[no_mangle]
            #[inline(never)]
            pub fn $name(i: &Inputs) -> usize {
                black_box(($body)(black_box(i)))
            }
        )*
        const WORKLOADS: &[(&str, &str, Work)] = &[
            $((stringify!($name), $doc, |i| ($body)(i)),)*
        ];
        /// The counted functions, by workload name.
        fn counted(name: &str) -> Option<Work> {
            match name {
                $(stringify!($name) => Some($name as Work),)*
                _ => None,
            }
        }
    };
}

workloads! {
    icount_seed_lint: "lint the 2-document seed example (all rules)" =>
        |i: &Inputs| lint_one(&i.seed, &i.options);
    icount_seed_fix: "fix the seed example (lint, fix, re-lint until stable)" =>
        |i: &Inputs| fix_one(&i.seed, &i.options);
    icount_sts_parse: "parse the clean 636-byte StatefulSet into span trees" =>
        |i: &Inputs| parse_only(&i.sts, &i.options);
    icount_sts_lint: "lint the clean StatefulSet (all rules)" =>
        |i: &Inputs| lint_one(&i.sts, &i.options);
    icount_sts_json: "lint the clean StatefulSet + the JSON report" =>
        |i: &Inputs| lint_json(&i.sts, &i.options);
    icount_stream_lint: "lint 100 copies of the clean StatefulSet in one stream" =>
        |i: &Inputs| lint_one(&i.sts_stream, &i.options);
    icount_corpus_parse: "parse the 105-file corpus stream" =>
        |i: &Inputs| parse_only(&i.corpus, &i.options);
    icount_corpus_lint: "lint the 105-file corpus stream (all rules)" =>
        |i: &Inputs| lint_one(&i.corpus, &i.options);
    icount_corpus_json: "lint the corpus stream + the JSON report" =>
        |i: &Inputs| lint_json(&i.corpus, &i.options);
    icount_wide_lint: "lint a claim with 20,000 labels (YAML, 0.3 MB)" =>
        |i: &Inputs| lint_one(&i.wide, &i.options);
    icount_wide_json_lint: "lint the same claim as one line of JSON (the webhook's path)" =>
        |i: &Inputs| lint_one(&i.wide_json, &i.options);
    icount_review_sts: "review() validate of the clean StatefulSet (AdmissionReview JSON)" =>
        |i: &Inputs| review_one(&i.review_sts, Mode::Validate);
    icount_review_sts_mutate: "review() mutate of the clean StatefulSet (AdmissionReview JSON)" =>
        |i: &Inputs| review_one(&i.review_sts, Mode::Mutate);
    icount_review_wide: "review() validate of the 20,000-label claim (AdmissionReview JSON)" =>
        |i: &Inputs| review_one(&i.review_wide, Mode::Validate);
    icount_unknown_json: "lint a claim with 20,000 unknown fields + the JSON report" =>
        |i: &Inputs| lint_json(&i.unknown, &i.options);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        for (name, doc, _) in WORKLOADS {
            println!("{}\t{doc}", name.trim_start_matches("icount_"));
        }
        return;
    }
    let i = inputs();
    // `cargo bench` passes `--bench`: run everything once (a smoke test, no figures).
    let chosen: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    if chosen.is_empty() {
        for (name, _, work) in WORKLOADS {
            println!("{name}: {}", work(&i));
        }
        return;
    }
    for name in chosen {
        let full = format!("icount_{name}");
        let Some(counted) = counted(&full) else {
            eprintln!("icount: unknown workload {name} (see --list)");
            std::process::exit(2);
        };
        let warm = WORKLOADS
            .iter()
            .find(|w| w.0 == full)
            .map(|w| w.2)
            .unwrap_or(counted);
        // Uncounted warm-up (not through the `icount_*` symbol), then the counted call.
        black_box(warm(&i));
        println!("{name}: {}", counted(&i));
    }
}
