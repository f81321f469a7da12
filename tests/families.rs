//! Rule families on whole manifests, through the engine: the tests that used to sit in
//! `src/rules/<family>/tests.rs` and lint (rule modules never import the engine; their own
//! `tests.rs` keep only the unit tests of their helpers).

#[path = "families/bundle.rs"]
mod bundle;
#[path = "families/mounts.rs"]
mod mounts;
#[path = "families/pvc.rs"]
mod pvc;
#[path = "families/updates.rs"]
mod updates;
