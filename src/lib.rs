//! claimcheck: lint and fix the volumes, mounts and claims of Kubernetes workloads
//! (StatefulSets, Deployments, DaemonSets, Jobs, CronJobs, Pods, …) and PersistentVolumeClaims
//! before the API server or a controller rejects them.
//!
//! The pipeline: [`source`] reads YAML/JSON into span-carrying trees, [`engine`] finds the
//! objects and runs the [`rules`], and fixes are applied as text edits ([`fix`]) with the same
//! change expressed as JSON Patch ([`patch`]).

pub mod api;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod dto;
pub mod engine;
pub mod fix;
pub mod helm;
pub mod manifests;
pub mod model;
pub mod options;
pub mod patch;
pub mod ratchet;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod source;
// The wasm-bindgen (JavaScript) boundary; WASI hosts such as the Kubewarden policy call the
// Rust API.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod wasm;

pub use diagnostic::{Applicability, Diagnostic, Fix, Severity, TextEdit};
pub use engine::{
    fix_text, lint, lint_text, FileReport, FixOutcome, KubeVersion, Options, SourceFile,
};
pub mod admission;
pub mod normalize;
pub mod output;
