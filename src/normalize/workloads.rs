//! The API server's v1 defaults for the workload kinds other than StatefulSet: apps/v1
//! (`SetDefaults_Deployment`, `_DaemonSet`, `_ReplicaSet`), batch/v1 (`SetDefaults_Job`,
//! `_CronJob`) and core/v1 (`SetDefaults_ReplicationController`, `_Pod`, and the pod spec
//! defaults every template gets), as of Kubernetes 1.32. Values the API server derives from
//! the object's UID (a Job's generated selector and `controller-uid` labels) or that admission
//! plugins add (service account, tolerations, priority) are not written.

use serde_json::{json, Map, Value as J};

use super::{default_pod_spec, obj_mut, set_default};
use crate::model::workload::WorkloadKind;

/// Writes the defaults of `kind` into `v` (a JSON copy of the object).
pub fn default_workload(kind: WorkloadKind, v: &mut J) {
    match kind {
        WorkloadKind::StatefulSet => super::default_statefulset(v),
        WorkloadKind::Deployment => default_deployment(v),
        WorkloadKind::ReplicaSet => default_replica_set(v),
        WorkloadKind::DaemonSet => default_daemon_set(v),
        WorkloadKind::Job => default_job(v),
        WorkloadKind::CronJob => default_cron_job(v),
        WorkloadKind::ReplicationController => default_replication_controller(v),
        WorkloadKind::Pod => default_pod(v),
        WorkloadKind::PodTemplate => {}
    }
    // Every pod spec gets SetDefaults_PodSpec and the container and volume defaults.
    if kind != WorkloadKind::StatefulSet {
        if let Some(pod) = v
            .pointer_mut(kind.pod_spec_pointer())
            .and_then(J::as_object_mut)
        {
            default_pod_spec(pod);
        }
    }
}

fn template_labels(spec: &Map<String, J>) -> Option<J> {
    spec.get("template")?
        .get("metadata")?
        .get("labels")
        .filter(|l| l.as_object().is_some_and(|m| !m.is_empty()))
        .cloned()
}

/// `metadata.labels` from the template's labels when the object has none (Jobs and
/// ReplicationControllers).
fn labels_from_template(v: &mut J, labels: Option<J>) {
    let Some(labels) = labels else {
        return;
    };
    let Some(meta) = obj_mut(v, "metadata") else {
        return;
    };
    let empty = meta
        .get("labels")
        .is_none_or(|l| l.is_null() || l.as_object().is_some_and(Map::is_empty));
    if empty {
        meta.insert("labels".into(), labels);
    }
}

fn default_deployment(v: &mut J) {
    let Some(spec) = obj_mut(v, "spec") else {
        return;
    };
    set_default(spec, "replicas", json!(1));
    set_default(spec, "strategy", json!({}));
    if let Some(st) = spec.get_mut("strategy").and_then(J::as_object_mut) {
        if matches!(st.get("type"), None | Some(J::Null)) || st.get("type") == Some(&json!("")) {
            st.insert("type".into(), json!("RollingUpdate"));
        }
        if st.get("type") == Some(&json!("RollingUpdate")) {
            set_default(st, "rollingUpdate", json!({}));
            if let Some(ru) = st.get_mut("rollingUpdate").and_then(J::as_object_mut) {
                set_default(ru, "maxUnavailable", json!("25%"));
                set_default(ru, "maxSurge", json!("25%"));
            }
        }
    }
    set_default(spec, "revisionHistoryLimit", json!(10));
    set_default(spec, "progressDeadlineSeconds", json!(600));
}

fn default_replica_set(v: &mut J) {
    if let Some(spec) = obj_mut(v, "spec") {
        set_default(spec, "replicas", json!(1));
    }
}

fn default_daemon_set(v: &mut J) {
    let Some(spec) = obj_mut(v, "spec") else {
        return;
    };
    set_default(spec, "updateStrategy", json!({}));
    if let Some(us) = spec.get_mut("updateStrategy").and_then(J::as_object_mut) {
        if matches!(us.get("type"), None | Some(J::Null)) || us.get("type") == Some(&json!("")) {
            us.insert("type".into(), json!("RollingUpdate"));
        }
        if us.get("type") == Some(&json!("RollingUpdate")) {
            set_default(us, "rollingUpdate", json!({}));
            if let Some(ru) = us.get_mut("rollingUpdate").and_then(J::as_object_mut) {
                set_default(ru, "maxUnavailable", json!(1));
                set_default(ru, "maxSurge", json!(0));
            }
        }
    }
    set_default(spec, "revisionHistoryLimit", json!(10));
}

