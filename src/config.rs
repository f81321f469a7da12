//! Configuration: which rules run, at which severity, for which Kubernetes version.
//!
//! One serde type, [`Settings`], is read from `claimcheck.toml` files ([`parse_toml`]; the
//! native CLI finds them with [`find`], the Node CLI finds and reads them itself and passes
//! the text through wasm), from the command line, and from JSON ([`Settings::from_json`]).
//! [`Settings::apply`] lays one source over [`Options`]; sources are applied in order
//! (configuration file, then flags), so a later `select` starts the rule set afresh and a
//! later `disable` takes rules away, as in ruff.
//!
//! ```toml
//! kubernetes-version = "1.32"
//! unsafe-fixes = false
//! [rules]
//! select = ["ALL"]            # codes, names, code prefixes such as "CC4", or "ALL"
//! disable = ["CC401"]         # also spelt `ignore`
//! extend-select = []          # turn rules back on without replacing `select`
//! [rules.severity]
//! CC305 = "error"
//! ```
//!
//! Anything unknown (a key, a rule code, a severity) is an error, never ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::engine::{KubeVersion, Options};
use crate::registry::{self, RuleMeta};

/// The name of the configuration file searched for.
pub const CONFIG_FILE: &str = "claimcheck.toml";

/// One source of settings. Every field is optional: what is absent leaves the options as
/// they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// `MAJOR.MINOR`, e.g. `"1.32"`.
    #[serde(default, deserialize_with = "version_string")]
    pub kubernetes_version: Option<String>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: Option<bool>,
    #[serde(default)]
    pub rules: RuleSelection,
}

/// Reads the version as a string; a number is refused with a reason, since `1.30` written as
/// a number reads as 1.3.
fn version_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a version string such as \"1.32\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(E::custom(format!(
                "kubernetes-version must be a string such as \"1.32\", not the number {} (as a number 1.30 would read as 1.3)",
                crate::source::float::display(v)
            )))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_f64(v as f64)
        }
    }
    d.deserialize_any(V)
}

/// The `[rules]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSelection {
    /// The rules to run (replaces the set built so far). Default: all.
    pub select: Option<Vec<String>>,
    /// Rules to add to the set.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rules to turn off.
    #[serde(default, alias = "ignore")]
    pub disable: Vec<String>,
    /// Severity per rule (or prefix): `"error"`, `"warning"` or `"hint"`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

/// The rules a selector names: a code (`CC301`), a name (`volume-mount-not-found`), a code
/// prefix (`CC3`, `CC30`) or `ALL`.
pub fn resolve(selector: &str) -> Result<Vec<&'static RuleMeta>, String> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Ok(registry::all());
    }
    if let Some(r) = registry::find(s) {
        return Ok(vec![r]);
    }
    let upper = s.to_ascii_uppercase();
    if upper.len() >= 2 && upper.starts_with("CC") {
        let matched: Vec<&'static RuleMeta> = registry::all()
            .into_iter()
            .filter(|r| r.code.starts_with(&upper))
            .collect();
        if !matched.is_empty() {
            return Ok(matched);
        }
    }
    let all = registry::all();
    let candidates = all.iter().flat_map(|r| [r.code, r.name]);
    let hint = match crate::model::names::did_you_mean(s, candidates) {
        Some(g) => format!("; did you mean `{g}`?"),
        None => "; `claimcheck rules` lists them".to_string(),
    };
    Err(format!(
        "unknown rule `{selector}` (expected a code such as CC301, a rule name, a code prefix such as CC3, or ALL){hint}"
    ))
}

/// The rule selectors of a command-line flag's comma-separated value (`--select CC3,CC401`),
/// each checked; shared by the native and the Node command lines so both say the same.
pub fn flag_selectors(flag: &str, value: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for s in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        resolve(s).map_err(|e| format!("{flag}: {e}"))?;
        out.push(s.to_string());
    }
    if out.is_empty() {
        return Err(format!("{flag} needs at least one rule"));
    }
    Ok(out)
}

/// `RULE=LEVEL` of `--severity`, checked and trimmed.
pub fn flag_severity(value: &str) -> Result<(String, String), String> {
    let (code, level) = value.split_once('=').ok_or("--severity takes RULE=LEVEL")?;
    resolve(code.trim()).map_err(|e| format!("--severity: {e}"))?;
    crate::Severity::parse(level.trim()).ok_or_else(|| {
        format!("--severity: unknown severity `{level}` (expected error, warning or hint)")
    })?;
    Ok((code.trim().to_string(), level.trim().to_string()))
}

fn resolve_all<'s>(
    key: &str,
    selectors: impl IntoIterator<Item = &'s String>,
) -> Result<Vec<&'static str>, String> {
    let mut out = Vec::new();
    for s in selectors {
        out.extend(
            resolve(s)
                .map_err(|e| format!("{key}: {e}"))?
                .into_iter()
                .map(|r| r.code),
        );
    }
    Ok(out)
}

