//! Native timings of `review()` on AdmissionReview bodies (the figures the Node host's
//! `pkg/bench/webhook-hostile.mjs` measures for the wasm module, here for the same bodies
//! natively). A benchmark, not a test:
//!
//!   node pkg/bench/webhook-hostile.mjs --write DIR     # the hostile bodies as DIR/NAME.json
//!   cargo bench --bench review -- DIR [--runs N] [--only NAME] [--mode validate|mutate]
//!                                     [--answers OUT]
//!
//! Prints, per body, the best of N runs of `review()` in validate and mutate mode and what the
//! answer was; `--answers OUT` also writes each answer as OUT/NAME.MODE.json (to compare the
//! answers of two versions byte for byte: `diff -r`).

use std::time::Instant;

/// The allocator of the native CLI (mimalloc, `cli` feature, on by default); with
/// `RUSTFLAGS="--cfg claimcheck_system_alloc"` the system allocator.
#[cfg(all(feature = "cli", not(claimcheck_system_alloc)))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use claimcheck::admission::{review, Mode, ReviewOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = value("--runs").and_then(|r| r.parse().ok()).unwrap_or(3);
    let only = value("--only");
    let answers = value("--answers");
    if let Some(out) = &answers {
        let _ = std::fs::create_dir_all(out);
    }
    let modes: Vec<Mode> = match value("--mode").as_deref() {
        Some("validate") => vec![Mode::Validate],
        Some("mutate") => vec![Mode::Mutate],
        _ => vec![Mode::Validate, Mode::Mutate],
    };
    // the directory: the first argument that is neither a flag nor a flag's value (cargo bench
    // adds `--bench`)
    let mut dir = None;
    let mut skip = false;
    for a in &args {
        if skip {
            skip = false;
        } else if matches!(a.as_str(), "--runs" | "--only" | "--mode" | "--answers") {
            skip = true;
        } else if !a.starts_with("--") {
            dir = Some(a.clone());
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: cargo bench --bench review -- DIR [--runs N] [--only NAME] [--mode M]");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let Ok(body) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut line = format!("{name:<16} {:>8} B", body.len());
        for mode in &modes {
            let options = ReviewOptions {
                mode: *mode,
                ..ReviewOptions::default()
            };
            let mut best = f64::INFINITY;
            let mut outcome = String::new();
            for _ in 0..runs {
                let t = Instant::now();
                let out = review(&body, &options).map(|v| v.to_string());
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                if let Some(dir) = &answers {
                    let text = match &out {
                        Ok(s) => s.clone(),
                        Err(e) => format!("error: {}", e.0),
                    };
                    let _ = std::fs::write(format!("{dir}/{name}.{mode:?}.json"), text);
                }
                outcome = match out {
                    Err(e) => format!("error: {}", e.0.chars().take(40).collect::<String>()),
                    Ok(s) if s.contains("\"patch\"") => "patched".into(),
                    Ok(s) if s.contains("\"allowed\":true") => "allowed".into(),
                    Ok(_) => "denied".into(),
                };
            }
            line.push_str(&format!("  {mode:?} {best:7.1} ms ({outcome})"));
        }
        println!("{line}");
    }
}
