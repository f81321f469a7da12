//! What pod validation (`validateVolumeSource` in Kubernetes' `pkg/apis/core/validation`)
//! checks in the less common pod volume sources: `csi`, `iscsi`, `gitRepo`, `downwardAPI`,
//! `projected` and the legacy in-tree sources. The common ones (configMap, secret,
//! persistentVolumeClaim, hostPath, nfs, emptyDir, ephemeral) are in [`super::volumes`].
//! Every fault found here makes the API server reject the pod (or the pod template of a
//! workload), and drops the volume for the mounts that use it.

use crate::model::names;
use crate::model::volumes::{
    has_backstep, item_issues, missing, set_field, string_field, VolumeIssue,
};
use crate::source::{Node, Value};
use std::collections::BTreeSet;

/// The downward API fields a volume file may expose (`validVolumeDownwardAPIFieldPathExpressions`).
pub const VOLUME_DOWNWARD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
];

/// The container resources a `resourceFieldRef` may name (`validContainerResourceFieldPathExpressions`,
/// plus the `hugepages-` prefixes).
pub const RESOURCE_FIELDS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// `ValidateLocalNonReservedPath`: relative, no `..` element, and not starting with `..`.
/// Returns the reason, if any.
pub fn local_non_reserved_path(p: &str) -> Option<String> {
    if p.starts_with('/') {
        return Some(format!("`{p}` must be a relative path"));
    }
    if has_backstep(p) {
        return Some(format!("`{p}` must not contain `..`"));
    }
    if p.starts_with("..") {
        return Some(format!(
            "`{p}` must not start with `..` (names starting with `..` are reserved for the atomic writer)"
        ));
    }
    None
}

/// `validateLocalDescendingPath`: relative and no `..` element.
fn local_descending_path(p: &str) -> Option<String> {
    if p.starts_with('/') {
        return Some(format!("`{p}` must be a relative path"));
    }
    if has_backstep(p) {
        return Some(format!("`{p}` must not contain `..`"));
    }
    None
}

fn push(out: &mut Vec<VolumeIssue>, rel: String, what: String) {
    out.push(VolumeIssue { rel, what });
}

/// An integer field out of `lo..=hi` (an absent or non-integer one is not this check's).
fn out_of_range(n: &Node, key: &str, lo: i64, hi: i64) -> Option<i64> {
    n.get(key)
        .and_then(Node::as_i64)
        .filter(|v| !(lo..=hi).contains(v))
}

fn is_true(n: &Node, key: &str) -> bool {
    matches!(n.get(key).map(|v| &v.value), Some(Value::Bool(true)))
}

/// `ValidateCSIDriverName`: the problems with a CSI driver name (at most 63 characters, and a
/// DNS-1123 subdomain once lower-cased).
pub fn csi_driver_name(d: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if d.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    errs.extend(names::dns1123_subdomain(&names::go_lower(d)));
    errs
}

/// The iSCSI name formats upstream accepts for `iqn` and `initiatorName`.
fn iscsi_name_problem(s: &str) -> Option<&'static str> {
    // `^eui.[[:alnum:]]{16}$` and `^naa.[[:alnum:]]{32}$`: any one character after the prefix.
    let fixed = |rest: &str, n: usize| {
        let mut chars = rest.chars();
        chars.next().is_some() && {
            let tail = chars.as_str();
            tail.len() == n && tail.bytes().all(|c| c.is_ascii_alphanumeric())
        }
    };
    if s.starts_with("iqn") {
        (!iqn_ok(s)).then_some("must be valid format")
    } else if let Some(rest) = s.strip_prefix("eui") {
        (!fixed(rest, 16)).then_some("must be valid format")
    } else if let Some(rest) = s.strip_prefix("naa") {
        (!fixed(rest, 32)).then_some("must be valid format")
    } else {
        Some("must be valid format starting with iqn, eui, or naa")
    }
}

