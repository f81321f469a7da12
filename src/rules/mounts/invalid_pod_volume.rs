//! CC310 invalid-pod-volume: A pod volume that pod validation rejects.

crate::declare_rule! {
    /// ## What it does
    /// Checks the pod volumes of a workload's pod template the way pod validation does: a DNS-1123 label as name, at most one volume source, and the required fields of the common sources (`configMap.name`, `secret.secretName`, `persistentVolumeClaim.claimName`, `hostPath.path`, `nfs.server` and an absolute `nfs.path`, `csi.driver`, `ephemeral.volumeClaimTemplate`), relative item paths without `..` that do not start with `..`, file modes within `0777`, a valid `csi.driver` name and a named `csi.nodePublishSecretRef`; `iscsi` with `targetPortal`, an `iqn` (and `initiatorName`) in `iqn.`/`eui.`/`naa.` form, `lun` 0–255 and a `secretRef` when CHAP is on; a `gitRepo` with a `repository` and a relative `directory`; `downwardAPI` files with a `path` and exactly one of `fieldRef` (only `metadata.name`, `namespace`, `uid`, `labels`, `annotations`, or one label/annotation) and `resourceFieldRef` (with `containerName`); `projected` sources with one kind per entry, names for their secrets and configMaps, a `serviceAccountToken` with a `path` and `expirationSeconds` of at least 600, and no path written twice; the required fields and formats of the legacy in-tree sources (`gcePersistentDisk`, `awsElasticBlockStore`, `rbd`, `cephfs`, `cinder`, `flexVolume`, `azureFile`, `azureDisk` with its defaulted `kind`, `vsphereVolume`, `glusterfs`, `fc`, `flocker`, `quobyte`, `photonPersistentDisk`, `portworxVolume`, `scaleIO`, `storageos`); for a Pod, an ephemeral claim name `<pod name>-<volume name>` that is a valid claim name and no `persistentVolumeClaim` volume naming such a claim; a non-negative `emptyDir.sizeLimit`, and an ephemeral volume's claim template whose `metadata` sets anything but `labels` and `annotations` (`cannot be set for a template`) or has an invalid label or annotation key or label value (faults of its claim spec are the claim rules', CC205–CC216).
    ///
    /// ## Why is this bad?
    /// Before Kubernetes 1.34 the API server does not validate a StatefulSet's pod template: it stores the StatefulSet, and the controller then fails to create every pod (`volumes[0].configMap.name: Required value`). From 1.34 the StatefulSet is rejected. A mount of the broken volume also fails (CC301), since Kubernetes drops the volume. Deployments, ReplicaSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, Pods and PodTemplates are checked too: for them the API server validates the pod template (or pod spec) when the object is submitted, so it rejects the object itself.
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
