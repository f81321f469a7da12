//! Rules across the objects of one input: Services, StorageClasses, PersistentVolumes and
//! standalone claims, seen together with the StatefulSets and other workloads that use them.

use crate::diagnostic::{Applicability, Fix, Severity};
use crate::fix;
use crate::model::names;
use crate::model::workload::{claim_templates, template_name};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::{escape_pointer_segment, Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Service named by a StatefulSet's `serviceName` is among the documents checked together. When the input holds no Service at all the finding is a hint (the Service may live elsewhere); when it holds Services but not this one, a warning.
    ///
    /// ## Why is this bad?
    /// The governing Service gives each pod its stable DNS name (`web-0.nginx.default.svc`). Without it the pods run, but peers cannot find each other by name, which is usually why a StatefulSet was chosen.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: example   # no Service `example` anywhere
    /// ```
    /// Add a headless Service (`clusterIP: None`) named `example` selecting the pod labels.
    ///
    /// ## Fix safety
    /// No fix yet.
    pub CC401 {
        name: "service-not-found",
        severity: Warning,
        fix: None,
        summary: "serviceName names no Service in the input",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Looks up the Service named by a StatefulSet's `serviceName` among the documents checked together and reports it when it is not headless, that is when its `spec.clusterIP` is anything but `None` (unset, empty, an address, or `none` in the wrong case) or its type is `NodePort`, `LoadBalancer` or `ExternalName`. When every StatefulSet it governs runs a single replica the finding is a hint: there are no peers to find.
    ///
    /// ## Why is this bad?
    /// Cluster DNS publishes a record per pod (`web-0.web.default.svc.cluster.local`) only for headless Services. With a normal Service the name resolves to one virtual IP that load-balances across the replicas, so members of a database or consensus group cannot address each other individually, which is what the StatefulSet's stable network identity is for.
    ///
    /// The cluster IP of an existing Service cannot be changed: the API server rejects the update (`field is immutable`), so `kubectl apply` fails. Delete the Service and create it again; the pods themselves keep running.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: web
    /// ```
    /// Add `clusterIP: None` to the Service. When clients outside the group also need a load-balanced address, keep this Service for them under another name and add a separate headless one for the StatefulSet.
    ///
    /// ## Fix safety
    /// Setting `clusterIP: None` is unsafe: it removes the Service's virtual IP, which clients may be using, and applying it to a live Service requires deleting and recreating it. It is only offered for Services of type `ClusterIP` without `clusterIPs`.
    pub CC402 {
        name: "service-not-headless",
        severity: Warning,
        fix: Unsafe,
        summary: "The governing Service of a StatefulSet is not headless (clusterIP: None)",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Compares the selector of the Service named by a StatefulSet's `serviceName` with the labels of the StatefulSet's pod template, and reports a Service that has no selector or whose selector asks for a label the pods do not carry (or carry with another value).
    ///
    /// ## Why is this bad?
    /// The endpoints of a Service, and with them the per-pod DNS records of a headless Service, come from the pods its selector matches. If the selector misses the StatefulSet's pods, `web-0.web` does not resolve and peers cannot find each other, although every pod is running. A Service without selector gets no endpoints at all unless someone maintains them by hand.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: nginx      # the pods are labelled app: web
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either the selector or the pod labels may be the one that is wrong, and changing pod labels also touches the StatefulSet's own selector.
    pub CC403 {
        name: "service-selector-mismatch",
        severity: Warning,
        fix: None,
        summary: "The governing Service does not select the StatefulSet's pods",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that the `storageClassName` of each claim template and standalone PersistentVolumeClaim (or the older `volume.beta.kubernetes.io/storage-class` annotation) names a StorageClass among the documents checked together, or a class that a PersistentVolume of the input carries (static provisioning needs no StorageClass object). When the input defines no StorageClass at all the rule stays silent: it has nothing to compare with. When the name is one that managed and local clusters come with (`standard`, `standard-rwo`, `gp2`, `managed-csi`, `azurefile-csi`, `local-path`, …), the finding is a hint, since such classes are installed with the cluster (`kubectl get storageclass` lists them); when the input defines classes but not this one, a warning with a "did you mean". Claims that name a volume (`volumeName`) or select one (`selector`) are left alone.
    ///
    /// An empty `storageClassName: ""` and an unset one mean different things. `""` asks for no class: the claim only binds to existing PersistentVolumes that have no class and is never provisioned dynamically. Unset lets the cluster's default StorageClass be filled in when the claim is created (and later, if a default appears), so the claim is provisioned by the default class. Neither is reported here.
    ///
    /// ## Why is this bad?
    /// A claim whose class does not exist is never provisioned: it stays `Pending`, and so do the pods that use it, with no error on the claim beyond the missing class. Class names differ between clusters (`standard`, `gp3`, `managed-csi`, `local-path`, …), so manifests copied from another environment often name a class the target cluster does not have.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StorageClass
    /// metadata:
    ///   name: fast-ssd
    /// ---
    /// kind: PersistentVolumeClaim
    /// spec:
    ///   storageClassName: fast-sdd
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which class was meant.
    pub CC404 {
        name: "storage-class-not-found",
        severity: Warning,
        fix: None,
        summary: "A storageClassName that no StorageClass in the input defines",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// For each claim template and standalone PersistentVolumeClaim whose StorageClass is in the input (named by `storageClassName`, or the input's only default class when the claim names none), looks the class's `provisioner` up in a table of common provisioners and reports access modes the provisioner cannot serve for the claim's `volumeMode`.
    ///
    /// The table (from the drivers' own documentation):
    ///
    /// | provisioner | not supported |
    /// |---|---|
    /// | `ebs.csi.aws.com`, `kubernetes.io/aws-ebs` (Amazon EBS) | `ReadOnlyMany`, `ReadWriteMany` for Filesystem volumes (io2 Multi-Attach works only in Block mode) |
    /// | `disk.csi.azure.com`, `kubernetes.io/azure-disk` (Azure Disk) | `ReadOnlyMany`, `ReadWriteMany` for Filesystem volumes (shared disks work only in Block mode) |
    /// | `pd.csi.storage.gke.io`, `kubernetes.io/gce-pd` (Compute Engine persistent disk) | `ReadWriteMany` for Filesystem volumes (`ReadOnlyMany` works) |
    /// | `rbd.csi.ceph.com`, `<namespace>.rbd.csi.ceph.com`, `kubernetes.io/rbd` (Ceph RBD) | `ReadWriteMany` for Filesystem volumes (Block works) |
    /// | `csi.vsphere.vmware.com` (vSphere) | `ReadWriteMany` for Block volumes (file volumes work) |
    /// | `rancher.io/local-path` (local-path) | `ReadOnlyMany`, `ReadWriteMany` (unless its configuration sets `sharedFileSystemPath`) |
    /// | `openebs.io/local` (OpenEBS Local PV) | `ReadOnlyMany`, `ReadWriteMany` |
    ///
    /// Shared file systems support every mode: Amazon EFS (`efs.csi.aws.com`), Azure Files (`file.csi.azure.com`), Filestore (`filestore.csi.storage.gke.io`), CephFS (`cephfs.csi.ceph.com`), NFS (`nfs.csi.k8s.io`), Longhorn (`driver.longhorn.io`, through its share manager) and Portworx (`pxd.portworx.com`, shared volumes). Provisioners not in the table are not judged.
    ///
    /// ## Why is this bad?
    /// The external provisioner asks the driver for a volume with the requested access mode, the driver refuses, and the claim stays `Pending` with `ProvisioningFailed` events; every pod that uses it waits. A block-storage disk attaches to one node at a time, so `ReadWriteMany` needs a shared file system instead.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StorageClass
    /// metadata:
    ///   name: gp3
    /// provisioner: ebs.csi.aws.com
    /// ---
    /// kind: PersistentVolumeClaim
    /// spec:
    ///   storageClassName: gp3
    ///   accessModes: [ReadWriteMany]
    /// ```
    /// Use `ReadWriteOnce` (with a claim template per replica), or an EFS class for shared data.
    ///
    /// ## Fix safety
    /// No fix: changing the access mode or the class changes how the application shares its data.
    pub CC405 {
        name: "access-mode-unsupported",
        severity: Warning,
        fix: None,
        summary: "The StorageClass's provisioner is known not to support the claim's access mode",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds pod templates of workloads that run more than one pod (a StatefulSet, Deployment, ReplicaSet or ReplicationController with `replicas` above 1, a DaemonSet, a Job or CronJob with `parallelism` above 1) that mount a PersistentVolumeClaim of the input through `persistentVolumeClaim.claimName` when that claim's only access mode is `ReadWriteOnce` or `ReadWriteOncePod`. `ReadWriteOncePod` is an error.
    ///
    /// ## Why is this bad?
    /// All replicas share the one claim. A `ReadWriteOnce` volume can be attached to a single node: replicas that land on other nodes stay in `ContainerCreating` with `Multi-Attach error` events, and they only work when the scheduler happens to put every replica on the same node. A `ReadWriteOncePod` claim can be used by one pod in the whole cluster, so every other replica stays `Pending`. A StatefulSet that wants a volume per replica should use `volumeClaimTemplates`, which give each pod its own claim (`data-web-0`, `data-web-1`, …).
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   replicas: 3
    ///   template:
    ///     spec:
    ///       volumes:
    ///         - name: data
    ///           persistentVolumeClaim:
    ///             claimName: data
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a claim template gives each replica empty storage of its own, which is right for databases and wrong for data the replicas must share.
    pub CC406 {
        name: "shared-rwo-claim",
        severity: Warning,
        fix: None,
        summary: "Several replicas mount one standalone ReadWriteOnce claim",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds PersistentVolumeClaims that no pod template in the input refers to through `persistentVolumeClaim.claimName`, and says so loudly when the claim is named like a StatefulSet's claim template or mount. It only looks when the input holds at least one workload (a Pod, or an object with a pod template): a file of claims alone is meant for pods defined elsewhere.
    ///
    /// ## Why is this bad?
    /// A claim template `data` makes the controller create `data-<sts>-0`, `data-<sts>-1`, …; it never uses a claim called plain `data`. Creating that claim by hand provisions (and bills) a volume nobody mounts, and usually means the template itself is wrong.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// ---
    /// kind: StatefulSet
    /// spec:
    ///   volumeClaimTemplates:
    ///     - metadata:
    ///         name: data
    /// ```
    ///
    /// ## Fix safety
    /// No fix: deleting a claim could delete data.
    pub CC407 {
        name: "standalone-claim-unused",
        severity: Hint,
        fix: None,
        summary: "A PersistentVolumeClaim in the input that no pod uses",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `persistentVolumeClaim.claimName` in the pod templates of the input names a PersistentVolumeClaim of the input in the same namespace, or a claim that a StatefulSet of the input creates from a claim template (`<template>-<statefulset>-<ordinal>`). The finding is a hint, as claims are often created separately; it becomes a warning when a claim of the input has a name close enough to be a typo.
    ///
    /// ## Why is this bad?
    /// A pod whose claim does not exist is not scheduled: it stays `Pending` with `persistentvolumeclaim "…" not found`. A frequent slip in StatefulSets is to refer to a claim template by its own name (`claimName: data`): the controller never creates a claim called `data`, only `data-web-0`, `data-web-1`, …, and the template is used by mounting its name directly, without a pod volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: data
    ///     persistentVolumeClaim:
    ///       claimName: mysql-pv-claim   # the claim in the input is `mysql-pvc-claim`
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub CC408 {
        name: "claim-not-found",
        severity: Hint,
        fix: None,
        summary: "A pod volume's claimName matches no PersistentVolumeClaim in the input",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds standalone PersistentVolumeClaims and claim templates that ask for a particular PersistentVolume, by `spec.volumeName` or by `spec.selector`, but leave `storageClassName` unset.
    ///
    /// ## Why is this bad?
    /// When a claim without `storageClassName` is created, the cluster's default StorageClass is written into it (most managed clusters have one). A claim then binds only to volumes of that class, so it never binds to a statically created PersistentVolume without class (`Cannot bind to requested volume: storageClassName does not match`), and a claim with a selector is not provisioned dynamically either. The claim stays `Pending`. `storageClassName: ""` says explicitly that the claim wants no class.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// spec:
    ///   volumeName: nfs-data
    ///   accessModes: [ReadWriteMany]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    /// Add `storageClassName: ""`, or the class of the PersistentVolume when it has one.
    ///
    /// ## Fix safety
    /// Safe: the claim keeps asking for the same volume. When the named PersistentVolume is in the input the fix writes its class; otherwise it writes `""`, the class of volumes created by hand without one (the usual case for pinned volumes). A claim is not reported when the input shows its volume to be of the input's default class.
    pub CC409 {
        name: "pinned-claim-without-class",
        severity: Warning,
        fix: Safe,
        summary: "A claim with volumeName or selector but no storageClassName",
    }
}

pub const RULES: &[RuleMeta] = &[
    CC401, CC402, CC403, CC404, CC405, CC406, CC407, CC408, CC409,
];

const WORKLOADS: &[&str] = &[
    "StatefulSet",
    "Deployment",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Pod",
];

const RWO: &str = "ReadWriteOnce";
const ROX: &str = "ReadOnlyMany";
const RWX: &str = "ReadWriteMany";
const RWOP: &str = "ReadWriteOncePod";

/// The deprecated annotation that still overrides `storageClassName` on claims and volumes.
const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";
const DEFAULT_CLASS_ANNOTATIONS: &[&str] = &[
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// The pod spec of a workload object.
pub fn pod_spec<'a>(obj: &Object<'a>) -> Option<&'a Node> {
    match obj.kind {
        "Pod" => obj.node.get("spec"),
        "CronJob" => obj
            .node
            .path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if WORKLOADS.contains(&k) => obj.node.path(&["spec", "template", "spec"]),
        _ => None,
    }
}

/// The object-relative pointer of a workload's pod spec (see [`pod_spec`]).
fn pod_spec_pointer(obj: &Object) -> &'static str {
    match obj.kind {
        "Pod" => "/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => "/spec/template/spec",
    }
}

fn same_namespace(a: &Object, b: &Object) -> bool {
    let ns = |o: &Object| o.namespace.unwrap_or("").to_string();
    ns(a).is_empty() || ns(b).is_empty() || ns(a) == ns(b)
}

/// A label or selector value as the API would read it (labels are strings; a YAML number
/// or boolean there is a type error reported elsewhere, compared here by its text).
fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_storage_class(o: &Object) -> bool {
    o.kind == "StorageClass" && o.api_version.starts_with("storage.k8s.io/")
}

fn is_pv(o: &Object) -> bool {
    o.kind == "PersistentVolume" && o.api_version == "v1"
}

fn is_service(o: &Object) -> bool {
    o.kind == "Service" && o.api_version == "v1"
}

/// The storage class a claim or volume asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class<'a> {
    /// No class: the default class is filled in when the claim is created.
    Unset,
    /// `""`: explicitly no class.
    Empty,
    Named(&'a str),
}

/// The class of a PVC, claim template or PV (the beta annotation wins over the field, as in
/// Kubernetes), with the object-relative pointer (below `base`) where it is written.
/// `None` when the value has a type the API rejects anyway.
fn class_of<'a>(node: &'a Node, base: &str) -> Option<(Class<'a>, String)> {
    if let Some(a) = node.path(&["metadata", "annotations", BETA_CLASS_ANNOTATION]) {
        let ptr = format!(
            "{base}/metadata/annotations/{}",
            escape_pointer_segment(BETA_CLASS_ANNOTATION)
        );
        return match a.as_str() {
            Some("") => Some((Class::Empty, ptr)),
            Some(s) => Some((Class::Named(s), ptr)),
            None => None,
        };
    }
    let ptr = format!("{base}/spec/storageClassName");
    match node.path(&["spec", "storageClassName"]) {
        None => Some((Class::Unset, ptr)),
        Some(n) if n.is_null() => Some((Class::Unset, ptr)),
        Some(n) => match n.as_str() {
            Some("") => Some((Class::Empty, ptr)),
            Some(s) => Some((Class::Named(s), ptr)),
            None => None,
        },
    }
}

/// A claim: a standalone PersistentVolumeClaim or a StatefulSet's claim template.
struct Claim<'o, 'a> {
    obj: &'o Object<'a>,
    /// Object-relative pointer of the claim: "" for a PVC, `/spec/volumeClaimTemplates/<i>`.
    base: String,
    node: &'a Node,
    /// How messages name it.
    label: String,
}

impl<'a> Claim<'_, 'a> {
    fn spec(&self) -> Option<&'a Node> {
        self.node.get("spec")
    }
    fn ptr(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }
    fn volume_mode(&self) -> &'a str {
        self.node
            .str_at(&["spec", "volumeMode"])
            .unwrap_or("Filesystem")
    }
    /// The access modes that are strings, with their index.
    fn access_modes(&self) -> Vec<(usize, &'a str)> {
        self.node
            .path(&["spec", "accessModes"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.as_str().map(|s| (i, s)))
            .collect()
    }
}

fn claims<'o, 'a>(bundle: &'o Bundle<'a>) -> Vec<Claim<'o, 'a>> {
    let mut out = Vec::new();
    for obj in &bundle.objects {
        if obj.is_pvc() {
            out.push(Claim {
                obj,
                base: String::new(),
                node: obj.node,
                label: format!(
                    "PersistentVolumeClaim `{}`",
                    obj.name.unwrap_or("<unnamed>")
                ),
            });
        } else if obj.is_statefulset() {
            for (i, tpl) in claim_templates(obj.node) {
                if tpl.as_map().is_none() {
                    continue;
                }
                let label = match template_name(tpl) {
                    Some(n) => format!("claim template `{n}`"),
                    None => format!("claim template {i}"),
                };
                out.push(Claim {
                    obj,
                    base: format!("/spec/volumeClaimTemplates/{i}"),
                    node: tpl,
                    label,
                });
            }
        }
    }
    out
}

/// The StorageClass that the cluster would fill in, as far as the input tells: the input's
/// only StorageClass marked as default.
fn default_class<'o, 'a>(classes: &[&'o Object<'a>]) -> Option<&'o Object<'a>> {
    let defaults: Vec<&&Object> = classes
        .iter()
        .filter(|c| {
            DEFAULT_CLASS_ANNOTATIONS.iter().any(|a| {
                c.node
                    .path(&["metadata", "annotations", a])
                    .and_then(Node::as_str)
                    == Some("true")
            })
        })
        .collect();
    match defaults.as_slice() {
        [only] => Some(**only),
        _ => None,
    }
}

pub fn check(ctx: &mut Ctx, bundle: &Bundle) {
    check_services(ctx, bundle);
    check_storage_classes(ctx, bundle);
    check_pod_claims(ctx, bundle);
    check_pinned_claims(ctx, bundle);
    check_unused_claims(ctx, bundle);
}

/// CC401, CC402, CC403: the governing Service of each StatefulSet.
fn check_services(ctx: &mut Ctx, bundle: &Bundle) {
    let services: Vec<&Object> = bundle.objects.iter().filter(|o| is_service(o)).collect();
    // Services that govern StatefulSets, each with the StatefulSets it governs.
    let mut governed: Vec<(&Object, Vec<&Object>)> = Vec::new();
    for sts in bundle.objects.iter().filter(|o| o.is_statefulset()) {
        let Some(svc) = sts.node.str_at(&["spec", "serviceName"]) else {
            continue;
        };
        if svc.is_empty() {
            continue;
        }
        if let Some(s) = services
            .iter()
            .find(|s| s.name == Some(svc) && same_namespace(s, sts))
        {
            match governed.iter_mut().find(|(g, _)| std::ptr::eq(*g, *s)) {
                Some((_, list)) => list.push(sts),
                None => governed.push((s, vec![sts])),
            }
            continue;
        }
        let message = if services.is_empty() {
            format!("serviceName `{svc}` names a Service that is not in this input (it holds no Service at all); the pods get stable DNS names only if a headless Service `{svc}` exists")
        } else {
            let names: Vec<&str> = services.iter().filter_map(|s| s.name).collect();
            let mut m = format!(
                "serviceName `{svc}` names no Service in this input (it has {}): without the governing headless Service the pods get no stable DNS names",
                quoted(&names)
            );
            if let Some(g) = names::did_you_mean(svc, names.iter().copied()) {
                m.push_str(&format!("; did you mean `{g}`?"));
            }
            m
        };
        let sev = if services.is_empty() {
            Severity::Hint
        } else {
            Severity::Warning
        };
        ctx.report_as(sts, &CC401, sev, "/spec/serviceName", message, None);
    }
    for (svc, sets) in &governed {
        check_headless(ctx, svc, sets);
        for sts in sets {
            check_selector(ctx, svc, sts);
        }
    }
}

fn sts_list(sets: &[&Object]) -> String {
    let names: Vec<String> = sets
        .iter()
        .map(|s| format!("`{}`", s.name.unwrap_or("<unnamed>")))
        .collect();
    if names.len() == 1 {
        format!("StatefulSet {}", names.join(""))
    } else {
        format!("StatefulSets {}", names.join(", "))
    }
}

/// CC402: the governing Service must be headless.
fn check_headless(ctx: &mut Ctx, svc: &Object, sets: &[&Object]) {
    let name = svc.name.unwrap_or("<unnamed>");
    let spec = svc.node.get("spec");
    let ty = spec
        .and_then(|s| s.str_at(&["type"]))
        .unwrap_or("ClusterIP");
    let ip_node = spec
        .and_then(|s| s.get("clusterIP"))
        .filter(|n| !n.is_null());
    let ip = ip_node.and_then(Node::as_str);
    if ip == Some("None") && ty == "ClusterIP" {
        return;
    }
    let who = sts_list(sets);
    let recreate = "A Service's cluster IP cannot be changed in place (the API server answers `field is immutable`): delete the Service and create it again";
    let (message, rel) = match ty {
        "ExternalName" => (
            format!("Service `{name}` governs {who} but is of type ExternalName: it is a DNS alias, not a headless Service, so the pods get no per-pod DNS names. Point serviceName at a headless Service (`clusterIP: None`) instead"),
            "/spec/type",
        ),
        "NodePort" | "LoadBalancer" => (
            format!("Service `{name}` governs {who} but is of type {ty}, which cannot be headless: the pods get no per-pod DNS names (`<pod>.{name}`). Keep this Service for outside access under another name and add a headless Service (`clusterIP: None`) for the StatefulSet"),
            "/spec/type",
        ),
        _ => {
            let what = match ip {
                None => "has no `clusterIP: None`".to_string(),
                Some("") => "has an empty `clusterIP`".to_string(),
                Some(s) if s.eq_ignore_ascii_case("none") => format!(
                    "has `clusterIP: {s}`, but only `None` (with a capital N) makes a Service headless"
                ),
                Some(s) => format!("has the cluster IP `{s}`"),
            };
            (
                format!("Service `{name}` governs {who} but is not headless: it {what}, so its DNS name resolves to one load-balanced IP and the pods get no per-pod DNS names (`<pod>.{name}`). Set `clusterIP: None`. {recreate}"),
                "/spec/clusterIP",
            )
        }
    };
    let fix_ = if rel == "/spec/clusterIP" && spec.and_then(|s| s.get("clusterIPs")).is_none() {
        spec.and_then(|s| headless_fix(svc, s))
    } else {
        None
    };
    // Per-pod names matter for peers finding each other; a single replica has no peers.
    let single = sets.iter().all(|s| {
        s.node
            .path(&["spec", "replicas"])
            .and_then(Node::as_i64)
            .unwrap_or(1)
            <= 1
    });
    if single {
        let message = format!("{message}. (With a single replica this only matters to software that resolves its own per-pod name.)");
        ctx.report_as(svc, &CC402, Severity::Hint, rel, message, fix_);
    } else {
        ctx.report(svc, &CC402, rel, message, fix_);
    }
}

fn headless_fix(svc: &Object, spec: &Node) -> Option<Fix> {
    let path = svc.ptr("/spec/clusterIP");
    let value = serde_json::Value::String("None".into());
    let (edit, op) = match spec.get("clusterIP") {
        Some(n) => (
            fix::replace_string(svc.text, n, "None")?,
            PatchOp::Replace { path, value },
        ),
        None => (
            fix::add_entry(
                svc.text,
                spec,
                "clusterIP",
                if fix::is_json_style(svc.text, spec) {
                    "\"None\""
                } else {
                    "None"
                },
            )?,
            PatchOp::Add { path, value },
        ),
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: "Make the Service headless (`clusterIP: None`; a live Service must be recreated)"
            .into(),
        edits: vec![edit],
        patch: vec![op],
    })
}

/// CC403: the governing Service must select the StatefulSet's pods.
fn check_selector(ctx: &mut Ctx, svc: &Object, sts: &Object) {
    let name = svc.name.unwrap_or("<unnamed>");
    let sts_name = sts.name.unwrap_or("<unnamed>");
    if svc.node.str_at(&["spec", "type"]) == Some("ExternalName") {
        return; // an alias has no selector by design; CC402 explains it
    }
    let selector = svc
        .node
        .path(&["spec", "selector"])
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    if selector.is_empty() {
        let message = format!("Service `{name}` governs StatefulSet `{sts_name}` but has no selector: it gets no endpoints from the pods, so they get no per-pod DNS names. Select the pod template's labels");
        ctx.report(svc, &CC403, "/spec/selector", message, None);
        return;
    }
    let labels = sts
        .node
        .path(&["spec", "template", "metadata", "labels"])
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    let mut misses: Vec<(String, String)> = Vec::new();
    for e in selector {
        let want = scalar_text(&e.value).unwrap_or_default();
        let have = labels
            .iter()
            .rev()
            .find(|l| l.key == e.key)
            .and_then(|l| scalar_text(&l.value));
        let why = match have {
            Some(h) if h == want => continue,
            Some(h) => format!("`{}: {want}` (the pods have `{}: {h}`)", e.key, e.key),
            None => format!("`{}: {want}` (the pods have no `{}` label)", e.key, e.key),
        };
        misses.push((e.key.clone(), why));
    }
    if misses.is_empty() {
        return;
    }
    let rel = match misses.as_slice() {
        [(key, _)] => format!("/spec/selector/{}", escape_pointer_segment(key)),
        _ => "/spec/selector".to_string(),
    };
    let whys: Vec<String> = misses.into_iter().map(|(_, w)| w).collect();
    let message = format!(
        "Service `{name}` governs StatefulSet `{sts_name}` but does not select its pods: it asks for {}. The pods get no endpoints in the Service and no per-pod DNS names",
        whys.join(" and ")
    );
    ctx.report(svc, &CC403, &rel, message, None);
}

/// CC404 and CC405: the StorageClass of each claim.
fn check_storage_classes(ctx: &mut Ctx, bundle: &Bundle) {
    let classes: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| is_storage_class(o))
        .collect();
    let class_names: Vec<&str> = classes.iter().filter_map(|c| c.name).collect();
    let pv_classes: Vec<&str> = bundle
        .objects
        .iter()
        .filter(|o| is_pv(o))
        .filter_map(|pv| match class_of(pv.node, "") {
            Some((Class::Named(c), _)) => Some(c),
            _ => None,
        })
        .collect();
    let default = default_class(&classes);
    for claim in claims(bundle) {
        let Some((class, class_ptr)) = class_of(claim.node, &claim.base) else {
            continue;
        };
        let storage_class = match class {
            Class::Empty => continue,
            Class::Unset => match default {
                Some(d) => d,
                None => continue,
            },
            Class::Named(name) => {
                if let Some(c) = classes.iter().find(|c| c.name == Some(name)) {
                    c
                } else {
                    class_not_found(ctx, &claim, name, &class_ptr, &class_names, &pv_classes);
                    continue;
                }
            }
        };
        check_access_modes(ctx, &claim, class, storage_class);
    }
}

fn class_not_found(
    ctx: &mut Ctx,
    claim: &Claim,
    name: &str,
    class_ptr: &str,
    class_names: &[&str],
    pv_classes: &[&str],
) {
    if pv_classes.contains(&name) {
        return; // static provisioning: volumes of that class exist in the input
    }
    let pinned = claim
        .spec()
        .is_some_and(|s| s.get("volumeName").is_some_and(|v| !v.is_null()))
        || claim
            .spec()
            .is_some_and(|s| s.get("selector").is_some_and(|v| !v.is_null()));
    if pinned {
        return; // binds to a given volume; the class only has to match the volume's
    }
    if class_names.is_empty() {
        // The input says nothing about the cluster's classes: nothing to compare with.
        return;
    }
    let builtin = BUILTIN_CLASSES.contains(&name);
    let (message, sev) = if builtin {
        let why = "a class that many clusters install themselves";
        (
            format!("{} asks for StorageClass `{name}`, which is not in this input ({why}): unless the cluster has it (`kubectl get storageclass`), the claim stays Pending", claim.label),
            Severity::Hint,
        )
    } else {
        let mut m = format!(
            "{} asks for StorageClass `{name}`, but this input defines only {}: unless the cluster has `{name}` as well, the claim is never provisioned and stays Pending",
            claim.label,
            quoted(class_names)
        );
        if let Some(g) = names::did_you_mean(name, class_names.iter().copied()) {
            m.push_str(&format!("; did you mean `{g}`?"));
        }
        (m, Severity::Warning)
    };
    ctx.report_as(claim.obj, &CC404, sev, class_ptr, message, None);
}

/// Classes that clusters commonly come with, so that naming one without defining it is only
/// a hint: GKE (`standard`, `standard-rwo`, `premium-rwo`, Filestore's `standard-rwx`,
/// `premium-rwx`, `enterprise-rwx`), EKS (`gp2`), AKS (`default`, `managed`, `managed-csi`,
/// `managed-premium`, `managed-csi-premium`, `azurefile`, `azurefile-csi`, `azurefile-premium`,
/// `azurefile-csi-premium`), kind and minikube (`standard`), k3s (`local-path`), Docker Desktop
/// (`hostpath`). From the providers' documentation of their preinstalled classes.
const BUILTIN_CLASSES: &[&str] = &[
    "standard",
    "standard-rwo",
    "premium-rwo",
    "standard-rwx",
    "premium-rwx",
    "enterprise-rwx",
    "gp2",
    "default",
    "managed",
    "managed-csi",
    "managed-premium",
    "managed-csi-premium",
    "azurefile",
    "azurefile-csi",
    "azurefile-premium",
    "azurefile-csi-premium",
    "local-path",
    "hostpath",
];

/// What a provisioner cannot do, from its vendor's documentation.
struct Provisioner {
    /// Exact provisioner names.
    names: &'static [&'static str],
    /// A name suffix that also identifies it (Rook prefixes the operator's namespace).
    suffix: Option<&'static str>,
    product: &'static str,
    /// Access modes it cannot provide for `volumeMode: Filesystem`.
    no_filesystem: &'static [&'static str],
    /// Access modes it cannot provide for `volumeMode: Block`.
    no_block: &'static [&'static str],
    /// Why, in a few words, for the message.
    why: &'static str,
}