/// Whether `s` contains a match of upstream's IQN pattern, which is anchored only at the end:
/// `iqn\.\d{4}-\d{2}\.([[:alnum:]-.]+)(:[^,;*&$|\s]+)$`. Linear in the length of `s`.
fn iqn_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    let auth = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    // run_end[i]: the end of the run of authority characters starting at i
    let mut run_end = vec![n; n + 1];
    for i in (0..n).rev() {
        run_end[i] = if auth(b[i]) { run_end[i + 1] } else { i };
    }
    // the tail after the last ':' candidate must hold none of these (Go's \s is [\t\n\f\r ])
    let last_bad = b.iter().rposition(|c| {
        matches!(
            c,
            b',' | b';' | b'*' | b'&' | b'$' | b'|' | b'\t' | b'\n' | 0x0c | b'\r' | b' '
        )
    });
    (0..n).any(|p| {
        let Some(head) = b.get(p..p + 12) else {
            return false;
        };
        if !(head.starts_with(b"iqn.")
            && head[4..8].iter().all(u8::is_ascii_digit)
            && head[8] == b'-'
            && head[9..11].iter().all(u8::is_ascii_digit)
            && head[11] == b'.')
        {
            return false;
        }
        let a = p + 12;
        let c = run_end[a];
        c > a && c + 1 < n && b[c] == b':' && last_bad.is_none_or(|lb| lb <= c)
    })
}

/// One downward API volume file (`validateDownwardAPIVolumeFile`); `at` is its pointer
/// relative to the volume, `src` names the source for messages.
fn downward_file_issues(f: &Node, at: &str, src: &str, out: &mut Vec<VolumeIssue>) {
    if f.as_map().is_none() {
        return;
    }
    match string_field(f, "path") {
        Ok(None) | Ok(Some("")) => push(
            out,
            format!("{at}/path"),
            format!("a file of its {src} has no `path`"),
        ),
        Ok(Some(p)) => {
            if let Some(why) = local_non_reserved_path(p) {
                push(
                    out,
                    format!("{at}/path"),
                    format!("a file of its {src} has the path {why}"),
                );
            }
        }
        Err(()) => {}
    }
    let field_ref = set_field(f, "fieldRef");
    let resource_ref = set_field(f, "resourceFieldRef");
    match (field_ref, resource_ref) {
        (Some(fr), rr) => {
            if rr.is_some() {
                push(
                    out,
                    at.to_string(),
                    format!("a file of its {src} sets both `fieldRef` and `resourceFieldRef`"),
                );
            }
            if let Ok(Some(api)) = string_field(fr, "apiVersion") {
                if !api.is_empty() && api != "v1" {
                    push(out, format!("{at}/fieldRef/apiVersion"), format!("a file of its {src} uses fieldRef apiVersion `{api}`; only `v1` fields exist"));
                }
            }
            match string_field(fr, "fieldPath") {
                Ok(None) | Ok(Some("")) => push(
                    out,
                    format!("{at}/fieldRef/fieldPath"),
                    format!("a file of its {src} has a fieldRef without `fieldPath`"),
                ),
                Ok(Some(fp)) => {
                    if let Some(why) = volume_field_path_problem(fp) {
                        push(
                            out,
                            format!("{at}/fieldRef/fieldPath"),
                            format!("a file of its {src} has the fieldPath `{fp}`: {why}"),
                        );
                    }
                }
                Err(()) => {}
            }
        }
        (None, Some(rr)) => {
            if missing(rr, "containerName") {
                push(out, format!("{at}/resourceFieldRef/containerName"), format!("a file of its {src} has a resourceFieldRef without `containerName` (required in volumes)"));
            } else {
                match string_field(rr, "resource") {
                    Ok(None) | Ok(Some("")) => push(
                        out,
                        format!("{at}/resourceFieldRef/resource"),
                        format!("a file of its {src} has a resourceFieldRef without `resource`"),
                    ),
                    Ok(Some(r)) => {
                        let hugepages = r.starts_with("limits.hugepages-")
                            || r.starts_with("requests.hugepages-");
                        if !RESOURCE_FIELDS.contains(&r) && !hugepages {
                            push(
                                out,
                                format!("{at}/resourceFieldRef/resource"),
                                format!(
                                    "a file of its {src} names the resource `{r}`, not one of {}",
                                    RESOURCE_FIELDS.join(", ")
                                ),
                            );
                        }
                    }
                    Err(()) => {}
                }
            }
        }
        (None, None) => push(
            out,
            at.to_string(),
            format!("a file of its {src} has neither `fieldRef` nor `resourceFieldRef`"),
        ),
    }
    if let Some(m) = out_of_range(f, "mode", 0, 0o777) {
        push(
            out,
            format!("{at}/mode"),
            format!("a file of its {src} has the file mode {m}, outside 0 to 0777 (511)"),
        );
    }
}