fn default_job(v: &mut J) {
    let labels = {
        let Some(spec) = obj_mut(v, "spec") else {
            return;
        };
        let unset = |m: &Map<String, J>, k: &str| matches!(m.get(k), None | Some(J::Null));
        if unset(spec, "completions") && unset(spec, "parallelism") {
            spec.insert("completions".into(), json!(1));
        }
        set_default(spec, "parallelism", json!(1));
        let per_index = !unset(spec, "backoffLimitPerIndex");
        set_default(
            spec,
            "backoffLimit",
            json!(if per_index { i64::from(i32::MAX) } else { 6 }),
        );
        set_default(spec, "completionMode", json!("NonIndexed"));
        set_default(spec, "suspend", json!(false));
        let failure_policy = !unset(spec, "podFailurePolicy");
        if let Some(rules) = spec
            .get_mut("podFailurePolicy")
            .and_then(|p| p.get_mut("rules"))
            .and_then(J::as_array_mut)
        {
            for rule in rules.iter_mut() {
                if let Some(patterns) = rule.get_mut("onPodConditions").and_then(J::as_array_mut) {
                    for p in patterns.iter_mut().filter_map(J::as_object_mut) {
                        if matches!(p.get("status"), None | Some(J::Null))
                            || p.get("status") == Some(&json!(""))
                        {
                            p.insert("status".into(), json!("True"));
                        }
                    }
                }
            }
        }
        set_default(
            spec,
            "podReplacementPolicy",
            json!(if failure_policy {
                "Failed"
            } else {
                "TerminatingOrFailed"
            }),
        );
        set_default(spec, "manualSelector", json!(false));
        template_labels(spec)
    };
    labels_from_template(v, labels);
}

fn default_cron_job(v: &mut J) {
    let Some(spec) = obj_mut(v, "spec") else {
        return;
    };
    if matches!(spec.get("concurrencyPolicy"), None | Some(J::Null))
        || spec.get("concurrencyPolicy") == Some(&json!(""))
    {
        spec.insert("concurrencyPolicy".into(), json!("Allow"));
    }
    set_default(spec, "suspend", json!(false));
    set_default(spec, "successfulJobsHistoryLimit", json!(3));
    set_default(spec, "failedJobsHistoryLimit", json!(1));
}

fn default_replication_controller(v: &mut J) {
    let labels = {
        let Some(spec) = obj_mut(v, "spec") else {
            return;
        };
        let labels = template_labels(spec);
        if let Some(l) = &labels {
            let empty = spec
                .get("selector")
                .is_none_or(|s| s.is_null() || s.as_object().is_some_and(Map::is_empty));
            if empty {
                spec.insert("selector".into(), l.clone());
            }
        }
        set_default(spec, "replicas", json!(1));
        labels
    };
    labels_from_template(v, labels);
}