/// Access-mode capabilities of common provisioners. Only modes that the documentation says
/// are unsupported are listed; where in doubt a mode is left out (no finding rather than a
/// wrong one). `ReadWriteOnce` is supported by all of them; `ReadWriteOncePod` by every CSI
/// driver (Kubernetes enforces it), so it is never listed.
const PROVISIONERS: &[Provisioner] = &[
    // AWS EBS CSI driver docs (README, "Multi-Attach" page): a volume attaches to one
    // instance; io2 Multi-Attach (several nodes, ReadWriteMany) only with volumeMode Block.
    // The in-tree plugin is migrated to the same driver (Kubernetes docs' access-mode table
    // lists AWSElasticBlockStore as ReadWriteOnce only).
    Provisioner {
        names: &["ebs.csi.aws.com", "kubernetes.io/aws-ebs"],
        suffix: None,
        product: "Amazon EBS",
        no_filesystem: &[ROX, RWX],
        no_block: &[],
        why: "an EBS volume attaches to one node at a time; only io2 volumes in Block mode can be attached to several (Multi-Attach)",
    },
    // Azure Disk CSI driver docs ("shared disk"): several nodes only with maxShares > 1 and
    // volumeMode Block. Kubernetes docs' table: AzureDisk ReadWriteOnce only.
    Provisioner {
        names: &["disk.csi.azure.com", "kubernetes.io/azure-disk"],
        suffix: None,
        product: "Azure Disk",
        no_filesystem: &[ROX, RWX],
        no_block: &[],
        why: "an Azure managed disk attaches to one node; shared disks (maxShares) span nodes only in Block mode",
    },
    // GKE docs (persistent volumes, access modes) and the Kubernetes docs' table
    // (GCEPersistentDisk: ReadWriteOnce, ReadOnlyMany): no read-write sharing across nodes.
    // Block-mode multi-writer exists in the driver as an experimental option, so Block is
    // not judged.
    Provisioner {
        names: &["pd.csi.storage.gke.io", "kubernetes.io/gce-pd"],
        suffix: None,
        product: "Compute Engine persistent disk",
        no_filesystem: &[RWX],
        no_block: &[],
        why: "a persistent disk can be attached read-write to one node only (ReadOnlyMany works; for shared read-write data use Filestore)",
    },
    // ceph-csi docs (RBD: "multi-node access modes are supported only for Block volumes");
    // Rook names the driver `<operator namespace>.rbd.csi.ceph.com`. Kubernetes docs' table:
    // RBD ReadWriteOnce, ReadOnlyMany.
    Provisioner {
        names: &["rbd.csi.ceph.com", "kubernetes.io/rbd"],
        suffix: Some(".rbd.csi.ceph.com"),
        product: "Ceph RBD",
        no_filesystem: &[RWX],
        no_block: &[],
        why: "an RBD image can be written from several nodes only as a raw block device (volumeMode: Block); use CephFS for a shared file system",
    },
    // vSphere CSI docs: ReadWriteMany is served by file volumes (vSAN File Service), which
    // are file systems; block volumes (VMDKs) attach to one node.
    Provisioner {
        names: &["csi.vsphere.vmware.com"],
        suffix: None,
        product: "vSphere",
        no_filesystem: &[],
        no_block: &[RWX],
        why: "ReadWriteMany is provided only by file volumes (vSAN File Service), and a Block volume is a disk that attaches to one node",
    },
    // local-path-provisioner README: volumes are directories on one node, ReadWriteOnce
    // (and ReadWriteOncePod); sharing needs its shared-file-system configuration.
    Provisioner {
        names: &["rancher.io/local-path"],
        suffix: None,
        product: "local-path",
        no_filesystem: &[ROX, RWX],
        no_block: &[ROX, RWX],
        why: "it creates a directory on one node's disk, usable from that node only (unless its config.json sets `sharedFileSystemPath`)",
    },
    // OpenEBS Local PV (hostpath and device) docs: node-local volumes, ReadWriteOnce.
    Provisioner {
        names: &["openebs.io/local"],
        suffix: None,
        product: "OpenEBS Local PV",
        no_filesystem: &[ROX, RWX],
        no_block: &[ROX, RWX],
        why: "its volumes live on one node's disk",
    },
    // Shared file systems: every access mode. Listed so that the table says what is known.
    // AWS EFS CSI driver docs; Azure Files CSI driver docs (and Kubernetes docs' table,
    // AzureFile); GKE Filestore CSI docs; ceph-csi CephFS docs; csi-driver-nfs docs; Longhorn
    // docs (ReadWriteMany through the share manager's NFS export); Portworx docs (sharedv4).
    Provisioner {
        names: &[
            "efs.csi.aws.com",
            "file.csi.azure.com",
            "kubernetes.io/azure-file",
            "filestore.csi.storage.gke.io",
            "cephfs.csi.ceph.com",
            "nfs.csi.k8s.io",
            "driver.longhorn.io",
            "pxd.portworx.com",
            "kubernetes.io/portworx-volume",
        ],
        suffix: Some(".cephfs.csi.ceph.com"),
        product: "a shared file system",
        no_filesystem: &[],
        no_block: &[],
        why: "",
    },
];