/// Why a downward API volume file may not expose `fp` (`validateObjectFieldSelector` with the
/// volume field set).
pub fn volume_field_path_problem(fp: &str) -> Option<String> {
    if let Some(open) = fp.find("['") {
        if !fp.ends_with("']") || open + 2 > fp.len() - 2 {
            return Some("not a supported field".to_string());
        }
        let (path, sub) = (&fp[..open], &fp[open + 2..fp.len() - 2]);
        return match path {
            "metadata.annotations" => names::qualified_name(&names::go_lower(sub))
                .into_iter()
                .next()
                .map(|e| format!("the annotation key is invalid: {e}")),
            "metadata.labels" => names::qualified_name(sub)
                .into_iter()
                .next()
                .map(|e| format!("the label key is invalid: {e}")),
            _ => Some(format!("`{path}` does not support a subscript")),
        };
    }
    if VOLUME_DOWNWARD_FIELDS.contains(&fp) {
        None
    } else if fp.starts_with("spec.") || fp.starts_with("status.") {
        Some(format!(
            "only {} can be written to a volume (`{fp}` is available to environment variables only)",
            VOLUME_DOWNWARD_FIELDS.join(", ")
        ))
    } else {
        Some(format!("not one of {}", VOLUME_DOWNWARD_FIELDS.join(", ")))
    }
}

fn file_mode(n: &Node, rel: &str, src: &str, out: &mut Vec<VolumeIssue>) {
    if let Some(m) = out_of_range(n, "defaultMode", 0, 0o777) {
        push(out, format!("{rel}/defaultMode"), format!("its {src} has the defaultMode {m}, outside 0 to 0777 (511); write octal modes as `0644` or as decimal `420`"));
    }
}

/// The `projected` source (`validateProjectedVolumeSource`, `validateProjectionSources`).
fn projected_issues(p: &Node, out: &mut Vec<VolumeIssue>) {
    file_mode(p, "/projected", "projected source", out);
    let Some(sources) = p.get("sources").and_then(Node::as_seq) else {
        return;
    };
    let mut paths: BTreeSet<&str> = BTreeSet::new();
    let mut dup: Vec<&str> = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        if s.as_map().is_none() {
            continue;
        }
        let at = format!("/projected/sources/{i}");
        let mut kinds = Vec::new();
        for kind in ["secret", "configMap"] {
            let Some(src) = set_field(s, kind) else {
                continue;
            };
            kinds.push(kind);
            if missing(src, "name") {
                push(
                    out,
                    format!("{at}/{kind}/name"),
                    format!("source {i} of its projected volume: the {kind} has no `name`"),
                );
            }
            let mut sub = Vec::new();
            item_issues(src, kind, &mut sub);
            for issue in sub {
                push(
                    out,
                    format!("{at}{}", issue.rel),
                    format!(
                        "source {i} of its projected volume: {}",
                        issue.what.replacen("its ", "the ", 1)
                    ),
                );
            }
            if let Some(items) = src.get("items").and_then(Node::as_seq) {
                for item in items {
                    if let Ok(Some(p)) = string_field(item, "path") {
                        if !p.is_empty() && !paths.insert(p) {
                            dup.push(p);
                        }
                    }
                }
            }
        }
        if let Some(d) = set_field(s, "downwardAPI") {
            kinds.push("downwardAPI");
            if let Some(items) = d.get("items").and_then(Node::as_seq) {
                for (k, f) in items.iter().enumerate() {
                    downward_file_issues(
                        f,
                        &format!("{at}/downwardAPI/items/{k}"),
                        "projected downwardAPI",
                        out,
                    );
                    if let Ok(Some(p)) = string_field(f, "path") {
                        if !p.is_empty() && !paths.insert(p) {
                            dup.push(p);
                        }
                    }
                }
            }
        }
        if let Some(t) = set_field(s, "serviceAccountToken") {
            kinds.push("serviceAccountToken");
            if let Some(e) = t.get("expirationSeconds").and_then(Node::as_i64) {
                if e < 600 {
                    push(out, format!("{at}/serviceAccountToken/expirationSeconds"), format!("source {i} of its projected volume: a serviceAccountToken expirationSeconds of {e} is less than 10 minutes (600)"));
                } else if e > 1 << 32 {
                    push(out, format!("{at}/serviceAccountToken/expirationSeconds"), format!("source {i} of its projected volume: a serviceAccountToken expirationSeconds of {e} is more than 2^32 seconds"));
                }
            }
            match string_field(t, "path") {
                Ok(None) | Ok(Some("")) => push(
                    out,
                    format!("{at}/serviceAccountToken/path"),
                    format!(
                        "source {i} of its projected volume: the serviceAccountToken has no `path`"
                    ),
                ),
                Ok(Some(p)) => {
                    if let Some(why) = local_non_reserved_path(p) {
                        push(out, format!("{at}/serviceAccountToken/path"), format!("source {i} of its projected volume: the serviceAccountToken path {why}"));
                    }
                }
                Err(()) => {}
            }
        }
        if let Some(c) = set_field(s, "clusterTrustBundle") {
            kinds.push("clusterTrustBundle");
            match string_field(c, "path") {
                Ok(None) | Ok(Some("")) => push(
                    out,
                    format!("{at}/clusterTrustBundle/path"),
                    format!(
                        "source {i} of its projected volume: the clusterTrustBundle has no `path`"
                    ),
                ),
                Ok(Some(p)) => {
                    if let Some(why) = local_non_reserved_path(p) {
                        push(out, format!("{at}/clusterTrustBundle/path"), format!("source {i} of its projected volume: the clusterTrustBundle path {why}"));
                    }
                    if !paths.insert(p) {
                        dup.push(p);
                    }
                }
                Err(()) => {}
            }
        }
        if kinds.len() > 1 {
            push(out, at, format!("source {i} of its projected volume sets more than one kind ({}); each entry of `sources` takes exactly one", kinds.join(", ")));
        }
    }
    for p in dup {
        push(out, "/projected".into(), format!("its projected sources write the path `{p}` more than once (conflicting duplicate paths)"));
    }
}

