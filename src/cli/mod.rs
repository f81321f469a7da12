//! The command line — `claimcheck check | fix | normalize | rules | helm-post-renderer` —
//! once, for every host.
//!
//! ```text
//! native binary (src/bin) ──▶ NativeHost (std::fs) ─┐
//!                                                   ├─▶ cli::run(argv, host) ─▶ engine
//! Node CLI (pkg/bin) ─▶ runCli (wasm) ─▶ JS host ───┘
//! ```
//!
//! [`run`] parses the arguments ([`args`]), finds each input's `claimcheck.toml`, reads the
//! inputs (glob patterns expanded through the host, at most the input limit plus one byte),
//! runs the engine, renders the report ([`crate::output`]) and returns the exit status:
//! 0 no errors, 1 errors found, 2 usage, configuration or I/O failure. A host ([`Host`])
//! only reads, lists, writes atomically, prints, and says where it is.

pub mod args;
pub mod glob;
pub mod host;
pub mod native;

use std::collections::HashMap;

use crate::config::{self, Settings};
use crate::engine::{fix_update, lint_update, FileReport, Options, SourceFile};
use crate::{output, registry, Applicability, KubeVersion, Severity};

pub use args::{Args, ConfigChoice};
pub use host::{DirEntry, Host, Input};

/// The crate version, as `--version` prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `--help`: the usage text, with the supported Kubernetes versions filled in.
pub fn usage() -> String {
    include_str!("usage.txt")
        .trim_end()
        .replace("{LATEST}", &KubeVersion::LATEST.to_string())
        .replace("{OLDEST}", &KubeVersion::OLDEST.to_string())
}

/// The largest input read, in bytes (the parser's limit).
pub fn input_limit() -> usize {
    Options::default().limits.max_bytes
}

/// Why a command stopped early (exit status 2).
enum Failure {
    /// Printed with the pointer to `--help`.
    Usage(String),
    /// An I/O or configuration failure: printed alone.
    Io(String),
}

/// Runs the command line `argv` (without the program name) on `host`; returns the exit
/// status.
pub fn run(argv: &[String], host: &mut dyn Host) -> u8 {
    if argv.is_empty() || argv.iter().any(|a| a == "-h" || a == "--help") {
        host.stdout(&format!("{}\n", usage()));
        return if argv.is_empty() { 2 } else { 0 };
    }
    if argv.iter().any(|a| a == "-V" || a == "--version") {
        host.stdout(&format!("claimcheck {VERSION}\n"));
        return 0;
    }
    let color = host.stdout_is_tty() && host.env("NO_COLOR").is_none();
    let result = args::parse(argv, color)
        .map_err(Failure::Usage)
        .and_then(|a| match a.command.as_str() {
            "check" => check(&a, host),
            "fix" => fix(&a, host, false),
            "normalize" if a.cli.unsafe_fixes == Some(true) => Err(Failure::Usage(
                "normalize applies only safe fixes; use `claimcheck fix --unsafe-fixes`".into(),
            )),
            "normalize" => fix(&a, host, true),
            "rules" => Ok(rules(&a, host)),
            "helm-post-renderer" => helm_post_renderer(&a, host),
            other => Err(Failure::Usage(format!("unknown command `{other}`"))),
        });
    match result {
        Ok(status) => status,
        Err(Failure::Usage(msg)) => {
            host.stderr(&format!(
                "claimcheck: {msg}\n\nRun `claimcheck --help` for usage.\n"
            ));
            2
        }
        Err(Failure::Io(msg)) => {
            host.stderr(&format!("claimcheck: {msg}\n"));
            2
        }
    }
}

// ---- configuration ----

/// The path segments of `p`, as `std::path::absolute` keeps them (`.` and empty ones
/// dropped, `..` kept).
fn segments(p: &str) -> Vec<&str> {
    p.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect()
}

/// The nearest `claimcheck.toml` for an input (`None`: standard input) in its directory or
/// above, the directory made absolute against the host's current directory.
fn find_config(host: &mut dyn Host, input: Option<&str>) -> Option<String> {
    let cwd = host.current_dir();
    let mut dir: Vec<&str> = segments(&cwd);
    if let Some(path) = input {
        let mut own = segments(path);
        own.pop();
        dir = if path.starts_with('/') {
            own
        } else {
            dir.into_iter().chain(own).collect()
        };
    }
    (0..=dir.len()).rev().find_map(|n| {
        let mut parts: Vec<&str> = dir.get(..n).unwrap_or(&[]).to_vec();
        parts.push(config::CONFIG_FILE);
        let candidate = format!("/{}", parts.join("/"));
        host.is_file(&candidate).then_some(candidate)
    })
}