fn provisioner(name: &str) -> Option<&'static Provisioner> {
    PROVISIONERS.iter().find(|p| {
        p.names.contains(&name)
            || p.suffix
                .is_some_and(|s| name.ends_with(s) && name.len() > s.len())
    })
}

/// CC405: modes the class's provisioner cannot serve.
fn check_access_modes(ctx: &mut Ctx, claim: &Claim, class: Class, sc: &Object) {
    let Some(prov_name) = sc.node.str_at(&["provisioner"]) else {
        return;
    };
    let Some(prov) = provisioner(prov_name) else {
        return;
    };
    let mode = claim.volume_mode();
    let unsupported = if mode == "Block" {
        prov.no_block
    } else {
        prov.no_filesystem
    };
    let sc_name = sc.name.unwrap_or("<unnamed>");
    let via = match class {
        Class::Unset => format!("the default StorageClass `{sc_name}` (it names no class)"),
        _ => format!("StorageClass `{sc_name}`"),
    };
    for (i, m) in claim.access_modes() {
        if !unsupported.contains(&m) {
            continue;
        }
        let message = format!(
            "{} asks for {m} ({mode} volume) from {via}, whose provisioner `{prov_name}` ({}) cannot provide it: {}. Provisioning fails and the claim stays Pending",
            claim.label, prov.product, prov.why
        );
        ctx.report(
            claim.obj,
            &CC405,
            &claim.ptr(&format!("/spec/accessModes/{i}")),
            message,
            None,
        );
    }
}