/// Required string fields of the legacy in-tree sources: (source, field).
const LEGACY_REQUIRED: &[(&str, &str)] = &[
    ("gcePersistentDisk", "pdName"),
    ("awsElasticBlockStore", "volumeID"),
    ("rbd", "image"),
    ("cinder", "volumeID"),
    ("flexVolume", "driver"),
    ("azureFile", "secretName"),
    ("azureFile", "shareName"),
    ("azureDisk", "diskName"),
    ("azureDisk", "diskURI"),
    ("vsphereVolume", "volumePath"),
    ("glusterfs", "endpoints"),
    ("glusterfs", "path"),
    ("gitRepo", "repository"),
    ("iscsi", "targetPortal"),
    ("iscsi", "iqn"),
    ("photonPersistentDisk", "pdID"),
    ("portworxVolume", "volumeID"),
    ("scaleIO", "gateway"),
    ("scaleIO", "system"),
    ("scaleIO", "volumeName"),
    ("storageos", "volumeName"),
    ("quobyte", "registry"),
    ("quobyte", "volume"),
];

/// Azure disk caching modes and kinds (`validateAzureDisk`).
const AZURE_CACHING_MODES: &[&str] = &["None", "ReadOnly", "ReadWrite"];
const AZURE_DISK_KINDS: &[&str] = &["Shared", "Dedicated", "Managed"];

