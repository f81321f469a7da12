//! Shared analysis: what several rules need to know about Kubernetes objects and values.
//!
//! DESIGN: the model reads nodes and answers questions (is this a valid name, what quantity is
//! this, which volumes can a mount use, what does a selector select, which known name did the
//! author mean). It reports nothing and knows no rule code: rules import it, it imports only
//! the source tree, the options and the fix builders.

pub mod claim_spec;
pub mod claim_usage;
pub mod enums;
pub mod fields;
pub mod kinds;
pub mod names;
pub mod quantity;
pub mod selector;
pub mod suggest;
pub mod volume_sources;
pub mod volumes;
pub mod workload;
