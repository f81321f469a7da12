//! Times `lint` and `fix` per call, natively, over the files given on the command line, and
//! prints the figures as JSON for pkg/bench/bench.mjs. A call is what the native CLI does
//! for one file without the I/O: lint + the JSON report, or fix + the corrected text.

use std::time::{Duration, Instant};

use claimcheck::engine::{fix_text, lint, Options, SourceFile};
use claimcheck::output::report_dto;
use claimcheck::source::PositionEncoding;

fn lint_call(file: &SourceFile, options: &Options) -> usize {
    let reports = lint(std::slice::from_ref(file), options);
    let dto = report_dto(&reports, &[file.text.as_str()], PositionEncoding::Utf16);
    serde_json::to_string(&dto).map_or(0, |s| s.len())
}

fn fix_call(file: &SourceFile, options: &Options) -> usize {
    fix_text(&file.path, &file.text, options).output.len()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Per-file median of `rounds` calls (ms), and calls per second over whole passes.
fn measure(
    files: &[SourceFile],
    options: &Options,
    rounds: usize,
    call: fn(&SourceFile, &Options) -> usize,
) -> serde_json::Value {
    let mut per_file: Vec<Vec<f64>> = vec![Vec::new(); files.len()];
    let mut sink = 0usize;
    for f in files {
        sink = sink.wrapping_add(call(f, options));
    }
    let started = Instant::now();
    for _ in 0..rounds {
        for (i, f) in files.iter().enumerate() {
            let t = Instant::now();
            sink = sink.wrapping_add(call(f, options));
            if let Some(v) = per_file.get_mut(i) {
                v.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let total: Duration = started.elapsed();
    let minima: Vec<f64> = per_file
        .iter()
        .map(|v| v.iter().copied().fold(f64::INFINITY, f64::min))
        .collect();
    let medians: Vec<f64> = per_file.into_iter().map(median).collect();
    serde_json::json!({
        "perFileMedianMs": medians,
        "perFileMinMs": minima,
        "medianOfMediansMs": median(medians.clone()),
        "sumOfMediansMs": medians.iter().sum::<f64>(),
        "callsPerSecond": (rounds * files.len()) as f64 / total.as_secs_f64(),
        "sink": sink,
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut files = Vec::new();
    for path in args {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile { path, text }),
            Err(e) => {
                eprintln!("native-bench: cannot read {path}: {e}");
                std::process::exit(2);
            }
        }
    }
    let options = Options::default();
    let out = serde_json::json!({
        "lint": measure(&files, &options, rounds, lint_call),
        "fix": measure(&files, &options, rounds, fix_call),
    });
    println!("{out}");
}
