//! CC412 unused-claim-never-binds: An unused claim whose StorageClass waits for a first consumer.

use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Finds PersistentVolumeClaims of the input that no pod of the input uses (as CC407 does: the pod specs of every workload kind count, and a claim a StatefulSet of the input creates from a claim template is used) when their StorageClass — named by `storageClassName` (or the beta annotation), or the input's only default class when the claim names none — is in the input with `volumeBindingMode: WaitForFirstConsumer`. Claims with `spec.volumeName` (pre-bound to a volume) or already `Bound` (`status.phase` in a `kubectl get -o yaml` dump) are left out, and, like CC407, it only looks when the input holds at least one workload. These claims are reported here instead of by CC407.
    ///
    /// ## Why is this bad?
    /// With `WaitForFirstConsumer` the PersistentVolume controller does not bind or provision a claim until a pod that uses it is scheduled (the scheduler picks the node, writes the `volume.kubernetes.io/selected-node` annotation, and only then does the provisioner create the volume in that node's zone). A claim that no pod uses therefore never binds: it stays `Pending` with the event `waiting for first consumer to be created before binding`. Anything that waits for it to be `Bound` hangs — `helm install --wait` waits for PersistentVolumeClaims to be bound and times out, as does `kubectl wait --for=jsonpath='{.status.phase}'=Bound` — and a pod meant to use it (its `claimName` misspelt, or the pod left out of the manifest) is usually the real mistake. An unused claim with `Immediate` binding is a different, milder matter (a volume provisioned and billed for nothing): that is CC407.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: storage.k8s.io/v1
    /// kind: StorageClass
    /// metadata:
    ///   name: zonal-ssd
    /// provisioner: ebs.csi.aws.com
    /// volumeBindingMode: WaitForFirstConsumer
    /// ---
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: uploads
    /// spec:
    ///   storageClassName: zonal-ssd
    ///   accessModes: [ReadWriteOnce]
    ///   resources: {requests: {storage: 20Gi}}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers: [{name: web, image: "nginx:1.27", volumeMounts: [{name: files, mountPath: /srv}]}]
    ///   volumes:
    ///     - name: files
    ///       persistentVolumeClaim:
    ///         claimName: upload   # not `uploads`
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either a pod should use the claim (which one is for the author to say) or the claim should go.
    pub CC412 {
        name: "unused-claim-never-binds",
        severity: Warning,
        fix: None,
        summary: "A claim no pod uses whose StorageClass binds on first consumer: it stays Pending forever",
    }
}

/// CC412 for one claim that no pod of the input uses, whose class (`class`, its name) is in the
/// input with `volumeBindingMode: WaitForFirstConsumer`; `defaulted` when the claim names no
/// class and gets the input's default one.
pub(super) fn never_binds(ctx: &mut Ctx, pvc: &Object, class: &str, defaulted: bool) {
    let name = pvc.name.unwrap_or("<unnamed>");
    let how = if defaulted {
        format!("its StorageClass (the default class of this input, `{class}`)")
    } else {
        format!("its StorageClass `{class}`")
    };
    let message = format!(
        "PersistentVolumeClaim `{name}` is used by no pod in this input, and {how} has `volumeBindingMode: WaitForFirstConsumer`: the claim is bound and provisioned only once a pod that uses it is scheduled, so it stays Pending (`waiting for first consumer to be created before binding`) and anything that waits for it to be Bound (`helm install --wait`) hangs. Mount it in the pod that needs it, or remove it"
    );
    ctx.report(pvc, &CC412, "/metadata/name", message, None);
}
