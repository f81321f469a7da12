//! The policy's settings (the `settings:` of a ClusterAdmissionPolicy), read from JSON and
//! checked with the core's parsers: [`claimcheck::config::resolve`] for rule selectors (codes,
//! names, code prefixes, `ALL`, as in `claimcheck.toml`), [`claimcheck::KubeVersion::parse`]
//! and [`claimcheck::Severity::parse`]. Every error names the setting it is about.
//!
//! ```yaml
//! settings:
//!   kubernetesVersion: "1.32"   # default: the newest version claimcheck knows
//!   select: [ALL]               # rules to run (default: all)
//!   extendSelect: []            # rules to add back
//!   ignore: [CC401]             # rules to turn off
//!   severity: {CC305: error}    # per-rule severity
//!   denyAt: error               # error | warning | hint: findings at or above it deny
//!   mutate: "off"               # off | safe | unsafe: return fixes as the mutated object
//!   kinds: [Deployment, Job]    # kinds reviewed (default: every workload kind and the PVC)
//! ```

use std::collections::BTreeMap;

use claimcheck::admission::{parse_kinds, Mode, MutateFixes, ReviewOptions};
use claimcheck::config::{resolve, RuleSelection, Settings};
use claimcheck::{KubeVersion, Severity};
use serde_json::Value;

/// The keys the policy reads, in the order the messages list them.
pub const KEYS: [&str; 8] = [
    "kubernetesVersion",
    "select",
    "extendSelect",
    "ignore",
    "severity",
    "denyAt",
    "mutate",
    "kinds",
];

/// Checked settings.
#[derive(Debug, Clone)]
pub struct PolicySettings {
    /// What the core's `review_value` is called with (validating mode).
    pub review: ReviewOptions,
    /// `None`: validate only (`mutate: off`, the default).
    pub mutate: Option<MutateFixes>,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            review: ReviewOptions {
                mode: Mode::Validate,
                fixes: MutateFixes::None,
                ..ReviewOptions::default()
            },
            mutate: None,
        }
    }
}

fn string<'v>(key: &str, v: &'v Value, expected: &str) -> Result<&'v str, String> {
    v.as_str()
        .ok_or_else(|| format!("{key}: expected {expected}, found {}", kind(v)))
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a map".into(),
    }
}

/// A list of rule selectors, each checked.
fn selectors(key: &str, v: &Value) -> Result<Vec<String>, String> {
    let items = v.as_array().ok_or_else(|| {
        format!(
            "{key}: expected a list of rule codes, names or prefixes, found {}",
            kind(v)
        )
    })?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = string(&format!("{key}[{i}]"), item, "a rule code, name or prefix")?;
        resolve(s).map_err(|e| format!("{key}: {e}"))?;
        out.push(s.to_string());
    }
    Ok(out)
}

fn severity_of(key: &str, v: &Value) -> Result<Severity, String> {
    let s = string(key, v, "\"error\", \"warning\" or \"hint\"")?;
    Severity::parse(s.trim()).ok_or_else(|| {
        format!("{key}: unknown severity `{s}` (expected \"error\", \"warning\" or \"hint\")")
    })
}

impl PolicySettings {
    /// Reads and checks settings; `null` (no settings) gives the defaults.
    pub fn from_value(v: &Value) -> Result<PolicySettings, String> {
        let mut out = PolicySettings::default();
        let map = match v {
            Value::Null => return Ok(out),
            Value::Object(m) => m,
            other => return Err(format!("settings: expected a map, found {}", kind(other))),
        };
        let mut engine = Settings::default();
        let mut rules = RuleSelection::default();
        for (key, value) in map {
            let key = key.as_str();
            match key {
                "kubernetesVersion" => {
                    let s = string(key, value, "a version string such as \"1.32\"")?;
                    KubeVersion::parse(s).map_err(|e| format!("{key}: {e}"))?;
                    engine.kubernetes_version = Some(s.to_string());
                }
                "select" => rules.select = Some(selectors(key, value)?),
                "extendSelect" => rules.extend_select = selectors(key, value)?,
                "ignore" => rules.disable = selectors(key, value)?,
                "severity" => {
                    let m = value.as_object().ok_or_else(|| {
                        format!(
                            "{key}: expected a map of rule to severity, found {}",
                            kind(value)
                        )
                    })?;
                    let mut levels = BTreeMap::new();
                    for (rule, level) in m {
                        let k = format!("{key}.{rule}");
                        resolve(rule).map_err(|e| format!("{k}: {e}"))?;
                        let sev = severity_of(&k, level)?;
                        levels.insert(rule.clone(), sev.as_str().to_string());
                    }
                    rules.severity = levels;
                }
                "denyAt" => out.review.deny_at = severity_of(key, value)?,
                "mutate" => {
                    let s = string(key, value, "\"off\", \"safe\" or \"unsafe\"")?;
                    out.mutate = match s {
                        "off" => None,
                        "safe" => Some(MutateFixes::Safe),
                        "unsafe" => Some(MutateFixes::Unsafe),
                        _ => {
                            return Err(format!(
                            "{key}: unknown value `{s}` (expected \"off\", \"safe\" or \"unsafe\")"
                        ))
                        }
                    };
                }
                "kinds" => {
                    let items = value.as_array().ok_or_else(|| {
                        format!(
                            "{key}: expected a list of kinds such as [Deployment, StatefulSet], found {}",
                            kind(value)
                        )
                    })?;
                    let mut names = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        names.push(string(
                            &format!("{key}[{i}]"),
                            item,
                            "a kind such as Deployment",
                        )?);
                    }
                    out.review.kinds = parse_kinds(&names).map_err(|e| format!("{key}: {e}"))?;
                }
                _ => {
                    return Err(format!(
                        "unknown setting `{key}` (the settings are {})",
                        KEYS.join(", ")
                    ))
                }
            }
        }
        engine.rules = rules;
        // The core lays the settings over its defaults exactly as for claimcheck.toml; every
        // part was checked above, so this cannot fail, but its word is final.
        out.review.lint = engine.to_options().map_err(|e| format!("settings: {e}"))?;
        Ok(out)
    }
}