/// Reads and checks a configuration file.
fn load_config(host: &mut dyn Host, path: &str) -> Result<Settings, String> {
    let limit = input_limit();
    let bytes = host
        .read(Input::File(path), limit + 1)
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    if bytes.len() > limit {
        return Err(format!(
            "cannot read {path}: larger than the limit of {limit} bytes"
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("cannot read {path}: stream did not contain valid UTF-8"))?;
    #[cfg(feature = "toml-config")]
    return config::parse_toml(path, &text);
    #[cfg(not(feature = "toml-config"))]
    return Err(format!(
        "{path}: this build reads no configuration files ({} bytes)",
        text.len()
    ));
}

/// The options for an input (`None`: standard input) and the configuration file that governs
/// it: the file's settings with the flags laid over them. Loaded files are kept in `cache`.
fn options_for(
    a: &Args,
    host: &mut dyn Host,
    input: Option<&str>,
    cache: &mut HashMap<String, Settings>,
) -> Result<(Options, Option<String>), Failure> {
    let path = match &a.config {
        ConfigChoice::Ignore => None,
        ConfigChoice::File(p) => Some(p.clone()),
        ConfigChoice::Discover => find_config(host, input),
    };
    let mut options = Options::default();
    if let Some(p) = &path {
        if !cache.contains_key(p) {
            let settings = load_config(host, p).map_err(Failure::Io)?;
            cache.insert(p.clone(), settings);
        }
        if let Some(settings) = cache.get(p) {
            settings.apply(&mut options).map_err(Failure::Io)?;
        }
    }
    a.cli.apply(&mut options).map_err(Failure::Io)?;
    Ok((options, path))
}

fn input_of(path: &str) -> Option<&str> {
    (path != "<stdin>").then_some(path)
}

// ---- inputs ----

/// Reads one input, at most the input limit (plus one byte to tell that it is larger).
fn read_input(host: &mut dyn Host, name: &str) -> Result<Vec<u8>, Failure> {
    let limit = input_limit();
    let (input, shown) = if name == "-" {
        (Input::Stdin, "standard input")
    } else {
        (Input::File(name), name)
    };
    let bytes = host
        .read(input, limit + 1)
        .map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
    if bytes.len() > limit {
        return Err(Failure::Io(format!(
            "cannot read {shown}: larger than the input limit of {limit} bytes (16 MiB); nothing was checked"
        )));
    }
    Ok(bytes)
}

/// The inputs named on the command line (none: standard input), patterns expanded.
fn read_inputs(host: &mut dyn Host, files: &[String]) -> Result<Vec<SourceFile>, Failure> {
    let stdin = ["-".to_string()];
    let names = if files.is_empty() { &stdin[..] } else { files };
    let mut out = Vec::new();
    for f in names {
        let matched = if f != "-" && glob::is_glob(f) && !host.exists(f) {
            let m = glob::expand(host, f);
            if m.is_empty() {
                return Err(Failure::Io(format!(
                    "cannot read {f}: no file matches the pattern"
                )));
            }
            m
        } else {
            vec![f.clone()]
        };
        for name in matched {
            let bytes = read_input(host, &name)?;
            let path = if name == "-" { "<stdin>".into() } else { name };
            let text = String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                Failure::Io(format!(
                    "{path}: not UTF-8 text (invalid byte at offset {at}); Kubernetes manifests must be UTF-8"
                ))
            })?;
            out.push(SourceFile { path, text });
        }
    }
    Ok(out)
}

// ---- commands ----

fn has_errors<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> bool {
    reports
        .into_iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error)
}

fn check(a: &Args, host: &mut dyn Host) -> Result<u8, Failure> {
    let files = read_inputs(host, &a.files)?;
    let old = if a.old.is_empty() {
        Vec::new()
    } else {
        read_inputs(host, &a.old)?
    };
    // Inputs governed by the same configuration are linted together (cross-file rules see
    // each other's objects); each group with its own options.
    let mut cache = HashMap::new();
    let mut groups: Vec<(Option<String>, Options, Vec<usize>)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let (options, path) = options_for(a, host, input_of(&f.path), &mut cache)?;
        match groups.iter_mut().find(|(p, _, _)| *p == path) {
            Some((_, _, members)) => members.push(i),
            None => groups.push((path, options, vec![i])),
        }
    }
    let mut slots: Vec<Option<FileReport>> = vec![None; files.len()];
    for (_, options, members) in &groups {
        let group: Vec<SourceFile> = members
            .iter()
            .filter_map(|&i| files.get(i).cloned())
            .collect();
        for (&i, r) in members.iter().zip(lint_update(&group, &old, options)) {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(r);
            }
        }
    }
    let mut reports: Vec<FileReport> = slots.into_iter().flatten().collect();
    if a.skip_non_kubernetes {
        let limits = Options::default().limits;
        for (r, f) in reports.iter_mut().zip(&files) {
            crate::manifests::skip_non_kubernetes(r, &f.text, &limits);
        }
    }
    let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
    host.stdout(&output::render(
        &a.format, &reports, &texts, a.color, a.encoding,
    ));
    Ok(if has_errors(&reports) { 1 } else { 0 })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `fix` and `normalize`. With `--old LIVE` (fix only), each input is fixed as an update of
