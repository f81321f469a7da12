//! Mounts and volumes (CC3xx): what the containers of a StatefulSet's pod template mount and
//! attach, and the pod volumes and claim templates behind those names — the checks pod
//! validation makes when the controller creates each pod, plus the mistakes it lets through.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::{Applicability, Fix, Severity};
use crate::fix;
use crate::model::names;
use crate::model::volumes::{
    has_backstep, set_field, string_field, unmatched_mounts, volume_issues, volume_names,
    VolumeNames, VOLUME_SOURCES,
};
use crate::model::workload::{
    claim_templates, container_label, containers, template_consequence, template_name,
};
use crate::patch::PatchOp;
use crate::rule::RuleMeta;
use crate::rule::{Bundle, Ctx, Object};
use crate::source::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `volumeMounts[].name` of every container, init container and ephemeral container of a StatefulSet's pod template names a pod volume or a claim template (`volumeClaimTemplates[].metadata.name`). Volumes that pod validation rejects (an invalid name, a configMap without its name, …) do not count, as in Kubernetes.
    ///
    /// ## Why is this bad?
    /// Until Kubernetes 1.34 the API server accepts such a StatefulSet and the controller then fails to create every pod (`spec.containers[0].volumeMounts[0].name: Not found`), visible only as `FailedCreate` events. From 1.34 the StatefulSet itself is rejected. Typical causes: the claim template has no name (a bare PVC spec was passed as the template), the mount uses the generated PVC name (`data-web-0`) or the ConfigMap's name instead of the volume's, or a letter-case slip.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts:
    ///       - name: www-data   # the template is named `www`
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: www
    /// ```
    ///
    /// ## Fix safety
    /// Renaming the mount is unsafe: it is offered when exactly one volume or claim template is not mounted by anything and the name is close, since the author may instead have meant to add a volume.
    pub CC301 {
        name: "volume-mount-not-found",
        severity: Error,
        fix: Unsafe,
        summary: "A volumeMount names no pod volume and no claim template",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that each `volumeDevices[].name` (raw block devices) names a claim template or a pod volume backed by a claim (`persistentVolumeClaim` or `ephemeral`). A device that names nothing, or names an `emptyDir`, `configMap`, `hostPath` or other volume, is reported.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod: `volumeDevices[0].name: Not found`, or `can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode`. Before Kubernetes 1.34 the StatefulSet is accepted and every pod creation fails; from 1.34 the StatefulSet is rejected.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeDevices:
    ///       - name: raw        # no volume or claim template is called `raw`
    ///         devicePath: /dev/xvdb
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: block
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// Renaming the device is unsafe: it is offered only when the name is close to a claim-backed volume that nothing else uses.
    pub CC302 {
        name: "volume-device-not-found",
        severity: Error,
        fix: Unsafe,
        summary: "A volumeDevice names no claim-backed volume",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds two `volumeMounts` of the same container with the same `mountPath`, a `devicePath` used twice, and a path used both as a `mountPath` and a `devicePath`. When two mount paths differ only by a trailing slash (`/data` and `/data/`) it reports a warning instead.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects identical paths (`mountPath: Invalid value: "/data": must be unique`), so the controller cannot create any pod (from Kubernetes 1.34 the StatefulSet itself is rejected). Paths that differ only by a trailing slash pass validation but name the same directory: one volume hides the other, or the container fails to start.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /var/lib/app
    ///   - name: cache
    ///     mountPath: /var/lib/app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which of the two mounts should move is the author's decision.
    pub CC303 {
        name: "duplicate-mount-path",
        severity: Error,
        fix: None,
        summary: "Two mounts of one container share a mountPath",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds pod volumes (`spec.template.spec.volumes`) whose name is also the name of a claim template.
    ///
    /// ## Why is this bad?
    /// When the controller builds a pod it adds one volume per claim template and drops every pod volume of the same name, without a word. Whatever the pod volume says (an `emptyDir`, a ConfigMap, a claim name) is ignored, so a reader of the manifest is misled about what the containers get.
    ///
    /// ## Example
    /// ```yaml
    /// template:
    ///   spec:
    ///     volumes:
    ///       - name: data
    ///         emptyDir: {}     # ignored: the claim template `data` wins
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    /// ```
    ///
    /// ## Fix safety
    /// No fix: remove the pod volume, or rename one of the two and its mounts.
    pub CC304 {
        name: "template-shadows-volume",
        severity: Warning,
        fix: None,
        summary: "A claim template and a pod volume share a name",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds claim templates that no container, init container or ephemeral container uses in `volumeMounts` or `volumeDevices`.
    ///
    /// ## Why is this bad?
    /// The controller still creates one claim per replica from the template, so volumes are provisioned and paid for while no process writes to them. It usually means a mount was forgotten or its name is misspelt (see CC301).
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts:
    ///       - name: data
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: data
    ///   - metadata:
    ///       name: logs    # nothing mounts `logs`
    /// ```
    ///
    /// ## Fix safety
    /// No fix: mount the template where it is needed, or delete it.
    pub CC305 {
        name: "template-not-mounted",
        severity: Warning,
        fix: None,
        summary: "No container mounts a claim template",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks `subPath` and `subPathExpr` of every volumeMount: each must be a relative path without a `..` element, and only one of the two may be set.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`subPath: Invalid value: "../etc": must not contain '..'`, `must be a relative path`, `subPathExpr and subPath are mutually exclusive`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. The rule exists because a sub-path must stay inside its volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /etc/app
    ///     subPath: ../config
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which directory of the volume was meant.
    pub CC306 {
        name: "invalid-sub-path",
        severity: Error,
        fix: None,
        summary: "A subPath that is absolute, climbs out with `..`, or is set together with subPathExpr",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds volumeMounts whose `mountPath` is missing or empty and volumeDevices whose `devicePath` is missing or empty. A misspelt key (`mountpath`, `path`) counts as missing, since the API server does not read it.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`volumeMounts[0].mountPath: Required value`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountpath: /data   # the key is `mountPath`
    /// ```
    ///
    /// ## Fix safety
    /// No fix here; CC003 offers the rename of a misspelt key.
    pub CC307 {
        name: "mount-path-missing",
        severity: Error,
        fix: None,
        summary: "A volumeMount without mountPath, or a volumeDevice without devicePath",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Finds pod volumes (`spec.template.spec.volumes`) whose name repeats an earlier volume's name. Volumes named like a claim template are left to CC304, since the controller drops them.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`volumes[1].name: Duplicate value: "cache"`): the controller cannot create any pod, and from Kubernetes 1.34 the StatefulSet itself is rejected. Merged Helm values or Kustomize patches often produce the repeat.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: cache
    ///     emptyDir: {}
    ///   - name: cache
    ///     emptyDir:
    ///       medium: Memory
    /// ```
    ///
    /// ## Fix safety
    /// No fix: keep the one that is meant, or rename one and its mounts.
    pub CC308 {
        name: "volume-name-duplicate",
        severity: Error,
        fix: None,
        summary: "Two pod volumes share a name",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a volume that one container lists both in `volumeMounts` and in `volumeDevices` (an error: pod validation rejects it), and, as a warning, a claim template with `volumeMode: Block` used in `volumeMounts` or a `Filesystem` claim template (the default mode) used in `volumeDevices`.
    ///
    /// ## Why is this bad?
    /// A volume is either a file system mounted at a directory or a raw block device; pod validation refuses a pod that asks for both (`must not already exist in volumeDevices`), so no pod is created. A mode mismatch passes validation, but the kubelet cannot set up the volume and the pod never starts.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: db
    ///     volumeMounts:
    ///       - name: raw          # a Block claim: use volumeDevices
    ///         mountPath: /data
    /// volumeClaimTemplates:
    ///   - metadata:
    ///       name: raw
    ///     spec:
    ///       volumeMode: Block
    /// ```
    ///
    /// ## Fix safety
    /// No fix: moving between `volumeMounts` and `volumeDevices` changes what the application sees.
    pub CC309 {
        name: "block-volume-mounted",
        severity: Error,
        fix: None,
        summary: "A volume mounted and attached as a device at once, or a volume mode that does not fit its use",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks the pod volumes of a StatefulSet's pod template the way pod validation does: a DNS-1123 label as name, at most one volume source, and the required fields of the common sources (`configMap.name`, `secret.secretName`, `persistentVolumeClaim.claimName`, `hostPath.path`, `nfs.server` and an absolute `nfs.path`, `csi.driver`, `ephemeral.volumeClaimTemplate`), relative item paths without `..`, file modes within `0777`, and a non-negative `emptyDir.sizeLimit`.
    ///
    /// ## Why is this bad?
    /// Before Kubernetes 1.34 the API server does not validate a StatefulSet's pod template: it stores the StatefulSet, and the controller then fails to create every pod (`volumes[0].configMap.name: Required value`). From 1.34 the StatefulSet is rejected. A mount of the broken volume also fails (CC301), since Kubernetes drops the volume.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: config
    ///     configMap: {}      # which ConfigMap?
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the missing values are the author's to choose.
    pub CC310 {
        name: "invalid-pod-volume",
        severity: Error,
        fix: None,
        summary: "A pod volume that pod validation rejects",
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks the remaining options of volumeMounts and volumeDevices: `mountPropagation` must be `None`, `HostToContainer` or `Bidirectional` (the last only in a privileged container), `recursiveReadOnly` must be `Disabled`, `Enabled` or `IfPossible` (the last two only with `readOnly: true` and no propagation), a `devicePath` must not contain `..`, and a container must not attach the same volume twice as a device.
    ///
    /// ## Why is this bad?
    /// Pod validation rejects the pod (`mountPropagation: Unsupported value: "Shared"`), so the controller cannot create any pod; from Kubernetes 1.34 the StatefulSet itself is rejected.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: data
    ///     mountPath: /data
    ///     mountPropagation: bidirectional   # `Bidirectional`, and the container must be privileged
    /// ```
    ///
    /// ## Fix safety
    /// Correcting the letter case of a value (`hostToContainer` → `HostToContainer`) is safe: no other value is that close. Nothing else is fixed.
    pub CC311 {
        name: "invalid-volume-mount",
        severity: Error,
        fix: Safe,
        summary: "A volumeMount or volumeDevice option that pod validation rejects",
    }
}

pub const RULES: &[RuleMeta] = &[
    CC301, CC302, CC303, CC304, CC305, CC306, CC307, CC308, CC309, CC310, CC311,
];

/// Names that some container mounts or attaches as a device.
fn used_names(sts: &Node) -> BTreeSet<&str> {
    let mut used = BTreeSet::new();
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (_, c) in containers(pod) {
            for list in ["volumeMounts", "volumeDevices"] {
                for m in c.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(n) = m.str_at(&["name"]) {
                        used.insert(n);
                    }
                }
            }
        }
    }
    used
}

/// volumeDevice names that match no usable volume, with the pointer of each `name`.
fn unmatched_devices<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        for (cptr, c) in containers(pod) {
            for (j, d) in c
                .get("volumeDevices")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let name = d.str_at(&["name"]).unwrap_or("");
                if !name.is_empty() && !vols.usable.contains(name) {
                    out.push((
                        format!("/spec/template/spec{cptr}/volumeDevices/{j}/name"),
                        name,
                    ));
                }
            }
        }
    }
    out
}

/// The volume a name that matches nothing most likely meant: a close spelling, or else the
/// only unused volume when only one name is unmatched.
fn likely_meant<'a>(
    wanted: &str,
    candidates: &[&'a str],
    free: &[&'a str],
    distinct_unmatched: usize,
) -> Option<&'a str> {
    names::did_you_mean(wanted, candidates.iter().copied()).or(
        if free.len() == 1 && distinct_unmatched == 1 {
            free.first().copied()
        } else {
            None
        },
    )
}

/// Names of usable volumes that no container mounts (or attaches as a device).
fn unmounted<'a>(sts: &'a Node, vols: &VolumeNames<'a>) -> Vec<&'a str> {
    let used = used_names(sts);
    vols.usable
        .iter()
        .copied()
        .filter(|n| !used.contains(n))
        .collect()
}

pub fn check(ctx: &mut Ctx, obj: &Object, _bundle: &Bundle) {
    if !obj.is_statefulset() {
        return;
    }
    let sts = obj.node;
    let vols = volume_names(sts);
    let consequence = template_consequence(ctx.options.kubernetes_version, "pod");
    check_unmatched_mounts(ctx, obj, &vols, &consequence);
    check_pod_volumes(ctx, obj, &consequence);
    check_unmounted_templates(ctx, obj, &vols);
    if let Some(pod) = sts.path(&["spec", "template", "spec"]) {
        let free = unmounted(sts, &vols);
        let distinct_devices: BTreeSet<&str> = unmatched_devices(sts, &vols)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        for (cptr, c) in containers(pod) {
            let base = format!("/spec/template/spec{cptr}");
            let who = container_label(c, &cptr);
            let site = Site {
                base: &base,
                who: &who,
                consequence: &consequence,
            };
            check_mounts(ctx, obj, c, &site, &vols);
            check_devices(ctx, obj, c, &site, &vols, &free, distinct_devices.len());
        }
    }
}

/// Where a container's findings go and how messages name it.
struct Site<'s> {
    base: &'s str,
    who: &'s str,
    consequence: &'s str,
}

/// A "; did you mean …" / "; the pod's volumes are …" tail for a name that matched nothing.
fn name_hint(wanted: &str, candidates: &[&str]) -> (String, Option<String>) {
    if let Some(g) = names::did_you_mean(wanted, candidates.iter().copied()) {
        return (format!("; did you mean `{g}`?"), Some(g.to_string()));
    }
    if candidates.is_empty() {
        return (String::new(), None);
    }
    (
        format!(
            "; the pod's volumes are {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None,
    )
}

/// Joins a finding and its consequence into one message.
fn sentence(what: String, consequence: &str) -> String {
    let end = if what.ends_with(['.', '?']) { "" } else { "." };
    format!("{what}{end} {consequence}.")
}

/// CC301: mounts whose name matches no usable volume.
fn check_unmatched_mounts(ctx: &mut Ctx, obj: &Object, vols: &VolumeNames, consequence: &str) {
    let sts = obj.node;
    let unmatched = unmatched_mounts(sts, vols);
    if unmatched.is_empty() {
        return;
    }
    let free = unmounted(sts, vols);
    let distinct: BTreeSet<&str> = unmatched.iter().map(|u| u.name).collect();
    for u in &unmatched {
        let mut message = if u.name.is_empty() {
            let mut m = format!("a volumeMount of {} has no `name`", u.container);
            if let [only] = free.as_slice() {
                m.push_str(&format!(" (the only volume nothing mounts is `{only}`)"));
            }
            m
        } else {
            format!(
                "volumeMount `{}` of {} matches no pod volume and no claim template",
                u.name, u.container
            )
        };
        let mut fix_ = None;
        if let Some(why) = vols.broken.get(u.name) {
            message.push_str(&format!(" ({why})"));
        } else if !vols.unnamed_templates.is_empty() && distinct.len() == 1 {
            let i = vols.unnamed_templates[0];
            message.push_str(&format!(
                " (claim template {i} has no `metadata.name`; naming it `{}` would match)",
                u.name
            ));
        } else if !u.name.is_empty() {
            let candidates: Vec<&str> = vols.usable.iter().copied().collect();
            if let Some(g) = likely_meant(u.name, &candidates, &free, distinct.len()) {
                message.push_str(&format!("; did you mean `{g}`?"));
                if free.contains(&g) {
                    fix_ = rename(obj, u.mount, &u.pointer, u.name, g, "Mount");
                }
            } else {
                message.push_str(&name_hint(u.name, &candidates).0);
            }
        }
        ctx.report(
            obj,
            &CC301,
            &u.pointer,
            sentence(message, consequence),
            fix_,
        );
    }
}

/// CC304, CC308, CC310: the pod volumes themselves.
fn check_pod_volumes(ctx: &mut Ctx, obj: &Object, consequence: &str) {
    let sts = obj.node;
    let Some(vols) = sts
        .path(&["spec", "template", "spec", "volumes"])
        .and_then(Node::as_seq)
    else {
        return;
    };
    let template_names: BTreeSet<&str> = claim_templates(sts)
        .iter()
        .filter_map(|(_, t)| template_name(t))
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, v) in vols.iter().enumerate() {
        let ptr = format!("/spec/template/spec/volumes/{i}");
        let name = v.str_at(&["name"]).unwrap_or("");
        if !name.is_empty() && template_names.contains(name) {
            let what = if let Some(claim) = v
                .str_at(&["persistentVolumeClaim", "claimName"])
                .filter(|c| !c.is_empty())
            {
                format!("the claim `{claim}` it names is never used (each pod gets its own claim `{name}-{}-<ordinal>` from the template)", obj.name.unwrap_or("<name>"))
            } else {
                let source = VOLUME_SOURCES
                    .iter()
                    .find(|k| set_field(v, k).is_some())
                    .unwrap_or(&"emptyDir");
                format!("its `{source}` source is ignored and the mounts get the claim")
            };
            ctx.report(
                obj,
                &CC304,
                &format!("{ptr}/name"),
                format!(
                    "pod volume `{name}` has the name of a claim template, and the controller replaces it with the template's volume: {what}. Remove the pod volume or rename one of the two"
                ),
                None,
            );
            continue; // the controller drops it: pod validation never sees it
        }
        if !name.is_empty() {
            if let Some(first) = seen.get(name) {
                ctx.report(
                    obj,
                    &CC308,
                    &format!("{ptr}/name"),
                    sentence(
                        format!("pod volume `{name}` is defined twice (volumes {first} and {i}); pod validation rejects the repeat"),
                        consequence,
                    ),
                    None,
                );
                continue;
            }
            seen.insert(name, i);
        }
        for issue in volume_issues(v) {
            let label = if name.is_empty() {
                format!("pod volume {i}")
            } else {
                format!("pod volume `{name}`")
            };
            ctx.report(
                obj,
                &CC310,
                &format!("{ptr}{}", issue.rel),
                sentence(format!("{label}: {}", issue.what), consequence),
                None,
            );
        }
    }
}

/// CC305: claim templates nothing uses.
fn check_unmounted_templates(ctx: &mut Ctx, obj: &Object, vols: &VolumeNames) {
    let sts = obj.node;
    let used = used_names(sts);
    // A template that a misspelt mount or device most likely meant is CC301's or CC302's story.
    let free = unmounted(sts, vols);
    let mut explained = BTreeSet::new();
    let mounts: BTreeSet<&str> = unmatched_mounts(sts, vols).iter().map(|u| u.name).collect();
    let usable: Vec<&str> = vols.usable.iter().copied().collect();
    for n in &mounts {
        explained.extend(likely_meant(n, &usable, &free, mounts.len()));
    }
    let devices: BTreeSet<&str> = unmatched_devices(sts, vols)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let claims: Vec<&str> = vols.claim_backed.iter().copied().collect();
    let free_claims: Vec<&str> = free
        .iter()
        .copied()
        .filter(|f| vols.claim_backed.contains(f))
        .collect();
    for n in &devices {
        explained.extend(likely_meant(n, &claims, &free_claims, devices.len()));
    }
    let mut unused: Vec<(&str, usize)> = vols
        .templates
        .iter()
        .filter(|(n, _)| !used.contains(*n) && !explained.contains(*n))
        .map(|(n, (i, _))| (*n, *i))
        .collect();
    unused.sort_by_key(|(_, i)| *i);
    let sts = obj.name.unwrap_or("<name>");
    for (name, i) in unused {
        ctx.report(
            obj,
            &CC305,
            &format!("/spec/volumeClaimTemplates/{i}/metadata/name"),
            format!(
                "no container mounts claim template `{name}`: the controller still creates and binds a claim `{name}-{sts}-<ordinal>` for every replica, which nothing uses. Add a volumeMount named `{name}` where the data belongs, or remove the template"
            ),
            None,
        );
    }
}

/// The mountPath values of a container, by index.
fn paths_of<'a>(items: &'a [Node], key: &str) -> Vec<Option<&'a str>> {
    items
        .iter()
        .map(|m| {
            string_field(m, key)
                .ok()
                .flatten()
                .filter(|p| !p.is_empty())
        })
        .collect()
}

const PROPAGATION: &[&str] = &["None", "HostToContainer", "Bidirectional"];
const RECURSIVE_READ_ONLY: &[&str] = &["Disabled", "Enabled", "IfPossible"];

/// CC303, CC306, CC307, CC309, CC311 for the volumeMounts of one container.
fn check_mounts(ctx: &mut Ctx, obj: &Object, c: &Node, site: &Site, vols: &VolumeNames) {
    let Some(mounts) = c.get("volumeMounts").and_then(Node::as_seq) else {
        return;
    };
    let devices = c.get("volumeDevices").and_then(Node::as_seq).unwrap_or(&[]);
    let device_names: BTreeSet<&str> = devices
        .iter()
        .filter_map(|d| d.str_at(&["name"]))
        .filter(|n| !n.is_empty())
        .collect();
    let device_paths = paths_of(devices, "devicePath");
    let mount_paths = paths_of(mounts, "mountPath");
    let privileged =
        c.path(&["securityContext", "privileged"]).map(|p| &p.value) == Some(&Value::Bool(true));
    let (base, who, consequence) = (site.base, site.who, site.consequence);
    for (j, m) in mounts.iter().enumerate() {
        let at = format!("{base}/volumeMounts/{j}");
        let name = m.str_at(&["name"]).unwrap_or("");
        let label = if name.is_empty() {
            format!("volumeMount {j} of {who}")
        } else {
            format!("volumeMount `{name}` of {who}")
        };
        // CC307
        if matches!(string_field(m, "mountPath"), Ok(None) | Ok(Some(""))) {
            let hint = match m.as_map().and_then(|e| {
                e.iter()
                    .find(|e| e.key != "mountPath" && e.key.eq_ignore_ascii_case("mountPath"))
            }) {
                Some(e) => format!(" (`{}` is not read: the key is `mountPath`)", e.key),
                None => String::new(),
            };
            ctx.report(
                obj,
                &CC307,
                &format!("{at}/mountPath"),
                sentence(
                    format!("{label} has no `mountPath`{hint}; pod validation requires the directory to mount at"),
                    consequence,
                ),
                None,
            );
        }
        // CC303
        if let Some(Some(p)) = mount_paths.get(j) {
            let earlier = mount_paths.get(..j).unwrap_or(&[]);
            if let Some(k) = earlier.iter().position(|q| *q == Some(*p)) {
                ctx.report(
                    obj,
                    &CC303,
                    &format!("{at}/mountPath"),
                    sentence(
                        format!("{label} uses the mountPath `{p}` of volumeMount {k} again; pod validation requires each mountPath of a container to be unique"),
                        consequence,
                    ),
                    None,
                );
            } else if let Some(k) = earlier.iter().position(|q| {
                q.is_some_and(|q| q != *p && q.trim_end_matches('/') == p.trim_end_matches('/'))
            }) {
                let other = earlier.get(k).copied().flatten().unwrap_or("");
                ctx.report_as(obj, &CC303, Severity::Warning, &format!("{at}/mountPath"), format!("{label} mounts at `{p}`, the same directory as volumeMount {k} (`{other}`) apart from the trailing slash: Kubernetes accepts it, but one volume hides the other or the container fails to start"), None);
            }
            if device_paths.contains(&Some(*p)) {
                ctx.report(
                    obj,
                    &CC303,
                    &format!("{at}/mountPath"),
                    sentence(
                        format!("{label} mounts at `{p}`, which {who} also uses as a devicePath"),
                        consequence,
                    ),
                    None,
                );
            }
        }
        // CC309
        if !name.is_empty() && device_names.contains(name) {
            ctx.report(
                obj,
                &CC309,
                &format!("{at}/name"),
                sentence(
                    format!("{who} lists `{name}` both in volumeMounts and in volumeDevices; a volume is either mounted as a file system or attached as a block device, not both"),
                    consequence,
                ),
                None,
            );
        } else if let Some((i, true)) = vols.templates.get(name) {
            ctx.report_as(obj, &CC309, Severity::Warning, &format!("{at}/name"), format!("{label} mounts claim template `{name}` (volumeMode Block, template {i}) as a file system: the kubelet cannot mount a raw block volume, so the pod never starts. Attach it under `volumeDevices` with a `devicePath`, or give the template `volumeMode: Filesystem`"), None);
        }
        // CC306
        check_sub_path(ctx, obj, m, &at, &label, consequence);
        // CC311
        check_mount_options(ctx, obj, m, &at, &label, privileged, consequence);
    }
}

fn check_sub_path(ctx: &mut Ctx, obj: &Object, m: &Node, at: &str, label: &str, cons: &str) {
    let sub = string_field(m, "subPath").ok().flatten().unwrap_or("");
    let expr = string_field(m, "subPathExpr").ok().flatten().unwrap_or("");
    for (key, value) in [("subPath", sub), ("subPathExpr", expr)] {
        if value.is_empty() {
            continue;
        }
        let mut faults = Vec::new();
        if value.starts_with('/') {
            faults.push("is absolute (it must be relative to the volume's root)");
        }
        if has_backstep(value) {
            faults.push("contains `..` (it must stay inside the volume)");
        }
        if !faults.is_empty() {
            ctx.report(
                obj,
                &CC306,
                &format!("{at}/{key}"),
                sentence(
                    format!("the {key} `{value}` of {label} {}", faults.join(" and ")),
                    cons,
                ),
                None,
            );
        }
    }
    if !sub.is_empty() && !expr.is_empty() {
        ctx.report(
            obj,
            &CC306,
            &format!("{at}/subPathExpr"),
            sentence(
                format!("{label} sets both `subPath` and `subPathExpr`; they are mutually exclusive, keep one"),
                cons,
            ),
            None,
        );
    }
}

/// A safe fix for a value that differs from an allowed one only by letter case.
fn case_fix(obj: &Object, node: &Node, ptr: &str, allowed: &[&str]) -> Option<(String, Fix)> {
    let s = node.as_str()?;
    let good = allowed.iter().find(|a| a.eq_ignore_ascii_case(s))?;
    let edit = fix::replace_string(obj.text, node, good)?;
    Some((
        good.to_string(),
        Fix {
            applicability: Applicability::Safe,
            title: format!("Write `{good}`"),
            edits: vec![edit],
            patch: vec![PatchOp::Replace {
                path: obj.ptr(ptr),
                value: serde_json::Value::String(good.to_string()),
            }],
        },
    ))
}

fn check_mount_options(
    ctx: &mut Ctx,
    obj: &Object,
    m: &Node,
    at: &str,
    label: &str,
    privileged: bool,
    cons: &str,
) {
    let propagation = m.get("mountPropagation").filter(|n| !n.is_null());
    let mut effective = None;
    if let Some(node) = propagation {
        let ptr = format!("{at}/mountPropagation");
        match node.as_str() {
            Some(p) if PROPAGATION.contains(&p) => effective = Some(p),
            Some(p) => {
                let fixed = case_fix(obj, node, &ptr, PROPAGATION);
                let what = match &fixed {
                    Some((good, _)) => format!("the mountPropagation `{p}` of {label} is not supported; the value is spelt `{good}`"),
                    None => format!("the mountPropagation `{p}` of {label} is not supported; use `None`, `HostToContainer` or `Bidirectional`"),
                };
                ctx.report(
                    obj,
                    &CC311,
                    &ptr,
                    sentence(what, cons),
                    fixed.map(|(_, f)| f),
                );
            }
            None => {} // wrong type: CC004
        }
        if effective == Some("Bidirectional") && !privileged {
            ctx.report(
                obj,
                &CC311,
                &ptr,
                sentence(
                    format!("{label} asks for Bidirectional mount propagation, which only a privileged container may use (`securityContext.privileged: true`); use `HostToContainer` if the container only needs to see host mounts"),
                    cons,
                ),
                None,
            );
        }
    }
    let Some(node) = m.get("recursiveReadOnly").filter(|n| !n.is_null()) else {
        return;
    };
    let ptr = format!("{at}/recursiveReadOnly");
    let Some(r) = node.as_str() else { return };
    if !RECURSIVE_READ_ONLY.contains(&r) {
        let fixed = case_fix(obj, node, &ptr, RECURSIVE_READ_ONLY);
        let what = match &fixed {
            Some((good, _)) => format!("the recursiveReadOnly `{r}` of {label} is not supported; the value is spelt `{good}`"),
            None => format!("the recursiveReadOnly `{r}` of {label} is not supported; use `Disabled`, `Enabled` or `IfPossible`"),
        };
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(what, cons),
            fixed.map(|(_, f)| f),
        );
        return;
    }
    if r == "Disabled" {
        return;
    }
    let read_only = m.get("readOnly").map(|n| &n.value) == Some(&Value::Bool(true));
    if !read_only {
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(
                format!("{label} sets recursiveReadOnly `{r}` without `readOnly: true`; recursive read-only needs a read-only mount"),
                cons,
            ),
            None,
        );
    }
    if effective.is_some_and(|p| p != "None") {
        ctx.report(
            obj,
            &CC311,
            &ptr,
            sentence(
                format!("{label} sets recursiveReadOnly `{r}` together with mount propagation; recursive read-only needs `mountPropagation: None` or none at all"),
                cons,
            ),
            None,
        );
    }
}

