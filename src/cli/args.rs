//! The command line's arguments: one parse for every host.

use crate::config::{self, Settings};
use crate::source::PositionEncoding;
use crate::KubeVersion;

/// Where settings come from besides the flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `claimcheck.toml` of each input.
    Discover,
    File(String),
    Ignore,
}

#[derive(Debug, Clone)]
pub struct Args {
    pub command: String,
    pub files: Vec<String>,
    pub format: String,
    pub diff: bool,
    pub stdout: bool,
    pub with_defaults: bool,
    /// helm-post-renderer: apply fixes.
    pub apply_fixes: bool,
    /// Drop the findings in documents that are not Kubernetes objects.
    pub skip_non_kubernetes: bool,
    pub color: bool,
    pub encoding: PositionEncoding,
    /// The settings given as flags, laid over the configuration file's.
    pub cli: Settings,
    pub config: ConfigChoice,
    pub old: Vec<String>,
}

/// Parses `argv` (without the program name); `color` is the default for text output.
pub fn parse(argv: &[String], color: bool) -> Result<Args, String> {
    let mut it = argv.iter().cloned();
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
        color,
        encoding: PositionEncoding::Utf8,
        cli: Settings::default(),
        config: ConfigChoice::Discover,
        old: Vec::new(),
    };
    let value = |flag: &str, it: &mut dyn Iterator<Item = String>, inline: Option<String>| {
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
                let list = config::flag_selectors(&flag, &v)?;
                a.cli.rules.disable.extend(list);
            }
            "--select" => {
                let v = value(&flag, &mut it, inline)?;
                let list = config::flag_selectors(&flag, &v)?;
                a.cli.rules.select.get_or_insert_with(Vec::new).extend(list);
            }
            "--extend-select" => {
                let v = value(&flag, &mut it, inline)?;
                let list = config::flag_selectors(&flag, &v)?;
                a.cli.rules.extend_select.extend(list);
            }
            "--severity" => {
                let v = value(&flag, &mut it, inline)?;
                let (code, level) = config::flag_severity(&v)?;
                a.cli.rules.severity.insert(code, level);
            }
            "--config" => a.config = ConfigChoice::File(value(&flag, &mut it, inline)?),
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
        crate::output::CHECK_FORMATS
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
