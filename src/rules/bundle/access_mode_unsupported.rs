//! CC405 access-mode-unsupported: The StorageClass's provisioner is known not to support the claim's access mode.

use super::{Claim, Class};
use crate::rule::{Ctx, Object};

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

pub(super) const ROX: &str = "ReadOnlyMany";

pub(super) const RWX: &str = "ReadWriteMany";

/// What a provisioner cannot do, from its vendor's documentation.
pub(super) struct Provisioner {
    /// Exact provisioner names.
    names: &'static [&'static str],
    /// A name suffix that also identifies it (Rook prefixes the operator's namespace).
    suffix: Option<&'static str>,
    pub(super) product: &'static str,
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
pub(super) const PROVISIONERS: &[Provisioner] = &[
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

pub(super) fn provisioner(name: &str) -> Option<&'static Provisioner> {
    PROVISIONERS.iter().find(|p| {
        p.names.contains(&name)
            || p.suffix
                .is_some_and(|s| name.ends_with(s) && name.len() > s.len())
    })
}

/// CC405: modes the class's provisioner cannot serve.
pub(super) fn check_access_modes(ctx: &mut Ctx, claim: &Claim, class: Class, sc: &Object) {
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
            claim.label(), prov.product, prov.why
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
