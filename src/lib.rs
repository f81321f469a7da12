//! claimcheck: lint and fix Kubernetes StatefulSet and PersistentVolumeClaim manifests.
pub mod model;
pub mod source;