impl Settings {
    /// Lays these settings over `options`. Errors name the offending key
    /// (`rules.severity.CC999: unknown rule ...`).
    pub fn apply(&self, options: &mut Options) -> Result<(), String> {
        if let Some(v) = &self.kubernetes_version {
            options.kubernetes_version =
                KubeVersion::parse(v).map_err(|e| format!("kubernetes-version: {e}"))?;
        }
        if let Some(u) = self.unsafe_fixes {
            options.unsafe_fixes = u;
        }
        let r = &self.rules;
        if let Some(select) = &r.select {
            let on = resolve_all("rules.select", select)?;
            options.rules.disabled = registry::all()
                .into_iter()
                .map(|m| m.code)
                .filter(|c| !on.contains(c))
                .collect();
        }
        for code in resolve_all("rules.extend-select", &r.extend_select)? {
            options.rules.disabled.remove(code);
        }
        for code in resolve_all("rules.disable", &r.disable)? {
            options.rules.disabled.insert(code);
        }
        for (sel, level) in &r.severity {
            let key = format!("rules.severity.{sel}");
            let sev = Severity::parse(level.trim()).ok_or_else(|| {
                format!("{key}: unknown severity `{level}` (expected \"error\", \"warning\" or \"hint\")")
            })?;
            for rule in resolve(sel).map_err(|e| format!("{key}: {e}"))? {
                options.rules.severity.insert(rule.code, sev);
            }
        }
        Ok(())
    }

    /// The options these settings give on top of the defaults.
    pub fn to_options(&self) -> Result<Options, String> {
        let mut o = Options::default();
        self.apply(&mut o)?;
        Ok(o)
    }

