//! The native command line: `claimcheck check | fix | rules`.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use claimcheck::config::{self, Settings};
use claimcheck::engine::{fix_text, lint_update, FileReport, KubeVersion, Options, SourceFile};
use claimcheck::output;
use claimcheck::registry;
use claimcheck::source::PositionEncoding;
use claimcheck::Severity;

const USAGE: &str =
    "claimcheck — lint and fix Kubernetes StatefulSet and PersistentVolumeClaim manifests

Usage:
  claimcheck check [OPTIONS] [FILES... | -]
  claimcheck fix [--unsafe-fixes] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck normalize [--with-defaults] [--diff | --stdout] [OPTIONS] FILES...
  claimcheck rules [--format text|json|markdown]
  claimcheck helm-post-renderer [--fix] [--unsafe-fixes] [OPTIONS]

Options:
  --format FORMAT                text, json, sarif or gitlab (GitLab code quality): how `check`
                                 and helm-post-renderer report findings (default: text)
  --kubernetes-version X.Y       the cluster's version (default: 1.37; supported: 1.28 to 1.37)
  --position-encoding utf8|utf16 how JSON columns are counted (default: utf8)
  --select RULE[,RULE...]        run only these rules (codes, names, prefixes such as CC4, ALL)
  --extend-select RULE[,...]     also run these rules
  --disable, --ignore RULE[,...] turn rules off
  --severity RULE=LEVEL          change a rule's severity (error, warning, hint)
  --unsafe-fixes                 also apply fixes that guess the intent (--no-unsafe-fixes: don't)
  --config FILE                  read settings from FILE instead of the nearest claimcheck.toml
  --no-config                    ignore claimcheck.toml files
  --with-defaults                normalize: also write the defaults the API server fills in
  --fix                          helm-post-renderer: apply safe fixes to what Helm installs
  --skip-non-kubernetes          check and fix: leave documents without `kind` (CI files,
                                 Chart.yaml, package.json) and kustomize files alone (git hooks)
  --old FILE                     the live (previous) version of the objects: check the update
  --no-color                     plain text output
  -h, --help                     this text
  -V, --version                  the version

Configuration: the nearest claimcheck.toml in the input file's directory or above it (for
standard input, the current directory) sets kubernetes-version, unsafe-fixes and [rules]
select / extend-select / disable / severity; flags override it. Inputs governed by
different files are checked as separate groups.

helm-post-renderer: Helm's rendered manifests on standard input are written to standard
output unchanged (or fixed, with --fix); findings go to standard error; when an error remains
nothing is written and the exit status is 1, so Helm stops. Findings in Helm output (`check`
too) name the chart template of their document (`# Source:` comments).

Exit status: 0 no errors, 1 errors found, 2 usage, configuration or I/O failure.";

/// Where settings come from besides the flags.
enum ConfigChoice {
    /// The nearest `claimcheck.toml` of each input.
    Discover,
    File(PathBuf),
    Ignore,
}

struct Args {
    command: String,
    files: Vec<String>,
    format: String,
    diff: bool,
    stdout: bool,
    with_defaults: bool,
    /// helm-post-renderer: apply fixes.
    apply_fixes: bool,
    /// Drop the findings in documents that are not Kubernetes objects.
    skip_non_kubernetes: bool,
    color: bool,
    encoding: PositionEncoding,
    /// The settings given as flags, laid over the configuration file's.
    cli: Settings,
    config: ConfigChoice,
    old: Vec<String>,
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("claimcheck: {msg}\n\nRun `claimcheck --help` for usage.");
    ExitCode::from(2)
}

