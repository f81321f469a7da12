//! The pod spec's volumes: reports CC304 (a StatefulSet's pod volume shadowed by a claim
//! template), CC308 and CC310.

use super::{sentence, PodRef, CC304, CC308, CC310};
use crate::model::volumes::{
    pod_named_volume_issues, set_field, volume_issues, VolumeIssue, VolumeNames, VOLUME_SOURCES,
};
use crate::model::workload::{claim_templates, template_name, WorkloadKind};
use crate::rule::{Ctx, Object};
use crate::source::Node;
use std::collections::{HashMap, HashSet};

/// CC304, CC308, CC310: the pod volumes themselves.
pub(super) fn check_pod_volumes(
    ctx: &mut Ctx,
    obj: &Object,
    pod: &PodRef,
    names: &VolumeNames,
    consequence: &str,
) {
    let sts = obj.node;
    let Some(vols) = pod
        .spec
        .and_then(|p| p.get("volumes"))
        .and_then(Node::as_seq)
    else {
        return;
    };
    // looked up once per volume: hashed (a sorted set costs a dozen comparisons a lookup)
    let template_names: HashSet<&str> = if pod.is_statefulset() {
        claim_templates(sts)
            .iter()
            .filter_map(|(_, t)| template_name(t))
            .collect()
    } else {
        HashSet::new()
    };
    let pod_name = if pod.kind == WorkloadKind::Pod {
        obj.name.unwrap_or("")
    } else {
        ""
    };
    let mut named: HashMap<usize, Vec<VolumeIssue>> = HashMap::new();
    for (i, issue, _) in pod_named_volume_issues(pod_name, vols) {
        named.entry(i).or_default().push(issue);
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(vols.len());
    for (i, v) in vols.iter().enumerate() {
        // the volume's pointer, built only for a finding
        let ptr = || format!("{}/volumes/{i}", pod.base);
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
                &format!("{}/name", ptr()),
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
                    &format!("{}/name", ptr()),
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
        let pod_named = named.remove(&i).unwrap_or_default();
        // (most volumes were found clean when their names were worked out)
        let issues = if names.has_no_issues(vols, i) {
            Vec::new()
        } else {
            volume_issues(v)
        };
        for issue in issues.into_iter().chain(pod_named) {
            let label = if name.is_empty() {
                format!("pod volume {i}")
            } else {
                format!("pod volume `{name}`")
            };
            ctx.report(
                obj,
                &CC310,
                &format!("{}{}", ptr(), issue.rel),
                sentence(format!("{label}: {}", issue.what), consequence),
                None,
            );
        }
    }
}