/// CC302, CC303, CC307, CC309, CC311 for the volumeDevices of one container.
fn check_devices(
    ctx: &mut Ctx,
    obj: &Object,
    c: &Node,
    site: &Site,
    vols: &VolumeNames,
    free: &[&str],
    distinct_unmatched: usize,
) {
    let Some(devices) = c.get("volumeDevices").and_then(Node::as_seq) else {
        return;
    };
    let mounts = c.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]);
    let mount_names: BTreeSet<&str> = mounts
        .iter()
        .filter_map(|m| m.str_at(&["name"]))
        .filter(|n| !n.is_empty())
        .collect();
    let mount_paths = paths_of(mounts, "mountPath");
    let device_paths = paths_of(devices, "devicePath");
    let (base, who, consequence) = (site.base, site.who, site.consequence);
    let mut seen_names: HashMap<&str, usize> = HashMap::new();
    for (j, d) in devices.iter().enumerate() {
        let at = format!("{base}/volumeDevices/{j}");
        let name = d.str_at(&["name"]).unwrap_or("");
        let label = if name.is_empty() {
            format!("volumeDevice {j} of {who}")
        } else {
            format!("volumeDevice `{name}` of {who}")
        };
        let name_ptr = format!("{at}/name");
        // CC302
        if name.is_empty() {
            ctx.report(
                obj,
                &CC302,
                &name_ptr,
                sentence(format!("{label} has no `name`"), consequence),
                None,
            );
        } else if !vols.usable.contains(name) {
            let mut what = format!("{label} matches no claim template and no pod volume");
            let mut fix_ = None;
            if let Some(why) = vols.broken.get(name) {
                what.push_str(&format!(" ({why})"));
            } else {
                let candidates: Vec<&str> = vols.claim_backed.iter().copied().collect();
                let free_claims: Vec<&str> = free
                    .iter()
                    .copied()
                    .filter(|f| vols.claim_backed.contains(f))
                    .collect();
                match likely_meant(name, &candidates, &free_claims, distinct_unmatched) {
                    Some(g) => {
                        what.push_str(&format!("; did you mean `{g}`?"));
                        if free_claims.contains(&g) {
                            fix_ = rename(obj, d, &name_ptr, name, g, "Attach");
                        }
                    }
                    None => what.push_str(&name_hint(name, &candidates).0),
                }
            }
            ctx.report(obj, &CC302, &name_ptr, sentence(what, consequence), fix_);
        } else if !vols.claim_backed.contains(name) {
            ctx.report(
                obj,
                &CC302,
                &name_ptr,
                sentence(
                    format!("{label} attaches pod volume `{name}` as a raw block device, but only claim-backed volumes (a claim template, `persistentVolumeClaim` or `ephemeral`) can be block devices; mount it under `volumeMounts` instead"),
                    consequence,
                ),
                None,
            );
        }
        // CC311: the same device twice
        if !name.is_empty() {
            if let Some(k) = seen_names.get(name) {
                ctx.report(
                    obj,
                    &CC311,
                    &name_ptr,
                    sentence(
                        format!("{label} attaches the same volume as volumeDevice {k}; each volume can be attached once per container"),
                        consequence,
                    ),
                    None,
                );
            } else {
                seen_names.insert(name, j);
            }
        }
        // CC309
        if !name.is_empty() && mount_names.contains(name) {
            ctx.report(
                obj,
                &CC309,
                &name_ptr,
                sentence(
                    format!("{who} lists `{name}` both in volumeDevices and in volumeMounts; a volume is either attached as a block device or mounted as a file system, not both"),
                    consequence,
                ),
                None,
            );
        } else if let Some((i, false)) = vols.templates.get(name) {
            ctx.report_as(obj, &CC309, Severity::Warning, &name_ptr, format!("{label} attaches claim template `{name}` (template {i}) as a raw block device, but the template's volumeMode is Filesystem (the default): the kubelet cannot attach it as a device, so the pod never starts. Set `volumeMode: Block` in the template, or mount it under `volumeMounts`"), None);
        }
        // CC307, CC303, CC311 on the device path
        let path_ptr = format!("{at}/devicePath");
        match string_field(d, "devicePath") {
            Ok(None) | Ok(Some("")) => ctx.report(
                obj,
                &CC307,
                &path_ptr,
                sentence(
                    format!("{label} has no `devicePath`; pod validation requires the path at which the device appears in the container"),
                    consequence,
                ),
                None,
            ),
            Ok(Some(p)) => {
                if has_backstep(p) {
                    ctx.report(
                        obj,
                        &CC311,
                        &path_ptr,
                        sentence(
                            format!("the devicePath `{p}` of {label} must not contain `..`"),
                            consequence,
                        ),
                        None,
                    );
                } else if let Some(k) = device_paths
                    .get(..j)
                    .unwrap_or(&[])
                    .iter()
                    .position(|q| *q == Some(p))
                {
                    ctx.report(
                        obj,
                        &CC303,
                        &path_ptr,
                        sentence(
                            format!("{label} uses the devicePath `{p}` of volumeDevice {k} again; each devicePath of a container must be unique"),
                            consequence,
                        ),
                        None,
                    );
                }
                if mount_paths.contains(&Some(p)) {
                    ctx.report(
                        obj,
                        &CC303,
                        &path_ptr,
                        sentence(
                            format!("{label} uses `{p}` as its devicePath, which {who} also uses as a mountPath"),
                            consequence,
                        ),
                        None,
                    );
                }
            }
            Err(()) => {}
        }
    }
}

