//! CC411 claim-read-only-mismatch: A claim's pod volume and its mounts disagree about
//! `readOnly`.

use crate::diagnostic::{Applicability, Severity};
use crate::fix::{add_entry, FixBuilder};
use crate::model::claim_usage::{access_modes, ClaimUse};
use crate::patch::PatchOp;
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Compares `persistentVolumeClaim.readOnly` of each pod volume that names a claim with the `readOnly` of the containers' mounts of that volume, in the pod specs of every workload kind. Two cases matter:
    ///
    /// 1. **`persistentVolumeClaim.readOnly: true` with a writable mount** (a `volumeMount` of the volume without `readOnly: true`). Reported on each such mount, whether or not the claim is in the input, as a hint: the mount is read-only whatever it says, which only breaks a container that writes there, and the manifest cannot tell whether it does (many authors set `readOnly` on the volume alone, on purpose).
    /// 2. **A `ReadOnlyMany` claim mounted read-only everywhere but not attached read-only**: the claim is in the input, its access modes include `ReadOnlyMany` and not `ReadWriteMany`/`ReadWriteOnce`/`ReadWriteOncePod`, every mount of it in every pod of the input has `readOnly: true`, and a pod volume leaves `persistentVolumeClaim.readOnly` false or unset. Reported on that pod volume, as a warning.
    ///
    /// The opposite of case 2 for a `ReadWriteOnce` claim (all mounts read-only, the volume not) changes nothing a pod can observe and is not reported.
    ///
    /// ## Why is this bad?
    /// `persistentVolumeClaim.readOnly` "will force the ReadOnly setting in VolumeMounts" (the API reference of `PersistentVolumeClaimVolumeSource`): the kubelet mounts the volume read-only for the whole pod, and a container whose mount says it may write gets `EROFS: read-only file system` on its first write — at run time, as pod validation accepts the combination. The writable mount says the container means to write, so one of the two settings is wrong.
    ///
    /// In the other direction, access modes do not protect anything by themselves: the Kubernetes documentation on persistent volumes says they "do not enforce write protection once the storage has been mounted", and a `ReadOnlyMany` claim is published to the node read-write unless the pod volume says `readOnly: true` (that flag is what reaches the CSI driver as `readonly` in `ControllerPublishVolume` and `NodePublishVolume`). Disks that many nodes may share only read-only — GKE's "Using persistent disks with multiple readers" (ReadOnlyMany) guide mounts the claim with `persistentVolumeClaim.readOnly: true` in every pod for that reason — then cannot be attached to a second node, and a container that forgets its mount's `readOnly` writes to data that every reader shares.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: reports
    ///     persistentVolumeClaim:
    ///       claimName: reports
    ///       readOnly: true
    /// containers:
    ///   - name: app
    ///     volumeMounts:
    ///       - name: reports
    ///         mountPath: /reports     # writable mount: writes fail with EROFS
    /// ```
    ///
    /// ## Fix safety
    /// Case 2 has an unsafe fix: add `readOnly: true` to `persistentVolumeClaim`, which changes how the volume is attached and published (read-only, as every mount already is). Case 1 has none: whether the container should write (drop the volume's `readOnly`) or not (mark the mount `readOnly`) is the author's call.
    pub CC411 {
        name: "claim-read-only-mismatch",
        severity: Warning,
        fix: Unsafe,
        summary: "A claim's pod volume and its mounts disagree about readOnly: writes fail at run time, or a ReadOnlyMany claim is attached read-write",
    }
}

/// CC411 case 1 for one pod volume: `persistentVolumeClaim.readOnly: true` with writable mounts.
pub(super) fn writable_mounts(ctx: &mut Ctx, u: &ClaimUse) {
    if u.read_only != Some(true) {
        return;
    }
    for m in u.mounts.iter().filter(|m| !m.read_only) {
        let who = match m.container {
            Some(c) => format!("container `{c}`"),
            None => "a container".to_string(),
        };
        let at = m
            .mount_path
            .map(|p| format!(" at `{p}`"))
            .unwrap_or_default();
        let message = format!(
            "{who} mounts pod volume `{}` (claim `{}`){at} without `readOnly: true`, but the volume has `persistentVolumeClaim.readOnly: true`, which forces every mount of it read-only: if the container writes there, its writes fail with `Read-only file system` at run time. Mark the mount `readOnly: true` if it only reads, or drop the volume's `readOnly` if it writes",
            u.volume, u.claim
        );
        let rel = if u
            .user
            .node
            .pointer(&format!("{}/readOnly", m.pointer()))
            .is_some()
        {
            format!("{}/readOnly", m.pointer())
        } else {
            format!("{}/name", m.pointer())
        };
        ctx.report_as(u.user, &CC411, Severity::Hint, &rel, message, None);
    }
}

/// CC411 case 2 for one claim of the input (`pvc`) and every use of it.
pub(super) fn read_only_many(ctx: &mut Ctx, pvc: &Object, uses: &[&ClaimUse]) {
    let modes = access_modes(pvc.node);
    if !modes.contains(&"ReadOnlyMany")
        || modes
            .iter()
            .any(|m| matches!(*m, "ReadWriteMany" | "ReadWriteOnce" | "ReadWriteOncePod"))
    {
        return;
    }
    let mounted = uses.iter().any(|u| !u.mounts.is_empty());
    let all_read_only = uses.iter().all(|u| u.mounts.iter().all(|m| m.read_only));
    if !mounted || !all_read_only {
        return;
    }
    let claim = pvc.name.unwrap_or("<unnamed>");
    for u in uses
        .iter()
        .filter(|u| u.read_only != Some(true) && !u.mounts.is_empty())
    {
        let message = format!(
            "claim `{claim}` is ReadOnlyMany and every mount of pod volume `{}` is `readOnly: true`, but the volume itself is not (`persistentVolumeClaim.readOnly`): the volume is attached and published to the node read-write, which a disk shared read-only between nodes cannot grant on a second node, and access modes alone do not stop writes. Add `readOnly: true` under `persistentVolumeClaim`",
            u.volume
        );
        let fix = read_only_fix(u);
        ctx.report(
            u.user,
            &CC411,
            &format!("{}/persistentVolumeClaim", u.volume_pointer()),
            message,
            fix,
        );
    }
}

/// `readOnly: true` under the pod volume's `persistentVolumeClaim` (replacing a `false`).
fn read_only_fix(u: &ClaimUse) -> Option<crate::diagnostic::Fix> {
    let obj = u.user;
    let pvc_ptr = obj.ptr(&format!("{}/persistentVolumeClaim", u.volume_pointer()));
    let map = obj.doc_root.pointer(&pvc_ptr)?;
    let builder = FixBuilder::new(
        &CC411,
        Applicability::Unsafe,
        "Attach the volume read-only (`persistentVolumeClaim.readOnly: true`)",
    )?;
    match map.get("readOnly") {
        Some(n) => {
            if n.copied || n.style == crate::source::Style::Implicit {
                return None;
            }
            Some(
                builder
                    .change(
                        [crate::diagnostic::TextEdit::replace(n.span, "true")],
                        [PatchOp::Replace {
                            path: format!("{pvc_ptr}/readOnly"),
                            value: serde_json::Value::Bool(true),
                        }],
                    )
                    .build(),
            )
        }
        None => {
            let edit = add_entry(obj.text, map, "readOnly", "true")?;
            Some(
                builder
                    .change(
                        [edit],
                        [PatchOp::Add {
                            path: format!("{pvc_ptr}/readOnly"),
                            value: serde_json::Value::Bool(true),
                        }],
                    )
                    .build(),
            )
        }
    }
}
