//! CC402 service-not-headless: The governing Service of a StatefulSet is not headless (clusterIP: None).

use super::quoted;
use crate::rule::Object;

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

pub(super) fn sts_list(sets: &[&Object]) -> String {
    let names: Vec<&str> = sets.iter().map(|s| s.name.unwrap_or("<unnamed>")).collect();
    if names.len() == 1 {
        format!("StatefulSet {}", quoted(&names))
    } else {
        format!("StatefulSets {}", quoted(&names))
    }
}