/// How many pods a workload runs at once, when that is more than one, described for messages.
fn many_pods(obj: &Object) -> Option<String> {
    let count = |n: Option<&Node>| n.and_then(Node::as_i64).unwrap_or(1);
    match obj.kind {
        "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController" => {
            let r = count(obj.node.path(&["spec", "replicas"]));
            (r > 1).then(|| format!("its {r} replicas"))
        }
        "DaemonSet" => Some("the pods it runs on every node".into()),
        "Job" => {
            let p = count(obj.node.path(&["spec", "parallelism"]));
            (p > 1).then(|| format!("its {p} parallel pods"))
        }
        "CronJob" => {
            let p = count(
                obj.node
                    .path(&["spec", "jobTemplate", "spec", "parallelism"]),
            );
            (p > 1).then(|| format!("its {p} parallel pods"))
        }
        _ => None,
    }
}

/// Whether `claim` is a name the controller gives to a claim made from a template of a
/// StatefulSet in the input: `<template>-<statefulset>-<ordinal>`.
fn generated_claim(bundle: &Bundle, user: &Object, claim: &str) -> bool {
    bundle
        .objects
        .iter()
        .filter(|o| o.is_statefulset() && same_namespace(o, user))
        .any(|sts| {
            let Some(sts_name) = sts.name else {
                return false;
            };
            claim_templates(sts.node)
                .iter()
                .filter_map(|(_, t)| template_name(t))
                .any(|t| {
                    claim
                        .strip_prefix(t)
                        .and_then(|r| r.strip_prefix('-'))
                        .and_then(|r| r.strip_prefix(sts_name))
                        .and_then(|r| r.strip_prefix('-'))
                        .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
                })
        })
}