fn parse_args(argv: Vec<String>) -> Result<Args, String> {
    let mut it = argv.into_iter();
    let command = it.next().ok_or("missing command (check, fix or rules)")?;
    let mut a = Args {
        command,
        files: Vec::new(),
        format: "text".into(),
        diff: false,
        stdout: false,
        with_defaults: false,
        apply_fixes: false,
        skip_non_kubernetes: false,
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        encoding: PositionEncoding::Utf8,
        cli: Settings::default(),
        config: ConfigChoice::Discover,
        old: Vec::new(),
    };
    let value = |flag: &str, it: &mut std::vec::IntoIter<String>, inline: Option<String>| {
        inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("{flag} needs a value"))
    };
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--format" => a.format = value(&flag, &mut it, inline)?,
            "--kubernetes-version" => {
                let v = value(&flag, &mut it, inline)?;
                KubeVersion::parse(&v)?;
                a.cli.kubernetes_version = Some(v);
            }
            "--position-encoding" => {
                a.encoding = match value(&flag, &mut it, inline)?.as_str() {
                    "utf8" | "utf-8" => PositionEncoding::Utf8,
                    "utf16" | "utf-16" => PositionEncoding::Utf16,
                    o => return Err(format!("unknown position encoding `{o}`")),
                }
            }
            "--disable" | "--ignore" => {
                let v = value(&flag, &mut it, inline)?;
                a.cli
                    .rules
                    .disable
                    .extend(config::flag_selectors(&flag, &v)?);
            }
            "--select" => {
                let v = value(&flag, &mut it, inline)?;
                let list = config::flag_selectors(&flag, &v)?;
                a.cli.rules.select.get_or_insert_with(Vec::new).extend(list);
            }
            "--extend-select" => {
                let v = value(&flag, &mut it, inline)?;
                a.cli
                    .rules
                    .extend_select
                    .extend(config::flag_selectors(&flag, &v)?);
            }
            "--severity" => {
                let v = value(&flag, &mut it, inline)?;
                let (code, level) = config::flag_severity(&v)?;
                a.cli.rules.severity.insert(code, level);
            }
            "--config" => {
                a.config = ConfigChoice::File(PathBuf::from(value(&flag, &mut it, inline)?))
            }
            "--no-config" => a.config = ConfigChoice::Ignore,
            "--no-unsafe-fixes" => a.cli.unsafe_fixes = Some(false),
            "--old" => a.old.push(value(&flag, &mut it, inline)?),
            "--unsafe-fixes" => a.cli.unsafe_fixes = Some(true),
            "--diff" => a.diff = true,
            "--with-defaults" => a.with_defaults = true,
            "--fix" if a.command == "helm-post-renderer" => a.apply_fixes = true,
            "--skip-non-kubernetes" => a.skip_non_kubernetes = true,
            "--stdout" => a.stdout = true,
            "--no-color" => a.color = false,
            "-" => a.files.push(arg),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}`")),
            _ => a.files.push(arg),
        }
    }
    let formats: &[&str] = if a.command == "rules" {
        &["text", "json", "markdown"]
    } else {
        output::CHECK_FORMATS
    };
    if !formats.contains(&a.format.as_str()) {
        return Err(format!(
            "unknown format `{}` (expected {})",
            a.format,
            formats.join(", ")
        ));
    }
    Ok(a)
}

/// Resolves the settings for inputs in `dir` (`None`: standard input, the current
/// directory): the configuration file, if any, with the flags laid over it. Loaded files are
/// kept in `cache`.
fn options_for(
    args: &Args,
    dir: Option<&Path>,
    cache: &mut HashMap<PathBuf, Settings>,
) -> Result<(Options, Option<PathBuf>), String> {
    let path = match &args.config {
        ConfigChoice::Ignore => None,
        ConfigChoice::File(p) => Some(p.clone()),
        ConfigChoice::Discover => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let dir = match dir {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => cwd,
            };
            config::find(&dir)
        }
    };
    let mut options = Options::default();
    if let Some(p) = &path {
        if !cache.contains_key(p) {
            let settings = config::load(p)?;
            cache.insert(p.clone(), settings);
        }
        if let Some(settings) = cache.get(p) {
            settings.apply(&mut options)?;
        }
    }
    args.cli.apply(&mut options)?;
    Ok((options, path))
}

/// The directory that governs an input's configuration (`None` for standard input).
fn input_dir(path: &str) -> Option<&Path> {
    if path == "-" || path == "<stdin>" {
        None
    } else {
        Path::new(path).parent()
    }
}

fn read_inputs(files: &[String]) -> Result<Vec<SourceFile>, String> {
    let mut out = Vec::new();
    let files: Vec<String> = if files.is_empty() {
        vec!["-".into()]
    } else {
        files.to_vec()
    };
    for f in files {
        let bytes = if f == "-" {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            b
        } else {
            std::fs::read(&f).map_err(|e| format!("cannot read {f}: {e}"))?
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                return Err(format!(
                    "{f}: not UTF-8 text (invalid byte at offset {at}); Kubernetes manifests must be UTF-8"
                ));
            }
        };
        let path = if f == "-" { "<stdin>".to_string() } else { f };
        out.push(SourceFile { path, text });
    }
    Ok(out)
}

/// The entry point, shared with the `kubectl-claimcheck` binary (the kubectl plugin).
pub fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() || argv.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return if argv.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    if argv.iter().any(|a| a == "-V" || a == "--version") {
        println!("claimcheck {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(argv) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    match args.command.as_str() {
        "check" => check(&args),
        "fix" | "normalize" => fix(&args),
        "rules" => rules(&args),
        "helm-post-renderer" => helm_post_renderer(&args),
        other => usage_error(&format!("unknown command `{other}`")),
    }
}

fn emit(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn check(args: &Args) -> ExitCode {
    let files = match read_inputs(&args.files) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("claimcheck: {e}");
            return ExitCode::from(2);
        }
    };
    let old = if args.old.is_empty() {
        Vec::new()
    } else {
        match read_inputs(&args.old) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("claimcheck: {e}");
                return ExitCode::from(2);
            }
        }
    };
    // Inputs governed by the same configuration are linted together (cross-file rules see
    // each other's objects); each group with its own options.
    let mut cache = HashMap::new();
    let mut groups: Vec<(Option<PathBuf>, Options, Vec<usize>)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let (options, path) = match options_for(args, input_dir(&f.path), &mut cache) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("claimcheck: {e}");
                return ExitCode::from(2);
            }
        };
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
    if args.skip_non_kubernetes {
        let limits = Options::default().limits;
        for (r, f) in reports.iter_mut().zip(&files) {
            claimcheck::manifests::skip_non_kubernetes(r, &f.text, &limits);
        }
    }
    let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
    emit(&output::render(
        &args.format,
        &reports,
        &texts,
        args.color,
        args.encoding,
    ));
    let errors = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error);
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fix(args: &Args) -> ExitCode {
    let files = match read_inputs(&args.files) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("claimcheck: {e}");
            return ExitCode::from(2);
        }
    };
    let mut errors = false;
    let mut status = ExitCode::SUCCESS;
    let mut cache = HashMap::new();
    for f in &files {
        let options = match options_for(args, input_dir(&f.path), &mut cache) {
            Ok((o, _)) => o,
            Err(e) => {
                eprintln!("claimcheck: {e}");
                return ExitCode::from(2);
            }
        };
        let mut outcome = if args.command == "normalize" {
            claimcheck::normalize::normalize_text(&f.path, &f.text, &options, args.with_defaults)
        } else {
            fix_text(&f.path, &f.text, &options)
        };
        if args.skip_non_kubernetes {
            let limits = options.limits;
            let fixed = outcome.output.clone();
            claimcheck::manifests::skip_non_kubernetes(&mut outcome.remaining, &fixed, &limits);
        }
        errors |= outcome
            .remaining
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        if args.diff {
            emit(&claimcheck::fix::unified_diff(
                &f.path,
                &f.text,
                &outcome.output,
            ));
        } else if args.stdout || f.path == "<stdin>" {
            emit(&outcome.output);
        } else if outcome.output != f.text {
            if let Err(e) = std::fs::write(&f.path, &outcome.output) {
                eprintln!("claimcheck: cannot write {}: {e}", f.path);
                status = ExitCode::from(2);
            }
        }
        for a in &outcome.applied {
            eprintln!(
                "{}: fixed {} ({}): {}",
                f.path,
                a.code,
                match a.applicability {
                    claimcheck::Applicability::Safe => "safe",
                    claimcheck::Applicability::Unsafe => "unsafe",
                    claimcheck::Applicability::DisplayOnly => "display-only",
                },
                a.title
            );
        }
        let left = outcome.remaining.diagnostics.len();
        eprintln!(
            "{}: {} fix{} applied, {} problem{} left",
            f.path,
            outcome.applied.len(),
            if outcome.applied.len() == 1 { "" } else { "es" },
            left,
            if left == 1 { "" } else { "s" }
        );
    }
    if status != ExitCode::SUCCESS {
        return status;
    }
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Helm's post-renderer: the protocol lives in `claimcheck::helm::post_render`.
fn helm_post_renderer(args: &Args) -> ExitCode {
    if !args.files.is_empty() {
        return usage_error("helm-post-renderer reads standard input only");
    }
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("claimcheck: cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let engine = match options_for(args, None, &mut HashMap::new()) {
        Ok((o, _)) => o,
        Err(e) => {
            eprintln!("claimcheck: {e}");
            return ExitCode::from(2);
        }
    };
    let options = claimcheck::helm::PostRenderOptions {
        engine,
        // `--unsafe-fixes` alone asks for fixes too
        fix: if args.apply_fixes || args.cli.unsafe_fixes == Some(true) {
            claimcheck::helm::FixMode::Fix
        } else {
            claimcheck::helm::FixMode::None
        },
        format: args.format.clone(),
    };
    let outcome = claimcheck::helm::post_render(&input, &options);
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    let mut out = std::io::stdout().lock();
    if out
        .write_all(&outcome.stdout)
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    ExitCode::from(outcome.exit_code)
}

fn rules(args: &Args) -> ExitCode {
    let all = registry::all();
    if args.format == "markdown" {
        emit(&claimcheck::docs::rules_markdown());
    } else if args.format == "json" {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&all).unwrap_or_default()
        ));
    } else {
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
        emit(&s);
    }
    ExitCode::SUCCESS
}
