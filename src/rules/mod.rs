//! The rules. Each module declares its rules (metadata and documentation) and the checks that
//! report them; the registry (`src/registry.rs`) lists the rules and runs the checks.
//!
//! DESIGN: a rule module imports [`crate::rule`] (what it sees and reports to), [`crate::fix`]
//! (the fix builders) and [`crate::model`] (shared analysis) — never the engine, the registry
//! or another rule module.

pub mod bundle;
pub mod claims;
pub mod input;
pub mod metadata;
pub mod mounts;
pub mod pod;
pub mod pvc;
pub mod schema;
pub mod statefulset;
pub mod updates;