/// CC406 and CC408: the claims that pod templates use by name.
fn check_pod_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let pvcs: Vec<&Object> = bundle.objects.iter().filter(|o| o.is_pvc()).collect();
    for obj in &bundle.objects {
        let Some(spec) = pod_spec(obj) else { continue };
        let base = pod_spec_pointer(obj);
        for (k, v) in spec
            .get("volumes")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let Some(claim_name) = v.str_at(&["persistentVolumeClaim", "claimName"]) else {
                continue;
            };
            if claim_name.is_empty() {
                continue;
            }
            let rel = format!("{base}/volumes/{k}/persistentVolumeClaim/claimName");
            let volume = v.str_at(&["name"]).unwrap_or("");
            if obj.is_statefulset()
                && claim_templates(obj.node)
                    .iter()
                    .any(|(_, t)| template_name(t) == Some(volume))
            {
                // the controller replaces a pod volume named like a claim template with the
                // template's claim (CC304 explains it): this claimName is never used
                continue;
            }
            let found = pvcs
                .iter()
                .find(|p| p.name == Some(claim_name) && same_namespace(p, obj));
            match found {
                Some(pvc) => shared_claim(ctx, obj, pvc, &rel, volume, claim_name),
                None => {
                    if !generated_claim(bundle, obj, claim_name) {
                        claim_not_found(ctx, obj, &pvcs, &rel, volume, claim_name);
                    }
                }
            }
        }
    }
}