/// Renames a mount's or device's `name` to `to`.
fn rename(
    obj: &Object,
    item: &Node,
    pointer: &str,
    from: &str,
    to: &str,
    verb: &str,
) -> Option<Fix> {
    let node = item.get("name")?;
    let edit = fix::replace_string(obj.text, node, to)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        title: format!("{verb} `{to}` instead of `{from}`"),
        edits: vec![edit],
        patch: vec![PatchOp::Replace {
            path: obj.ptr(pointer),
            value: serde_json::Value::String(to.to_string()),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{lint_text, Options};

    fn volume(yaml: &str) -> Node {
        crate::source::parse_stream(yaml, &crate::source::Limits::default())
            .documents
            .into_iter()
            .next()
            .map(|d| d.root)
            .expect("one document")
    }

    fn rels(yaml: &str) -> Vec<String> {
        volume_issues(&volume(yaml))
            .into_iter()
            .map(|i| i.rel)
            .collect()
    }

    #[test]
    fn volume_validation_follows_pod_validation() {
        assert!(rels("name: cache").is_empty(), "no source means emptyDir");
        assert!(
            rels("name: cache\nemptyDir:").is_empty(),
            "null source is unset"
        );
        assert_eq!(rels("name: cfg\nconfigMap: {}"), ["/configMap/name"]);
        assert_eq!(
            rels("name: cfg\nconfigMap: {name: ''}"),
            ["/configMap/name"]
        );
        assert_eq!(rels("name: s\nsecret: {name: x}"), ["/secret/secretName"]);
        assert_eq!(rels("name: Cache\nemptyDir: {}"), ["/name"]);
        assert_eq!(rels("name: ''"), ["/name"]);
        assert_eq!(rels("name: x\nemptyDir: {}\nhostPath: {path: /x}"), [""]);
        assert_eq!(rels("name: x\nnfs: {server: s, path: rel}"), ["/nfs/path"]);
        assert_eq!(
            rels("name: x\nhostPath: {path: /a/../b, type: Folder}"),
            ["/hostPath/path", "/hostPath/type"]
        );
        assert!(rels("name: x\nconfigMap: {name: c, defaultMode: 0644}").is_empty());
        assert_eq!(
            rels("name: x\nsecret: {secretName: c, defaultMode: 644}"),
            ["/secret/defaultMode"]
        );
        assert_eq!(
            rels("name: x\nemptyDir: {sizeLimit: -1Gi}"),
            ["/emptyDir/sizeLimit"]
        );
        // a name of the wrong type is CC004's, not ours
        assert!(rels("name: 5\nemptyDir: {}").is_empty());
    }

    #[test]
    fn backsteps_are_path_elements() {
        assert!(has_backstep("../x"));
        assert!(has_backstep("a/../b"));
        assert!(has_backstep(".."));
        assert!(!has_backstep("a..b"));
        assert!(!has_backstep("..a/b.."));
    }

    fn codes(yaml: &str) -> Vec<(String, String, crate::diagnostic::Severity)> {
        lint_text("t.yaml", yaml, &Options::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with("CC3"))
            .map(|d| (d.code.to_string(), d.pointer, d.severity))
            .collect()
    }

    const STS: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  serviceName: web\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: app\n          image: nginx\n";

    #[test]
    fn trailing_slash_is_a_warning_and_identical_paths_an_error() {
        let y = format!("{STS}          volumeMounts:\n            - {{name: a, mountPath: /d}}\n            - {{name: b, mountPath: /d/}}\n            - {{name: c, mountPath: /d}}\n      volumes:\n        - name: a\n        - name: b\n        - name: c\n");
        let found = codes(&y);
        let p = "/spec/template/spec/containers/0/volumeMounts";
        assert_eq!(
            found,
            [
                (
                    "CC303".into(),
                    format!("{p}/1/mountPath"),
                    Severity::Warning
                ),
                ("CC303".into(), format!("{p}/2/mountPath"), Severity::Error),
            ]
        );
    }

    #[test]
    fn shadowed_volumes_are_neither_duplicates_nor_invalid() {
        let y = format!("{STS}          volumeMounts:\n            - {{name: data, mountPath: /d}}\n      volumes:\n        - {{name: data, configMap: {{}}}}\n        - {{name: data, emptyDir: {{}}}}\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n");
        let found: Vec<String> = codes(&y).into_iter().map(|c| c.0).collect();
        assert_eq!(found, ["CC304", "CC304"]);
    }

    #[test]
    fn a_misspelt_mount_does_not_also_report_the_template_unmounted() {
        let y = format!("{STS}          volumeMounts:\n            - {{name: dta, mountPath: /d}}\n  volumeClaimTemplates:\n    - metadata: {{name: data}}\n      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n");
        let found: Vec<String> = codes(&y).into_iter().map(|c| c.0).collect();
        assert_eq!(found, ["CC301"]);
    }
}
