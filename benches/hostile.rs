//! Timings of the engine on hostile inputs at the webhook's 3 MiB body limit and the CLI's
//! 16 MiB input limit (the goals: under 100 ms and under 2 s). A benchmark, not a test: run
//! with `cargo bench --bench hostile` or `scripts/hostile-bench.sh` (which also measures the
//! CLI's memory and the Node package). `-- --write DIR` writes the inputs as files instead.

#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;

use std::time::Instant;

use claimcheck::engine::{fix_text, lint_text, Options};

const MIB: usize = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = args.get(i + 1).map_or("hostile-inputs", String::as_str);
        let _ = std::fs::create_dir_all(dir);
        // `--sizes 0.3,1,3` (MiB) for other sizes than the two limits
        let sizes: Vec<(usize, String)> = match args.iter().position(|a| a == "--sizes") {
            Some(j) => args
                .get(j + 1)
                .map_or("", String::as_str)
                .split(',')
                .filter_map(|m| m.parse::<f64>().ok())
                .map(|m| ((m * MIB as f64) as usize, format!("{m}MiB")))
                .collect(),
            None => vec![
                (3 * MIB, "3MiB".to_string()),
                (16 * MIB - 4096, "16MiB".to_string()),
            ],
        };
        let write = |path: String, text: &str| {
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("{path}: {e}");
            }
        };
        for (size, label) in &sizes {
            for h in hostile_inputs::all(*size) {
                write(format!("{dir}/{}-{label}.yaml", h.name), &h.text);
            }
            // an update: the live object next to the new one (`check --old`)
            for (name, old, new) in hostile_inputs::updates(*size) {
                write(format!("{dir}/{name}-{label}.old"), &old);
                write(format!("{dir}/{name}-{label}.yaml"), &new);
            }
        }
        return;
    }
    let options = Options::default();
    let unsafe_fixes = Options {
        unsafe_fixes: true,
        ..Options::default()
    };
    println!(
        "{:<20} {:>7} {:>10} {:>8} {:>10} {:>10}",
        "input", "size", "bytes", "findings", "lint ms", "fix ms"
    );
    for (size, label) in [(3 * MIB, "3 MiB"), (16 * MIB - 4096, "16 MiB")] {
        for h in hostile_inputs::all(size) {
            // best of three: the machine is shared
            let mut lint_ms = f64::MAX;
            let mut findings = 0;
            for _ in 0..3 {
                let t = Instant::now();
                let report = lint_text("h.yaml", &h.text, &options);
                lint_ms = lint_ms.min(t.elapsed().as_secs_f64() * 1000.0);
                findings = report.diagnostics.len();
            }
            let fix_ms = if size <= 3 * MIB {
                let t = Instant::now();
                let _ = fix_text("h.yaml", &h.text, &unsafe_fixes);
                format!("{:.1}", t.elapsed().as_secs_f64() * 1000.0)
            } else {
                "-".to_string()
            };
            println!(
                "{:<20} {:>7} {:>10} {:>8} {:>10.1} {:>10}",
                h.name,
                label,
                h.text.len(),
                findings,
                lint_ms,
                fix_ms
            );
        }
    }
}
