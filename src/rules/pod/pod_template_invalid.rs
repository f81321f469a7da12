//! CC112 pod-template-invalid: The pod template fails pod validation, so the controller cannot create pods.

crate::declare_rule! {
    /// ## What it does
    /// Checks the pod spec of every workload kind (the pod template of a StatefulSet, Deployment, ReplicaSet, DaemonSet, Job, CronJob's job template, ReplicationController or PodTemplate, and a Pod's own spec) against the parts of pod validation that commonly fail: no containers; a container (or init container) without a name, with a name that is not a DNS-1123 label or that another container already uses; no image, or one with surrounding spaces (an error for a Pod and a StatefulSet's pods; a warning for the other kinds, whose template validation does not check the spaces although every pod made from the template is rejected); a `nodeName`, `serviceAccountName` or `priorityClassName` that is not a DNS-1123 subdomain, a `hostname` or `subdomain` that is not a DNS-1123 label, an `activeDeadlineSeconds` below 1 (Pods, PodTemplates, Jobs); user and group IDs of the pod's or a container's `securityContext` outside 0 to 2147483647, an `fsGroupChangePolicy` other than `OnRootMismatch` or `Always`, and a container with `allowPrivilegeEscalation: false` that is `privileged` or adds `CAP_SYS_ADMIN`; `nodeSelector` keys and values that are not valid labels; tolerations with an invalid key or value, without `key` but not `Exists`, with `Exists` and a `value`, with `tolerationSeconds` but an effect other than `NoExecute`, or with an unknown operator or effect; topology spread constraints with `maxSkew` below 1, no `topologyKey`, or a `whenUnsatisfiable` other than `DoNotSchedule` or `ScheduleAnyway`; ports with `containerPort` 0 or beyond 65535, invalid or repeated port names, a protocol other than `TCP`, `UDP` or `SCTP`; an `imagePullPolicy` other than `Always`, `IfNotPresent` or `Never`; environment variables without a name or with an invalid one, or with both `value` and `valueFrom`; resource names that are not container resources (`storage`), negative quantities, requests above limits, extended resources whose request differs from their limit, huge pages without a `cpu` or `memory` request or limit; `restartPolicy` on a regular container or other than `Always` on an init container, and probes or lifecycle hooks on plain init containers; probes without exactly one handler, with negative counts, or with a `successThreshold` above 1 outside readiness probes; `dnsPolicy` other than `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None` (and `None` without nameservers); ephemeral containers.
    ///
    /// ## Why is this bad?
    /// Before Kubernetes 1.34 the API server does not validate a StatefulSet's pod template beyond its labels: the StatefulSet is stored, and then every pod the controller creates is rejected. The only trace is `FailedCreate` events on the StatefulSet, and the rollout never progresses. From 1.34 the StatefulSet itself is rejected. Every other kind has its pod template validated when it is created or updated, so the API server rejects the Deployment, Job, Pod, … at once. A Pod's or PodTemplate's `restartPolicy` must be `Always`, `OnFailure` or `Never`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx
    ///     ports:
    ///       - containerPort: 80
    ///         protocol: tcp      # must be TCP
    ///     resources:
    ///       requests:
    ///         cpu: "2"
    ///       limits:
    ///         cpu: "1"           # below the request
    /// ```
    ///
    /// ## Fix safety
    /// Values that differ from a valid one only in letter case (`tcp`, `ifnotpresent`, `clusterfirst`, `always`) are corrected, and spaces around an image name are removed; both keep the meaning. Other problems need a decision and get no fix.
    pub CC112 {
        name: "pod-template-invalid",
        severity: Error,
        fix: Safe,
        summary: "The pod template fails pod validation, so the controller cannot create pods",
    }
}