    /// Reads settings from JSON (the wasm API's options), with the same keys as the TOML file.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// The line of `text` where a validation error's subject is written, for messages: the line
/// holding the offending value (the first backticked word of the error, quoted), else the
/// line of the key the error starts with (`rules.severity.CC999: ...` → `CC999 =`).
#[cfg(feature = "toml-config")]
fn locate(text: &str, error: &str) -> Option<usize> {
    let code_of = |l: &str| l.split('#').next().unwrap_or("").to_string();
    if let Some(subject) = error.split('`').nth(1).filter(|s| !s.is_empty()) {
        let quoted = [format!("\"{subject}\""), format!("'{subject}'")];
        if let Some(i) = text
            .lines()
            .position(|l| quoted.iter().any(|q| code_of(l).contains(q.as_str())))
        {
            return Some(i + 1);
        }
    }
    let key = error.split(": ").next()?.rsplit('.').next()?;
    text.lines()
        .position(|l| {
            let l = code_of(l);
            let l = l.trim_start();
            let rest = l
                .strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")));
            rest.is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Parses and validates a `claimcheck.toml` text; `path` is only used in messages.
#[cfg(feature = "toml-config")]
pub fn parse_toml(path: &str, text: &str) -> Result<Settings, String> {
    let settings: Settings = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim_end().to_string();
        match e.span() {
            Some(span) => {
                let before = text.get(..span.start.min(text.len())).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                // the table the key is in, for "unknown field" messages
                let earlier_lines = before
                    .rfind('\n')
                    .and_then(|i| before.get(..i))
                    .unwrap_or("");
                let table = earlier_lines
                    .lines()
                    .rev()
                    .map(str::trim)
                    .find(|l| l.starts_with('['))
                    .map(|t| format!(" (in {})", t.split('#').next().unwrap_or(t).trim()));
                let at_top = table.is_none() && msg.starts_with("unknown field");
                format!(
                    "{path}:{line}: {msg}{}",
                    table.unwrap_or_else(|| if at_top {
                        " (at the top level)".to_string()
                    } else {
                        String::new()
                    })
                )
            }
            None => format!("{path}: {msg}"),
        }
    })?;
    if let Err(e) = settings.to_options() {
        return Err(match locate(text, &e) {
            Some(line) => format!("{path}:{line}: {e}"),
            None => format!("{path}: {e}"),
        });
    }
    Ok(settings)
}

/// Reads a configuration file.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: &std::path::Path) -> Result<Settings, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    #[cfg(feature = "toml-config")]
    return parse_toml(&shown, &text);
    #[cfg(not(feature = "toml-config"))]
    return Err(format!(
        "{shown}: this build reads no configuration files ({} bytes)",
        text.len()
    ));
}

/// The nearest `claimcheck.toml` in `dir` or one of its ancestors.
#[cfg(not(target_arch = "wasm32"))]
pub fn find(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// WebAssembly has no file system: the Node CLI finds and reads `claimcheck.toml` itself
/// (mirroring [`find`]) and passes the text to [`parse_toml`] through the wasm module.
#[cfg(target_arch = "wasm32")]
pub fn load(path: &std::path::Path) -> Result<Settings, String> {
    Err(format!(
        "{}: configuration files are read by the native CLI only",
        path.display()
    ))
}

#[cfg(target_arch = "wasm32")]
pub fn find(_dir: &std::path::Path) -> Option<std::path::PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_select_disable_and_severity() {
        let file = Settings {
            kubernetes_version: Some("1.32".into()),
            rules: RuleSelection {
                disable: vec!["CC401".into(), "volume-mount-not-found".into()],
                severity: [("CC407".to_string(), "warning".to_string())].into(),
                ..RuleSelection::default()
            },
            ..Settings::default()
        };
        let mut o = Options::default();
        file.apply(&mut o).expect("valid");
        assert_eq!(o.kubernetes_version, KubeVersion::new(1, 32));
        assert!(o.rules.disabled.contains("CC401") && o.rules.disabled.contains("CC301"));
        assert_eq!(o.rules.severity.get("CC407"), Some(&Severity::Warning));

        // a later `select` starts afresh; `extend-select` adds back
        let cli = Settings {
            rules: RuleSelection {
                select: Some(vec!["CC4".into()]),
                disable: vec!["CC407".into()],
                ..RuleSelection::default()
            },
            ..Settings::default()
        };
        cli.apply(&mut o).expect("valid");
        assert!(!o.rules.disabled.contains("CC401"));
        assert!(o.rules.disabled.contains("CC407"));
        assert!(o.rules.disabled.contains("CC301"));
        let more = Settings {
            rules: RuleSelection {
                extend_select: vec!["CC301".into()],
                ..RuleSelection::default()
            },
            ..Settings::default()
        };
        more.apply(&mut o).expect("valid");
        assert!(!o.rules.disabled.contains("CC301"));
    }

    #[test]
    fn unknown_things_are_errors() {
        let bad = |s: Settings| s.to_options().expect_err("must fail");
        let e = bad(Settings {
            rules: RuleSelection {
                disable: vec!["CC999".into()],
                ..RuleSelection::default()
            },
            ..Settings::default()
        });
        assert!(e.starts_with("rules.disable: unknown rule `CC999`"), "{e}");
        let e = bad(Settings {
            rules: RuleSelection {
                severity: [("CC401".to_string(), "fatal".to_string())].into(),
                ..RuleSelection::default()
            },
            ..Settings::default()
        });
        assert!(
            e.contains("rules.severity.CC401: unknown severity `fatal`"),
            "{e}"
        );
        let e = bad(Settings {
            kubernetes_version: Some("1.2".into()),
            ..Settings::default()
        });
        assert!(e.starts_with("kubernetes-version:"), "{e}");
        assert!(resolve("CC9").is_err());
        assert!(resolve("C").is_err());
        let e = resolve("volume-mount-not-fond").expect_err("typo");
        assert!(e.contains("did you mean `volume-mount-not-found`"), "{e}");
    }

    #[test]
    fn json_and_toml_read_the_same_keys() {
        let json = r#"{"kubernetes-version": "1.30", "unsafe-fixes": true,
                       "rules": {"ignore": ["CC4"], "severity": {"CC301": "warning"}}}"#;
        let s = Settings::from_json(json).expect("json");
        let t = parse_toml(
            "c.toml",
            "kubernetes-version = \"1.30\"\nunsafe-fixes = true\n[rules]\nignore = [\"CC4\"]\n[rules.severity]\nCC301 = \"warning\"\n",
        )
        .expect("toml");
        assert_eq!(s, t);
        assert!(Settings::from_json(r#"{"kubernetesVersion": "1.30"}"#).is_err());
    }

    #[test]
    fn toml_errors_name_file_line_and_key() {
        let e = parse_toml("dir/claimcheck.toml", "[rules]\ndisabled = [\"CC401\"]\n")
            .expect_err("unknown key");
        assert!(
            e.starts_with("dir/claimcheck.toml:2: unknown field `disabled`"),
            "{e}"
        );
        let e = parse_toml(
            "claimcheck.toml",
            "[rules]\ndisable = [\n  \"CC401\",\n  \"CC499\",\n]\n",
        )
        .expect_err("unknown code");
        assert_eq!(
            e.split(" (expected").next().unwrap_or(""),
            "claimcheck.toml:4: rules.disable: unknown rule `CC499`"
        );
        let e = parse_toml("c.toml", "[rules.severity]\nCC999 = \"error\"\n")
            .expect_err("unknown code as key");
        assert!(
            e.starts_with("c.toml:2: rules.severity.CC999: unknown rule"),
            "{e}"
        );
    }
}
