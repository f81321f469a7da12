//! Views of a workload shared by several rules: its claim templates, its pod spec and
//! containers, and what a template problem means in a given Kubernetes version.

use crate::options::KubeVersion;
use crate::source::Node;

/// What a pod- or claim-template problem means in the chosen Kubernetes version.
pub fn template_consequence(v: KubeVersion, what: &str) -> String {
    if v.validates_templates_at_submit() {
        format!("Kubernetes {v} rejects the StatefulSet")
    } else {
        format!(
            "Kubernetes {v} accepts the StatefulSet, then every {what} creation fails (FailedCreate events)"
        )
    }
}

/// What a problem in the pod spec of a `kind` means in the chosen Kubernetes version: the API
/// server rejects the object when it validates the pod template on submit (every kind but a
/// StatefulSet before 1.34); otherwise the object is stored and each pod creation fails.
pub fn pod_consequence(kind: WorkloadKind, v: KubeVersion) -> String {
    if kind == WorkloadKind::StatefulSet {
        template_consequence(v, "pod")
    } else {
        format!("Kubernetes {v} rejects the {}", kind.name())
    }
}

/// The claim templates of a StatefulSet, with their indices.
pub fn claim_templates(sts: &Node) -> Vec<(usize, &Node)> {
    sts.path(&["spec", "volumeClaimTemplates"])
        .and_then(Node::as_seq)
        .map(|s| s.iter().enumerate().collect())
        .unwrap_or_default()
}

/// The name of a claim template, when it has a non-empty one.
pub fn template_name(tpl: &Node) -> Option<&str> {
    tpl.str_at(&["metadata", "name"]).filter(|s| !s.is_empty())
}

/// Every container of a pod spec (containers, initContainers, ephemeralContainers) with its
/// pointer relative to the pod spec, e.g. `/containers/0` (written out only when displayed).
pub fn containers(pod_spec: &Node) -> Vec<(ContainerAt, &Node)> {
    let mut out = Vec::new();
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        if let Some(items) = pod_spec.get(list).and_then(Node::as_seq) {
            for (index, c) in items.iter().enumerate() {
                out.push((ContainerAt { list, index }, c));
            }
        }
    }
    out
}

/// Where a container is in its pod spec; displays as its pointer relative to the pod spec,
/// e.g. `/containers/0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerAt {
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub list: &'static str,
    pub index: usize,
}

impl std::fmt::Display for ContainerAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}/{}", self.list, self.index)
    }
}

/// A container's display name for messages (`ptr`: where it is, for one without a name).
pub fn container_label(c: &Node, ptr: impl std::fmt::Display) -> String {
    match c.str_at(&["name"]) {
        Some(n) if !n.is_empty() => format!("container `{n}`"),
        _ => format!("the container at {ptr}"),
    }
}

/// The kinds claimcheck reads a pod template (or a pod spec) from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    StatefulSet,
    Deployment,
    ReplicaSet,
    DaemonSet,
    Job,
    CronJob,
    ReplicationController,
    Pod,
    PodTemplate,
}

impl WorkloadKind {
    /// Every workload kind, in a stable order.
    pub const ALL: [WorkloadKind; 9] = [
        WorkloadKind::StatefulSet,
        WorkloadKind::Deployment,
        WorkloadKind::ReplicaSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
        WorkloadKind::ReplicationController,
        WorkloadKind::Pod,
        WorkloadKind::PodTemplate,
    ];

    /// The kind of an object from its `apiVersion` and `kind` (served versions only).
    pub fn of(api_version: &str, kind: &str) -> Option<Self> {
        let k = match kind {
            "StatefulSet" => Self::StatefulSet,
            "Deployment" => Self::Deployment,
            "ReplicaSet" => Self::ReplicaSet,
            "DaemonSet" => Self::DaemonSet,
            "Job" => Self::Job,
            "CronJob" => Self::CronJob,
            "ReplicationController" => Self::ReplicationController,
            "Pod" => Self::Pod,
            "PodTemplate" => Self::PodTemplate,
            _ => return None,
        };
        (api_version == k.api_version()).then_some(k)
    }