/// The legacy sources with checks beyond a required field.
fn legacy_issues(v: &Node, out: &mut Vec<VolumeIssue>) {
    if let Some(fc) = set_field(v, "fc") {
        let wwns = fc
            .get("targetWWNs")
            .and_then(Node::as_seq)
            .is_some_and(|s| !s.is_empty());
        let wwids = fc
            .get("wwids")
            .and_then(Node::as_seq)
            .is_some_and(|s| !s.is_empty());
        if !wwns && !wwids {
            push(
                out,
                "/fc/targetWWNs".into(),
                "its fc source has neither `targetWWNs` nor `wwids`".into(),
            );
        }
        if wwns && wwids {
            push(
                out,
                "/fc/targetWWNs".into(),
                "its fc source sets both `targetWWNs` and `wwids`".into(),
            );
        }
        if wwns {
            match fc.get("lun").filter(|n| !n.is_null()) {
                None => push(
                    out,
                    "/fc/lun".into(),
                    "its fc source has `targetWWNs` but no `lun`".into(),
                ),
                Some(_) => {
                    if let Some(l) = out_of_range(fc, "lun", 0, 255) {
                        push(
                            out,
                            "/fc/lun".into(),
                            format!("its fc lun {l} is outside 0 to 255"),
                        );
                    }
                }
            }
        }
    }
    if let Some(f) = set_field(v, "flocker") {
        let name = string_field(f, "datasetName").ok().flatten().unwrap_or("");
        let uuid = string_field(f, "datasetUUID").ok().flatten().unwrap_or("");
        if name.is_empty() && uuid.is_empty() {
            push(
                out,
                "/flocker".into(),
                "its flocker source has neither `datasetName` nor `datasetUUID`".into(),
            );
        }
        if !name.is_empty() && !uuid.is_empty() {
            push(
                out,
                "/flocker".into(),
                "its flocker source sets both `datasetName` and `datasetUUID`".into(),
            );
        }
        if name.contains('/') {
            push(
                out,
                "/flocker/datasetName".into(),
                format!("its flocker datasetName `{name}` must not contain `/`"),
            );
        }
    }
    if let Some(s) = set_field(v, "storageos") {
        if let Ok(Some(n)) = string_field(s, "volumeName") {
            if let Some(e) = names::dns1123_label(n).first().filter(|_| !n.is_empty()) {
                push(
                    out,
                    "/storageos/volumeName".into(),
                    format!("its storageos volumeName `{n}` is not a DNS-1123 label: {e}"),
                );
            }
        }
        if let Ok(Some(n)) = string_field(s, "volumeNamespace") {
            if let Some(e) = names::dns1123_label(n).first().filter(|_| !n.is_empty()) {
                push(
                    out,
                    "/storageos/volumeNamespace".into(),
                    format!("its storageos volumeNamespace `{n}` is not a DNS-1123 label: {e}"),
                );
            }
        }
    }
    for src in ["storageos", "cinder"] {
        if let Some(r) = set_field(v, src).and_then(|s| set_field(s, "secretRef")) {
            if missing(r, "name") {
                push(
                    out,
                    format!("/{src}/secretRef/name"),
                    format!("its {src} secretRef has no `name`"),
                );
            }
        }
    }
    if let Some(q) = set_field(v, "quobyte") {
        if let Ok(Some(t)) = string_field(q, "tenant") {
            if t.len() >= 65 {
                push(
                    out,
                    "/quobyte/tenant".into(),
                    "its quobyte tenant is longer than 64 characters".into(),
                );
            }
        }
        if let Ok(Some(r)) = string_field(q, "registry") {
            if !r.is_empty() && r.split(',').any(|hp| !host_port_ok(hp)) {
                push(
                    out,
                    "/quobyte/registry".into(),
                    format!(
                        "its quobyte registry `{r}` must be host:port pairs separated by commas"
                    ),
                );
            }
        }
    }
    if let Some(a) = set_field(v, "azureDisk") {
        if let Ok(Some(c)) = string_field(a, "cachingMode") {
            if !AZURE_CACHING_MODES.contains(&c) {
                push(
                    out,
                    "/azureDisk/cachingMode".into(),
                    format!(
                        "its azureDisk cachingMode `{c}` is not one of {}",
                        AZURE_CACHING_MODES.join(", ")
                    ),
                );
            }
        }
        // v1 defaults an unset kind to `Shared` (a blob disk).
        if let Ok(k) = string_field(a, "kind").map(|k| k.unwrap_or("Shared")) {
            if !AZURE_DISK_KINDS.contains(&k) {
                push(
                    out,
                    "/azureDisk/kind".into(),
                    format!(
                        "its azureDisk kind `{k}` is not one of {}",
                        AZURE_DISK_KINDS.join(", ")
                    ),
                );
            } else {
                let uri = string_field(a, "diskURI").ok().flatten().unwrap_or("");
                let managed = k == "Managed";
                if managed && !uri.starts_with("/subscriptions/") {
                    push(
                        out,
                        "/azureDisk/diskURI".into(),
                        "its managed azureDisk diskURI must start with `/subscriptions/`".into(),
                    );
                }
                if !managed && !uri.starts_with("https://") {
                    push(
                        out,
                        "/azureDisk/diskURI".into(),
                        "its azureDisk diskURI must start with `https://` for a blob disk".into(),
                    );
                }
            }
        }
    }
}

