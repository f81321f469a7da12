//! Options: what the caller chooses for a run (the Kubernetes version to judge against,
//! whether unsafe fixes apply, reading limits, per-rule settings). A leaf module: rules read
//! options through their `Ctx`, the engine and the hosts build them.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Severity;
use crate::source::Limits;

/// A Kubernetes minor version, e.g. 1.32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubeVersion {
    /// The version whose API types claimcheck is built with (k8s-openapi's feature).
    pub const LATEST: KubeVersion = KubeVersion {
        major: 1,
        minor: 37,
    };
    pub const OLDEST: KubeVersion = KubeVersion {
        major: 1,
        minor: 28,
    };

    pub fn new(major: u32, minor: u32) -> Self {
        KubeVersion { major, minor }
    }

    /// Parses `1.32`, `v1.32` or `1.32.10`, within the supported range.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let t = s.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let major = parts.next().and_then(|p| p.parse::<u32>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
        let patch_ok = parts.next().is_none_or(|p| p.parse::<u32>().is_ok());
        match (major, minor) {
            (Some(major), Some(minor)) if patch_ok && parts.next().is_none() => {
                let v = KubeVersion { major, minor };
                if v < Self::OLDEST || v > Self::LATEST {
                    Err(format!(
                        "Kubernetes version {s} is outside the supported range {} to {}",
                        Self::OLDEST,
                        Self::LATEST
                    ))
                } else {
                    Ok(v)
                }
            }
            _ => Err(format!(
                "invalid Kubernetes version `{s}`: expected MAJOR.MINOR such as 1.32"
            )),
        }
    }

    /// From 1.34 the API server validates a StatefulSet's pod and claim templates itself.
    pub fn validates_templates_at_submit(self) -> bool {
        self >= KubeVersion::new(1, 34)
    }
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Per-rule settings: disabled rules and severity overrides.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub disabled: HashSet<&'static str>,
    pub severity: HashMap<&'static str, Severity>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub kubernetes_version: KubeVersion,
    pub unsafe_fixes: bool,
    pub limits: Limits,
    pub rules: RuleSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kubernetes_version: KubeVersion::LATEST,
            unsafe_fixes: false,
            limits: Limits::default(),
            rules: RuleSettings::default(),
        }
    }
}