/// SetDefaults_Pod: requests default to limits (only for Pods, not for templates), and
/// `enableServiceLinks: true`.
fn default_pod(v: &mut J) {
    let Some(spec) = obj_mut(v, "spec") else {
        return;
    };
    for list in ["containers", "initContainers"] {
        let Some(cs) = spec.get_mut(list).and_then(J::as_array_mut) else {
            continue;
        };
        for c in cs.iter_mut().filter_map(J::as_object_mut) {
            let Some(res) = c.get_mut("resources").and_then(J::as_object_mut) else {
                continue;
            };
            let Some(limits) = res.get("limits").and_then(J::as_object).cloned() else {
                continue;
            };
            if limits.is_empty() {
                continue;
            }
            if matches!(res.get("requests"), None | Some(J::Null)) {
                res.insert("requests".into(), json!({}));
            }
            if let Some(req) = res.get_mut("requests").and_then(J::as_object_mut) {
                for (k, q) in limits {
                    if !req.contains_key(&k) {
                        req.insert(k, q);
                    }
                }
            }
        }
    }
    set_default(spec, "enableServiceLinks", json!(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_defaults() {
        let mut v = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "a:1"}]}}}});
        default_workload(WorkloadKind::Deployment, &mut v);
        assert_eq!(v["spec"]["replicas"], 1);
        assert_eq!(
            v["spec"]["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        );
        assert_eq!(v["spec"]["revisionHistoryLimit"], 10);
        assert_eq!(v["spec"]["progressDeadlineSeconds"], 600);
        assert_eq!(v["spec"]["template"]["spec"]["restartPolicy"], "Always");
        let mut recreate = json!({"spec": {"strategy": {"type": "Recreate"}}});
        default_workload(WorkloadKind::Deployment, &mut recreate);
        assert_eq!(recreate["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn job_defaults() {
        let mut v = json!({"metadata": {"name": "j"}, "spec": {"template": {"metadata": {"labels": {"app": "j"}}, "spec": {"restartPolicy": "Never"}}}});
        default_workload(WorkloadKind::Job, &mut v);
        let s = &v["spec"];
        assert_eq!(
            (s["completions"].clone(), s["parallelism"].clone()),
            (json!(1), json!(1))
        );
        assert_eq!(s["backoffLimit"], 6);
        assert_eq!(s["completionMode"], "NonIndexed");
        assert_eq!(s["suspend"], false);
        assert_eq!(s["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(s["manualSelector"], false);
        assert_eq!(v["metadata"]["labels"], json!({"app": "j"}));
        // parallelism alone leaves completions unset; a per-index limit raises backoffLimit
        let mut p = json!({"spec": {"parallelism": 3, "backoffLimitPerIndex": 1, "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}});
        default_workload(WorkloadKind::Job, &mut p);
        assert!(p["spec"].get("completions").is_none());
        assert_eq!(p["spec"]["backoffLimit"], 2147483647);
        assert_eq!(p["spec"]["podReplacementPolicy"], "Failed");
        assert_eq!(
            p["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"],
            "True"
        );
    }

    #[test]
    fn cron_job_daemon_set_rc_and_pod_defaults() {
        let mut c = json!({"spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": {}}}}}});
        default_workload(WorkloadKind::CronJob, &mut c);
        assert_eq!(c["spec"]["concurrencyPolicy"], "Allow");
        assert_eq!(c["spec"]["successfulJobsHistoryLimit"], 3);
        assert_eq!(c["spec"]["failedJobsHistoryLimit"], 1);
        assert_eq!(c["spec"]["suspend"], false);
        // the job template gets no Job defaults, only pod spec defaults
        assert!(c["spec"]["jobTemplate"]["spec"]
            .get("backoffLimit")
            .is_none());
        assert_eq!(
            c["spec"]["jobTemplate"]["spec"]["template"]["spec"]["dnsPolicy"],
            "ClusterFirst"
        );
        let mut d = json!({"spec": {}});
        default_workload(WorkloadKind::DaemonSet, &mut d);
        assert_eq!(
            d["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
        let mut rc = json!({"metadata": {"name": "r"}, "spec": {"template": {"metadata": {"labels": {"app": "r"}}}}});
        default_workload(WorkloadKind::ReplicationController, &mut rc);
        assert_eq!(rc["spec"]["selector"], json!({"app": "r"}));
        assert_eq!(rc["metadata"]["labels"], json!({"app": "r"}));
        assert_eq!(rc["spec"]["replicas"], 1);
        let mut pod = json!({"spec": {"containers": [{"name": "a", "image": "a:1", "resources": {"limits": {"cpu": "1"}, "requests": {"memory": "1Gi"}}}]}});
        default_workload(WorkloadKind::Pod, &mut pod);
        assert_eq!(
            pod["spec"]["containers"][0]["resources"]["requests"],
            json!({"memory": "1Gi", "cpu": "1"})
        );
        assert_eq!(pod["spec"]["enableServiceLinks"], true);
        assert_eq!(pod["spec"]["restartPolicy"], "Always");
    }
}