    /// The `apiVersion` the kind is served at.
    pub fn api_version(self) -> &'static str {
        match self {
            Self::StatefulSet | Self::Deployment | Self::ReplicaSet | Self::DaemonSet => "apps/v1",
            Self::Job | Self::CronJob => "batch/v1",
            Self::ReplicationController | Self::Pod | Self::PodTemplate => "v1",
        }
    }

    /// The kind as Kubernetes spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::StatefulSet => "StatefulSet",
            Self::Deployment => "Deployment",
            Self::ReplicaSet => "ReplicaSet",
            Self::DaemonSet => "DaemonSet",
            Self::Job => "Job",
            Self::CronJob => "CronJob",
            Self::ReplicationController => "ReplicationController",
            Self::Pod => "Pod",
            Self::PodTemplate => "PodTemplate",
        }
    }

    /// Object-relative pointer of the pod template (`metadata` + `spec`); `None` for a Pod,
    /// which is its own template.
    pub fn template_pointer(self) -> Option<&'static str> {
        match self {
            Self::Pod => None,
            Self::PodTemplate => Some("/template"),
            Self::CronJob => Some("/spec/jobTemplate/spec/template"),
            _ => Some("/spec/template"),
        }
    }

    /// Object-relative pointer of the pod spec.
    pub fn pod_spec_pointer(self) -> &'static str {
        match self {
            Self::Pod => "/spec",
            Self::PodTemplate => "/template/spec",
            Self::CronJob => "/spec/jobTemplate/spec/template/spec",
            _ => "/spec/template/spec",
        }
    }

    /// The keys of [`Self::pod_spec_pointer`], for `Node::path`.
    pub fn pod_spec_path(self) -> &'static [&'static str] {
        match self {
            Self::Pod => &["spec"],
            Self::PodTemplate => &["template", "spec"],
            Self::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        }
    }

    /// Whether the API server validates this kind's pod template when the object is created
    /// or updated. Every kind does, except a StatefulSet before Kubernetes 1.34 (its pods are
    /// validated only when the controller creates them).
    pub fn validates_pod_template_at_submit(self, v: KubeVersion) -> bool {
        self != Self::StatefulSet || v.validates_templates_at_submit()
    }

    /// What creates the pods: "the StatefulSet controller", "the Job controller", … ("you" for
    /// a bare Pod, "nothing" for a PodTemplate, which is only a template).
    pub fn pod_creator(self) -> &'static str {
        match self {
            Self::StatefulSet => "the StatefulSet controller",
            Self::Deployment => "the Deployment's ReplicaSets",
            Self::ReplicaSet => "the ReplicaSet controller",
            Self::DaemonSet => "the DaemonSet controller",
            Self::Job => "the Job controller",
            Self::CronJob => "the Jobs the CronJob creates",
            Self::ReplicationController => "the replication controller",
            Self::Pod => "the API server (the Pod is created directly)",
            Self::PodTemplate => "nothing (a PodTemplate is only a template)",
        }
    }
}

/// One pod spec inside an object: where it is and what holds it.
#[derive(Debug, Clone, Copy)]
pub struct PodSpecView<'a> {
    pub kind: WorkloadKind,
    /// Object-relative pointer of the pod spec, e.g. `/spec/template/spec`.
    pub pointer: &'static str,
    /// The pod spec mapping.
    pub spec: &'a Node,
}

impl<'a> PodSpecView<'a> {
    /// The pod spec of an object of a workload kind, when it has one.
    pub fn of(obj: &'a Node, kind: WorkloadKind) -> Option<Self> {
        obj.path(kind.pod_spec_path())
            .filter(|n| n.as_map().is_some())
            .map(|spec| PodSpecView {
                kind,
                pointer: kind.pod_spec_pointer(),
                spec,
            })
    }

    /// Object-relative pointer of something inside the pod spec (`rel` starts with `/`).
    pub fn ptr(&self, rel: &str) -> String {
        format!("{}{rel}", self.pointer)
    }
}

/// How many pods of a workload may run at once, as far as the manifest says: `replicas` (1 when
/// unset) for StatefulSets, Deployments, ReplicaSets and ReplicationControllers, `parallelism`
/// (1 when unset) for Jobs and CronJobs' jobs, one per node for a DaemonSet (`None`), 1 for a
/// Pod and 0 for a PodTemplate. A value that is not an integer counts as the default.
pub fn max_pods(obj: &Node, kind: WorkloadKind) -> Option<i64> {
    let int_at = |path: &[&str]| obj.path(path).and_then(Node::as_i64).unwrap_or(1);
    match kind {
        WorkloadKind::DaemonSet => None,
        WorkloadKind::Pod => Some(1),
        WorkloadKind::PodTemplate => Some(0),
        WorkloadKind::Job => Some(int_at(&["spec", "parallelism"])),
        WorkloadKind::CronJob => Some(int_at(&["spec", "jobTemplate", "spec", "parallelism"])),
        _ => Some(int_at(&["spec", "replicas"])),
    }
}

#[cfg(test)]
mod workload_kind_tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_locate_their_pod_spec() {
        for k in WorkloadKind::ALL {
            assert_eq!(WorkloadKind::of(k.api_version(), k.name()), Some(k));
            assert_eq!(
                k.pod_spec_pointer(),
                format!("/{}", k.pod_spec_path().join("/"))
            );
        }
        assert_eq!(WorkloadKind::of("extensions/v1beta1", "Deployment"), None);
        assert_eq!(WorkloadKind::of("v1", "Service"), None);
    }
}