fn shared_claim(
    ctx: &mut Ctx,
    obj: &Object,
    pvc: &Object,
    rel: &str,
    volume: &str,
    claim_name: &str,
) {
    let Some(pods) = many_pods(obj) else {
        return;
    };
    let modes: Vec<&str> = pvc
        .node
        .path(&["spec", "accessModes"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect();
    if modes.is_empty() || modes.iter().any(|m| *m != RWO && *m != RWOP) {
        return;
    }
    let what = format!(
        "{} `{}` shares claim `{claim_name}` (pod volume `{volume}`) among {pods}",
        obj.kind,
        obj.name.unwrap_or("<unnamed>")
    );
    let advice = match obj.kind {
        "StatefulSet" => "To give each replica its own volume, move the claim's spec into `volumeClaimTemplates` and drop this pod volume; for data the replicas must share, use a ReadWriteMany class",
        "DaemonSet" => "Use a ReadWriteMany class for shared data, or node-local storage (a hostPath or generic ephemeral volume) for a per-node cache",
        "Job" | "CronJob" => "Run the pods one at a time (`parallelism: 1`) or use a ReadWriteMany class",
        _ => "Run one replica, use a ReadWriteMany class, or use a StatefulSet with a claim template per replica",
    };
    if modes.contains(&RWOP) {
        let message = format!("{what}, but the claim is ReadWriteOncePod: only one pod in the cluster may use it, so the other pods are never scheduled and stay Pending. {advice}");
        ctx.report_as(obj, &CC406, Severity::Error, rel, message, None);
    } else {
        let message = format!("{what}, but the claim is ReadWriteOnce: its volume attaches to one node, so pods scheduled on other nodes hang in ContainerCreating with Multi-Attach errors. {advice}");
        ctx.report(obj, &CC406, rel, message, None);
    }
}

fn claim_not_found(
    ctx: &mut Ctx,
    obj: &Object,
    pvcs: &[&Object],
    rel: &str,
    volume: &str,
    claim_name: &str,
) {
    let mut message = format!(
        "claimName `{claim_name}` names no PersistentVolumeClaim in this input: unless the claim exists in the cluster, the pod is never scheduled and stays Pending"
    );
    let mut severity = Severity::Hint;
    let candidates: Vec<&str> = pvcs
        .iter()
        .filter(|p| same_namespace(p, obj))
        .filter_map(|p| p.name)
        .collect();
    if let Some(g) = names::did_you_mean(claim_name, candidates.iter().copied()) {
        message.push_str(&format!("; did you mean `{g}`?"));
        severity = Severity::Warning;
    }
    if obj.is_statefulset() {
        let sts_name = obj.name.unwrap_or("<name>");
        let is_template = claim_templates(obj.node)
            .iter()
            .any(|(_, t)| template_name(t) == Some(claim_name));
        if is_template {
            let instead = if volume == claim_name || volume.is_empty() {
                String::new()
            } else {
                format!(" instead of `{volume}`")
            };
            message.push_str(&format!(
                ". `{claim_name}` is a claim template of this StatefulSet: the controller creates the claims `{claim_name}-{sts_name}-0`, `{claim_name}-{sts_name}-1`, … and never `{claim_name}`; remove this pod volume and mount `{claim_name}`{instead}, which gives each replica its own claim"
            ));
            severity = Severity::Warning;
        }
    }
    ctx.report_as(obj, &CC408, severity, rel, message, None);
}

/// CC409: claims pinned to a volume must not get the default class.
fn check_pinned_claims(ctx: &mut Ctx, bundle: &Bundle) {
    let classes: Vec<&Object> = bundle
        .objects
        .iter()
        .filter(|o| is_storage_class(o))
        .collect();
    let default = default_class(&classes).and_then(|c| c.name);
    for claim in claims(bundle) {
        let Some(spec) = claim.spec().filter(|s| s.as_map().is_some()) else {
            continue;
        };
        if !matches!(class_of(claim.node, &claim.base), Some((Class::Unset, _))) {
            continue;
        }
        let volume_name = spec
            .get("volumeName")
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty());
        let selector = spec.get("selector").filter(|s| s.as_map().is_some());
        if volume_name.is_none() && selector.is_none() {
            continue;
        }
        let pv = volume_name.and_then(|v| {
            bundle
                .objects
                .iter()
                .find(|o| is_pv(o) && o.name == Some(v))
        });
        let pv_class = pv.and_then(|p| class_of(p.node, "")).map(|(c, _)| c);
        let wanted = match pv_class {
            Some(Class::Named(c)) => {
                if default == Some(c) {
                    continue; // the default class is the volume's class: it binds
                }
                c
            }
            _ => "",
        };
        let pinned = match (volume_name, selector) {
            (Some(v), _) => format!("names the PersistentVolume `{v}`"),
            (None, _) => "selects PersistentVolumes by label".to_string(),
        };
        let mut message = format!(
            "{} {pinned} but sets no storageClassName: the cluster's default StorageClass (most clusters have one) is written into the claim when it is created, and the claim then binds only to volumes of that class",
            claim.label
        );
        match (pv, wanted) {
            (Some(_), "") => message.push_str(&format!(
                ", never to `{}`, which has no class. Set `storageClassName: \"\"`",
                volume_name.unwrap_or("")
            )),
            (Some(_), c) => message.push_str(&format!(
                ", not to `{}`, which is of class `{c}`. Set `storageClassName: {c}`",
                volume_name.unwrap_or("")
            )),
            (None, _) if volume_name.is_some() => message.push_str(
                ": unless the volume is of the default class, the claim stays Pending. Set `storageClassName: \"\"` for a volume without class, or the volume's class",
            ),
            (None, _) => message.push_str(
                "; a claim with a selector is never provisioned dynamically, so unless matching volumes of the default class exist it stays Pending. Set `storageClassName: \"\"` for volumes without class, or the volumes' class",
            ),
        }
        let rel = claim.ptr("/spec/storageClassName");
        let fix_ = class_fix(claim.obj, spec, &rel, wanted);
        ctx.report(claim.obj, &CC409, &rel, message, fix_);
    }
}

fn class_fix(obj: &Object, spec: &Node, rel: &str, class: &str) -> Option<Fix> {
    let path = obj.ptr(rel);
    let value = serde_json::Value::String(class.to_string());
    let (edit, op) = match spec.get("storageClassName") {
        Some(n) => (
            fix::replace_string(obj.text, n, class)?,
            PatchOp::Replace { path, value },
        ),
        None => {
            let text = if fix::is_json_style(obj.text, spec) {
                fix::json_string(class)
            } else {
                fix::yaml_string(class)
            };
            (
                fix::add_entry(obj.text, spec, "storageClassName", &text)?,
                PatchOp::Add { path, value },
            )
        }
    };
    let title = if class.is_empty() {
        "Set `storageClassName: \"\"` so that no default class is filled in".to_string()
    } else {
        format!("Set `storageClassName: {class}`, the class of the volume")
    };
    Some(Fix {
        applicability: Applicability::Safe,
        title,
        edits: vec![edit],
        patch: vec![op],
    })
}

/// CC407: standalone claims that nothing uses.
fn check_unused_claims(ctx: &mut Ctx, bundle: &Bundle) {
    // claims used by pods
    let mut used: Vec<(&Object, &str)> = Vec::new();
    for o in &bundle.objects {
        let Some(spec) = pod_spec(o) else { continue };
        for v in spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(c) = v.str_at(&["persistentVolumeClaim", "claimName"]) {
                used.push((o, c));
            }
        }
    }
    if !bundle.objects.iter().any(|o| pod_spec(o).is_some()) {
        // No workload in the input: the claim is for pods defined elsewhere.
        return;
    }
    for pvc in bundle.objects.iter().filter(|o| o.is_pvc()) {
        let Some(name) = pvc.name else { continue };
        if used
            .iter()
            .any(|(o, c)| *c == name && same_namespace(o, pvc))
        {
            continue;
        }
        let mut message =
            format!("PersistentVolumeClaim `{name}` is not used by any pod in this input");
        for sts in bundle
            .objects
            .iter()
            .filter(|o| o.is_statefulset() && same_namespace(o, pvc))
        {
            let sts_name = sts.name.unwrap_or("<name>");
            let is_template = claim_templates(sts.node)
                .iter()
                .any(|(_, t)| template_name(t) == Some(name));
            let mounted = crate::model::volumes::unmatched_mounts(
                sts.node,
                &crate::model::volumes::volume_names(sts.node),
            )
            .iter()
            .any(|u| u.name == name);
            if is_template {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` has a claim template `{name}`, from which the controller creates `{name}-{sts_name}-0`, `{name}-{sts_name}-1`, …, never `{name}` itself"
                ));
                break;
            } else if mounted {
                message.push_str(&format!(
                    ": StatefulSet `{sts_name}` mounts `{name}`, but a mount names a pod volume or a claim template, not a PVC; to give each replica its own volume make `{name}` a claim template (its spec belongs in `volumeClaimTemplates`)"
                ));
                break;
            }
        }
        ctx.report(pvc, &CC407, "/metadata/name", message, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{lint_text, Options};

    fn codes(text: &str) -> Vec<(String, String, Severity)> {
        lint_text("t.yaml", text, &Options::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with("CC4"))
            .map(|d| (d.code.to_string(), d.pointer, d.severity))
            .collect()
    }

    #[test]
    fn provisioner_names_and_rook_prefixes() {
        assert_eq!(
            provisioner("rook-ceph.rbd.csi.ceph.com").map(|p| p.product),
            Some("Ceph RBD")
        );
        assert_eq!(
            provisioner("ceph.cephfs.csi.ceph.com").map(|p| p.product),
            Some("a shared file system")
        );
        // the suffix alone is not a name
        assert!(provisioner(".rbd.csi.ceph.com").is_none());
        assert!(provisioner("example.com/ebs.csi.aws.com").is_none());
        assert_eq!(
            provisioner("kubernetes.io/aws-ebs").map(|p| p.product),
            Some("Amazon EBS")
        );
    }

    #[test]
    fn beta_annotation_wins_over_the_field() {
        let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n  annotations:\n    volume.beta.kubernetes.io/storage-class: \"\"\nspec:\n  storageClassName: fast\n  volumeName: pv\n";
        let root = crate::source::parse_stream(t, &crate::source::Limits::default());
        let node = &root.documents[0].root;
        assert_eq!(
            class_of(node, "").map(|(c, _)| c),
            Some(Class::Empty),
            "annotation decides"
        );
        // pinned with an explicit (annotated) empty class: no CC409
        assert!(codes(t).iter().all(|(c, _, _)| c != "CC409"));
    }

    #[test]
    fn generated_claim_names_count_as_found() {
        let t = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: i, volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: i}]\n  volumes:\n    - {name: a, persistentVolumeClaim: {claimName: data-web-12}}\n    - {name: b, persistentVolumeClaim: {claimName: data-web-x}}\n    - {name: c, persistentVolumeClaim: {claimName: data-web}}\n";
        let found: Vec<String> = codes(t)
            .into_iter()
            .filter(|(c, _, _)| c == "CC408")
            .map(|(_, p, _)| p)
            .collect();
        assert_eq!(
            found,
            vec![
                "/spec/volumes/1/persistentVolumeClaim/claimName".to_string(),
                "/spec/volumes/2/persistentVolumeClaim/claimName".to_string()
            ]
        );
    }

    #[test]
    fn namespaces_separate_services_and_claims() {
        let t = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: b}\nspec:\n  serviceName: web\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: i}]}\n";
        let found = codes(t);
        assert!(found.iter().any(|(c, _, _)| c == "CC401"), "{found:?}");
        assert!(found.iter().all(|(c, _, _)| c != "CC402"), "{found:?}");
    }

    #[test]
    fn user_severity_overrides_the_adjusted_one() {
        let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {accessModes: [ReadWriteOncePod], resources: {requests: {storage: 1Gi}}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: i}]\n      volumes: [{name: v, persistentVolumeClaim: {claimName: x}}]\n";
        let sev = |o: &Options| {
            lint_text("t.yaml", t, o)
                .diagnostics
                .iter()
                .find(|d| d.code == "CC406")
                .map(|d| d.severity)
        };
        assert_eq!(sev(&Options::default()), Some(Severity::Error));
        let mut o = Options::default();
        o.rules.severity.insert("CC406", Severity::Hint);
        assert_eq!(sev(&o), Some(Severity::Hint));
    }
}