/// the live objects: findings the live object already had are ratcheted, and no fix touches a
/// field an update cannot change (claim templates, selector, names, …).
fn fix(a: &Args, host: &mut dyn Host, normalizing: bool) -> Result<u8, Failure> {
    if normalizing && !a.old.is_empty() {
        return Err(Failure::Usage(
            "normalize does not take --old; use `claimcheck fix --old LIVE FILE` for the fixes an update allows".into(),
        ));
    }
    let files = read_inputs(host, &a.files)?;
    let old = if a.old.is_empty() {
        Vec::new()
    } else {
        read_inputs(host, &a.old)?
    };
    let mut errors = false;
    let mut failed = false;
    let mut cache = HashMap::new();
    for f in &files {
        let (options, _) = options_for(a, host, input_of(&f.path), &mut cache)?;
        let mut outcome = if normalizing {
            crate::normalize::normalize_text(&f.path, &f.text, &options, a.with_defaults)
        } else {
            fix_update(&f.path, &f.text, &old, &options)
        };
        if a.skip_non_kubernetes {
            let fixed = outcome.output.clone();
            crate::manifests::skip_non_kubernetes(&mut outcome.remaining, &fixed, &options.limits);
        }
        errors |= has_errors([&outcome.remaining]);
        if a.diff {
            host.stdout(&crate::fix::unified_diff(&f.path, &f.text, &outcome.output));
        } else if a.stdout || f.path == "<stdin>" {
            host.stdout(&outcome.output);
        } else if outcome.output != f.text {
            if let Err(e) = write_back(host, f, &outcome.output) {
                host.stderr(&format!("claimcheck: {e}\n"));
                host.stderr(&format!(
                    "{}: nothing was written ({} not applied); the file is unchanged\n",
                    f.path,
                    plural(outcome.applied.len(), "fix", "fixes")
                ));
                failed = true;
                continue;
            }
        }
        let mut lines = String::new();
        for x in &outcome.applied {
            let how = match x.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
                Applicability::DisplayOnly => "display-only",
            };
            lines.push_str(&format!(
                "{}: fixed {} ({how}): {}\n",
                crate::output::printable(&f.path),
                x.code,
                crate::output::printable(&x.title)
            ));
        }
        lines.push_str(&format!(
            "{}: {} applied, {} left\n",
            f.path,
            plural(outcome.applied.len(), "fix", "fixes"),
            plural(outcome.remaining.diagnostics.len(), "problem", "problems")
        ));
        host.stderr(&lines);
    }
    Ok(if failed {
        2
    } else if errors {
        1
    } else {
        0
    })
}

/// Writes the fixed text over the file it was read from, unless the file changed since.
fn write_back(host: &mut dyn Host, f: &SourceFile, output: &str) -> Result<(), String> {
    let now = host
        .read(Input::File(&f.path), f.text.len() + 1)
        .map_err(|e| format!("cannot write {}: cannot read it again: {e}", f.path))?;
    if now != f.text.as_bytes() {
        return Err(format!(
            "{} changed since it was read; not overwritten (run the fix again)",
            f.path
        ));
    }
    host.write_atomic(&f.path, output.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", f.path))
}

/// Helm's post-renderer: the protocol lives in [`crate::helm::post_render`].
fn helm_post_renderer(a: &Args, host: &mut dyn Host) -> Result<u8, Failure> {
    if !a.files.is_empty() {
        return Err(Failure::Usage(
            "helm-post-renderer reads standard input only".into(),
        ));
    }
    let input = read_input(host, "-")?;
    let (engine, _) = options_for(a, host, None, &mut HashMap::new())?;
    let options = crate::helm::PostRenderOptions {
        engine,
        // `--unsafe-fixes` alone asks for fixes too
        fix: if a.apply_fixes || a.cli.unsafe_fixes == Some(true) {
            crate::helm::FixMode::Fix
        } else {
            crate::helm::FixMode::None
        },
        format: a.format.clone(),
    };
    let outcome = crate::helm::post_render(&input, &options);
    host.stderr(&outcome.stderr);
    host.stdout(&String::from_utf8_lossy(&outcome.stdout));
    Ok(outcome.exit_code)
}

fn rules(a: &Args, host: &mut dyn Host) -> u8 {
    let all = registry::all();
    let text = match a.format.as_str() {
        "markdown" => crate::docs::rules_markdown(),
        "json" => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::api::rules()).unwrap_or_default()
        ),
        _ => {
            let mut s = String::new();
            for r in all {
                s.push_str(&format!(
                    "{}  {:<32} {:<8} fix:{:<9} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    match r.fix {
                        registry::FixAvailability::None => "none",
                        registry::FixAvailability::Safe => "safe",
                        registry::FixAvailability::Unsafe => "unsafe",
                        registry::FixAvailability::Sometimes => "sometimes",
                    },
                    r.summary
                ));
            }
            s
        }
    };
    host.stdout(&text);
    0
}