/// `net.SplitHostPort` accepts it: `host:port`, `[v6]:port`, a single colon outside brackets.
fn host_port_ok(hp: &str) -> bool {
    if let Some(rest) = hp.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let after = &rest[end + 1..];
        return after.starts_with(':') && !rest[..end].contains('[') && !after[1..].contains(':');
    }
    hp.matches(':').count() == 1 && !hp.contains('[') && !hp.contains(']')
}

/// Source-specific faults of the sources this module covers, appended to `out`.
pub fn source_issues(v: &Node, out: &mut Vec<VolumeIssue>) {
    // Every check below starts from a source the volume sets (`set_field(v, …)`): a volume
    // whose keys are all among those never looked at here (a claim's, say) has no issue here,
    // and its ~40 lookups are skipped.
    const NOT_LOOKED_AT: &[&str] = &[
        "name",
        "persistentVolumeClaim",
        "emptyDir",
        "hostPath",
        "configMap",
        "secret",
        "ephemeral",
    ];
    if v.as_map()
        .is_none_or(|m| m.iter().all(|e| NOT_LOOKED_AT.contains(&e.key.as_str())))
    {
        return;
    }
    for (src, key) in LEGACY_REQUIRED {
        if let Some(s) = set_field(v, src) {
            if missing(s, key) {
                push(
                    out,
                    format!("/{src}/{key}"),
                    format!("its {src} source has no `{key}`"),
                );
            }
        }
    }
    legacy_issues(v, out);
    for src in ["rbd", "cephfs"] {
        if let Some(s) = set_field(v, src) {
            if s.get("monitors")
                .and_then(Node::as_seq)
                .is_none_or(<[Node]>::is_empty)
            {
                push(
                    out,
                    format!("/{src}/monitors"),
                    format!("its {src} source has no `monitors`"),
                );
            }
        }
    }
    for src in ["gcePersistentDisk", "awsElasticBlockStore"] {
        if let Some(s) = set_field(v, src) {
            if let Some(p) = out_of_range(s, "partition", 0, 255) {
                push(
                    out,
                    format!("/{src}/partition"),
                    format!("its {src} partition {p} is outside 0 to 255"),
                );
            }
        }
    }
    if let Some(c) = set_field(v, "csi") {
        match string_field(c, "driver") {
            Ok(None) | Ok(Some("")) => push(
                out,
                "/csi/driver".into(),
                "its csi source has no `driver`".into(),
            ),
            Ok(Some(d)) => {
                if let Some(e) = csi_driver_name(d).first() {
                    push(
                        out,
                        "/csi/driver".into(),
                        format!("its csi driver `{d}` is not a valid driver name: {e}"),
                    );
                }
            }
            Err(()) => {}
        }
        if let Some(r) = set_field(c, "nodePublishSecretRef") {
            match string_field(r, "name") {
                Ok(None) | Ok(Some("")) => push(
                    out,
                    "/csi/nodePublishSecretRef/name".into(),
                    "its csi nodePublishSecretRef has no `name`".into(),
                ),
                Ok(Some(n)) => {
                    if let Some(e) = names::dns1123_subdomain(n).first() {
                        push(out, "/csi/nodePublishSecretRef/name".into(), format!("its csi nodePublishSecretRef names `{n}`, not a valid Secret name: {e}"));
                    }
                }
                Err(()) => {}
            }
        }
    }
    if let Some(i) = set_field(v, "iscsi") {
        if let Ok(Some(iqn)) = string_field(i, "iqn") {
            if !iqn.is_empty() {
                if let Some(why) = iscsi_name_problem(iqn) {
                    push(
                        out,
                        "/iscsi/iqn".into(),
                        format!("its iscsi iqn `{iqn}` {why}"),
                    );
                }
            }
        }
        if let Some(l) = out_of_range(i, "lun", 0, 255) {
            push(
                out,
                "/iscsi/lun".into(),
                format!("its iscsi lun {l} is outside 0 to 255"),
            );
        }
        if (is_true(i, "chapAuthDiscovery") || is_true(i, "chapAuthSession"))
            && set_field(i, "secretRef").is_none()
        {
            push(
                out,
                "/iscsi/secretRef".into(),
                "its iscsi source turns on CHAP authentication without a `secretRef`".into(),
            );
        }
        if let Ok(Some(init)) = string_field(i, "initiatorName") {
            if let Some(why) = iscsi_name_problem(init) {
                push(
                    out,
                    "/iscsi/initiatorName".into(),
                    format!("its iscsi initiatorName `{init}` {why}"),
                );
            }
        }
    }
    if let Some(g) = set_field(v, "gitRepo") {
        if let Ok(Some(d)) = string_field(g, "directory") {
            if let Some(why) = local_descending_path(d) {
                push(
                    out,
                    "/gitRepo/directory".into(),
                    format!("its gitRepo directory {why}"),
                );
            }
        }
    }
    if let Some(d) = set_field(v, "downwardAPI") {
        file_mode(d, "/downwardAPI", "downwardAPI source", out);
        if let Some(items) = d.get("items").and_then(Node::as_seq) {
            for (k, f) in items.iter().enumerate() {
                downward_file_issues(
                    f,
                    &format!("/downwardAPI/items/{k}"),
                    "downwardAPI source",
                    out,
                );
            }
        }
    }
    if let Some(p) = set_field(v, "projected") {
        projected_issues(p, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csi_driver_names() {
        assert!(csi_driver_name("secrets-store.csi.k8s.io").is_empty());
        assert!(csi_driver_name("ebs.csi.aws.com").is_empty());
        assert!(csi_driver_name("Disk.CSI.Azure.com").is_empty());
        assert!(csi_driver_name("x").is_empty());
        assert!(!csi_driver_name("Secrets Store").is_empty());
        assert!(!csi_driver_name("a-").is_empty());
        assert!(!csi_driver_name("csi_driver").is_empty());
        assert!(!csi_driver_name(&"a".repeat(64)).is_empty());
    }

    #[test]
    fn host_ports() {
        assert!(host_port_ok("registry:7861"));
        assert!(host_port_ok("[::1]:7861"));
        assert!(!host_port_ok("registry"));
        assert!(!host_port_ok("::1:7861"));
    }

    #[test]
    fn iscsi_names() {
        assert_eq!(
            iscsi_name_problem("iqn.2001-04.com.example:storage.disk1"),
            None
        );
        assert!(iscsi_name_problem("iqn.2001-04.com.example").is_some());
        assert!(iscsi_name_problem("target1").is_some());
        assert_eq!(iscsi_name_problem("eui.02004567A425678D"), None);
        assert!(iscsi_name_problem("eui.123").is_some());
        assert_eq!(
            iscsi_name_problem("iqn.2003-01.org.linux-iscsi.host:sn.a1b2"),
            None
        );
        assert!(iscsi_name_problem("iqn.2001-04.com.example:disk 1").is_some());
        assert!(iscsi_name_problem("iqn.2001-04.com.example:").is_some());
        assert!(iscsi_name_problem("iqn.2001-4.com.example:disk").is_some());
        assert_eq!(
            iscsi_name_problem("iqnx iqn.2001-04.com.example:disk"),
            None
        );
        // linear: a long name full of prefixes and colons finishes at once
        let long = "iqn.2001-04.".repeat(50_000) + &":".repeat(50_000);
        assert_eq!(iscsi_name_problem(&long), None);
    }

    #[test]
    fn non_reserved_paths() {
        assert!(local_non_reserved_path("a/b").is_none());
        assert!(local_non_reserved_path("..data/x").is_some());
        assert!(local_non_reserved_path("../x").is_some());
        assert!(local_non_reserved_path("/x").is_some());
        assert!(local_non_reserved_path("a..b").is_none());
    }

    #[test]
    fn downward_field_paths() {
        assert!(volume_field_path_problem("metadata.labels").is_none());
        assert!(volume_field_path_problem("metadata.labels['app']").is_none());
        assert!(volume_field_path_problem("spec.nodeName").is_some());
        assert!(volume_field_path_problem("metadata.name['x']").is_some());
    }
}
