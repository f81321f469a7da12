//! `normalize`: safe fixes, quantities in the canonical form the API server stores, and
//! (on request) the defaults the API server fills in — so that what is written equals what
//! the cluster stores and GitOps tools see no drift.

use serde_json::{json, Map, Value as J};

use crate::diagnostic::TextEdit;
use crate::engine::{fix_text, lint_text, AppliedFix, FixOutcome, Options};
use crate::fix;
use crate::model::quantity::{parse_number_text, Quantity};
use crate::patch::PatchOp;
use crate::source::{escape_pointer_segment, parse_stream, Node, Style, Value};

mod workloads;
pub use workloads::default_workload;

/// Normalises one text: safe fixes, then canonical quantities and (with `with_defaults`) the
/// API server's defaults. Server-owned fields (`status`, `creationTimestamp`) are never written.
pub fn normalize_text(
    path: &str,
    text: &str,
    options: &Options,
    with_defaults: bool,
) -> FixOutcome {
    normalize_with(path, text, options, with_defaults, true)
}

/// As [`normalize_text`]; `apply_fixes: false` only rewrites quantities and writes defaults,
/// which is exactly what the API server does to an accepted object.
pub fn normalize_with(
    path: &str,
    text: &str,
    options: &Options,
    with_defaults: bool,
    apply_fixes: bool,
) -> FixOutcome {
    let safe = Options {
        unsafe_fixes: false,
        rules: if apply_fixes {
            options.rules.clone()
        } else {
            let mut r = options.rules.clone();
            r.disabled
                .extend(crate::registry::all().iter().map(|m| m.code));
            r
        },
        ..options.clone()
    };
    let mut out = fix_text(path, text, &safe);
    let stream = parse_stream(&out.output, &options.limits);
    if stream.errors().next().is_some() {
        return out;
    }
    let mut edits: Vec<TextEdit> = Vec::new();
    for doc in &stream.documents {
        let root = &doc.root;
        let kind = root.str_at(&["kind"]).unwrap_or("");
        let items = root.get("items").and_then(Node::as_seq);
        let objects: Vec<(String, &Node)> = match items {
            Some(items) if kind.ends_with("List") => items
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("/items/{i}"), n))
                .collect(),
            _ => vec![(String::new(), root)],
        };
        let mut ops = Vec::new();
        for (base, obj) in objects {
            let api = obj.str_at(&["apiVersion"]).unwrap_or("");
            let k = obj.str_at(&["kind"]).unwrap_or("");
            let workload = crate::model::workload::WorkloadKind::of(api, k);
            let is_pvc = api == "v1" && k == "PersistentVolumeClaim";
            if workload.is_none() && !is_pvc {
                continue;
            }
            quantities(&out.output, obj, &base, &mut edits, &mut ops, 0);
            if with_defaults {
                let mut want = obj.to_json();
                match workload {
                    Some(kind) => workloads::default_workload(kind, &mut want),
                    None => default_claim(&mut want),
                }
                additions(&out.output, obj, &want, &base, &mut edits, &mut ops);
            }
        }
        if !ops.is_empty() {
            out.applied.push(AppliedFix {
                code: "normalize",
                title: if with_defaults {
                    "Canonical quantities and API-server defaults".into()
                } else {
                    "Canonical quantities".into()
                },
                document: doc.index,
                applicability: crate::Applicability::Safe,
                patch: ops.clone(),
            });
            out.patches.entry(doc.index).or_default().extend(ops);
        }
    }
    if edits.is_empty() {
        return out;
    }
    let edits: Vec<&TextEdit> = edits.iter().collect();
    let (next, _) = crate::fix::apply_edits(&out.output, &edits);
    out.remaining = lint_text(path, &next, options);
    out.output = next;
    out
}

/// Rewrites every quantity whose stored form differs from what is written.
fn quantities(
    text: &str,
    node: &Node,
    path: &str,
    edits: &mut Vec<TextEdit>,
    ops: &mut Vec<PatchOp>,
    depth: usize,
) {
    if depth > 64 || node.copied {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            if fix::has_duplicate_keys(node) {
                return;
            }
            for e in entries {
                let p = format!("{path}/{}", escape_pointer_segment(&e.key));
                if crate::model::fields::is_quantity_path(&p) {
                    let (q, written_as_string) = match &e.value.value {
                        Value::Str(s) => (Quantity::parse(s).ok(), Some(s.as_str())),
                        Value::Int(_) | Value::Float(_) => {
                            let t = text.get(e.value.span.start..e.value.span.end).unwrap_or("");
                            (
                                parse_number_text(&e.value.to_json().to_string())
                                    .ok()
                                    .or_else(|| parse_number_text(t).ok()),
                                None,
                            )
                        }
                        Value::Null => (Some(Quantity::zero()), None),
                        _ => (None, None),
                    };
                    if let Some(q) = q {
                        let canon = q.canonical();
                        if written_as_string != Some(canon.as_str()) {
                            let replacement = match e.value.style {
                                Style::DoubleQuoted => fix::json_string(&canon),
                                Style::SingleQuoted => format!("'{canon}'"),
                                _ => fix::yaml_string(&canon),
                            };
                            let edit = if e.value.style == Style::Implicit {
                                replace_value(text, e, &J::String(canon.clone()))
                            } else {
                                Some(TextEdit::replace(e.value.span, replacement))
                            };
                            if let (Some(edit), false) = (edit, e.merged) {
                                edits.push(edit);
                                ops.push(PatchOp::Replace {
                                    path: p.clone(),
                                    value: J::String(canon),
                                });
                            }
                        }
                    }
                    continue;
                }
                quantities(text, &e.value, &p, edits, ops, depth + 1);
            }
        }
        Value::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                quantities(text, it, &format!("{path}/{i}"), edits, ops, depth + 1);
            }
        }
        _ => {}
    }
}

fn obj_mut<'a>(v: &'a mut J, key: &str) -> Option<&'a mut Map<String, J>> {
    v.get_mut(key).and_then(J::as_object_mut)
}

fn set_default(m: &mut Map<String, J>, key: &str, value: J) {
    match m.get(key) {
        None | Some(J::Null) => {
            m.insert(key.to_string(), value);
        }
        _ => {}
    }
}

/// The API server's defaults for apps/v1 StatefulSet (SetDefaults_StatefulSet and the pod
/// template's SetDefaults_PodSpec / _Container / volume sources), as of Kubernetes 1.32.
pub fn default_statefulset(v: &mut J) {
    let Some(spec) = obj_mut(v, "spec") else {
        return;
    };
    set_default(spec, "replicas", json!(1));
    set_default(spec, "podManagementPolicy", json!("OrderedReady"));
    set_default(spec, "revisionHistoryLimit", json!(10));
    set_default(spec, "updateStrategy", json!({}));
    if let Some(us) = spec.get_mut("updateStrategy").and_then(J::as_object_mut) {
        set_default(us, "type", json!("RollingUpdate"));
        if us.get("type") == Some(&json!("RollingUpdate")) {
            set_default(us, "rollingUpdate", json!({}));
            if let Some(ru) = us.get_mut("rollingUpdate").and_then(J::as_object_mut) {
                set_default(ru, "partition", json!(0));
            }
        }
    }
    set_default(spec, "persistentVolumeClaimRetentionPolicy", json!({}));
    if let Some(p) = spec
        .get_mut("persistentVolumeClaimRetentionPolicy")
        .and_then(J::as_object_mut)
    {
        for k in ["whenDeleted", "whenScaled"] {
            if matches!(p.get(k), None | Some(J::Null)) || p.get(k) == Some(&json!("")) {
                p.insert(k.into(), json!("Retain"));
            }
        }
    }
    if let Some(pod) = spec
        .get_mut("template")
        .and_then(|t| t.get_mut("spec"))
        .and_then(J::as_object_mut)
    {
        default_pod_spec(pod);
    }
    if let Some(tpls) = spec
        .get_mut("volumeClaimTemplates")
        .and_then(J::as_array_mut)
    {
        for t in tpls.iter_mut() {
            if t.is_null() {
                *t = json!({});
            }
            if let Some(t) = t.as_object_mut() {
                set_default(t, "spec", json!({}));
            }
            if let Some(s) = t.get_mut("spec").and_then(J::as_object_mut) {
                set_default(s, "volumeMode", json!("Filesystem"));
            }
        }
    }
}

/// The API server's defaults for a v1 PersistentVolumeClaim.
pub fn default_claim(v: &mut J) {
    if let Some(spec) = obj_mut(v, "spec") {
        set_default(spec, "volumeMode", json!("Filesystem"));
    }
}

fn default_pod_spec(pod: &mut Map<String, J>) {
    set_default(pod, "restartPolicy", json!("Always"));
    set_default(pod, "terminationGracePeriodSeconds", json!(30));
    set_default(pod, "dnsPolicy", json!("ClusterFirst"));
    set_default(pod, "securityContext", json!({}));
    set_default(pod, "schedulerName", json!("default-scheduler"));
    for list in ["containers", "initContainers"] {
        if let Some(cs) = pod.get_mut(list).and_then(J::as_array_mut) {
            for c in cs.iter_mut().filter_map(J::as_object_mut) {
                default_container(c);
            }
        }
    }
    if let Some(vols) = pod.get_mut("volumes").and_then(J::as_array_mut) {
        for v in vols.iter_mut().filter_map(J::as_object_mut) {
            default_volume(v);
        }
    }
}

fn default_volume(v: &mut Map<String, J>) {
    if !crate::model::volumes::VOLUME_SOURCES
        .iter()
        .any(|s| v.get(*s).is_some_and(|x| !x.is_null()))
    {
        v.insert("emptyDir".into(), json!({}));
    }
    // SetDefaults_PersistentVolumeClaimSpec also runs on a generic ephemeral volume's claim.
    if let Some(s) = v
        .get_mut("ephemeral")
        .and_then(|e| e.get_mut("volumeClaimTemplate"))
        .and_then(|t| t.get_mut("spec"))
        .and_then(J::as_object_mut)
    {
        set_default(s, "volumeMode", json!("Filesystem"));
    }
    for src in ["configMap", "secret", "downwardAPI", "projected"] {
        if let Some(s) = v.get_mut(src).and_then(J::as_object_mut) {
            set_default(s, "defaultMode", json!(420));
        }
    }
    if let Some(items) = v
        .get_mut("downwardAPI")
        .and_then(|d| d.get_mut("items"))
        .and_then(J::as_array_mut)
    {
        for it in items.iter_mut() {
            if let Some(f) = it.get_mut("fieldRef").and_then(J::as_object_mut) {
                set_default(f, "apiVersion", json!("v1"));
            }
        }
    }
}

fn default_probe(p: &mut Map<String, J>) {
    set_default(p, "timeoutSeconds", json!(1));
    set_default(p, "periodSeconds", json!(10));
    set_default(p, "successThreshold", json!(1));
    set_default(p, "failureThreshold", json!(3));
    if let Some(h) = p.get_mut("httpGet").and_then(J::as_object_mut) {
        set_default(h, "scheme", json!("HTTP"));
    }
}

fn default_container(c: &mut Map<String, J>) {
    let image = c.get("image").and_then(J::as_str).unwrap_or("").to_string();
    let policy = if image_is_latest(&image) {
        "Always"
    } else {
        "IfNotPresent"
    };
    set_default(c, "imagePullPolicy", json!(policy));
    set_default(c, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(c, "terminationMessagePolicy", json!("File"));
    set_default(c, "resources", json!({}));
    if let Some(ports) = c.get_mut("ports").and_then(J::as_array_mut) {
        for p in ports.iter_mut().filter_map(J::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe).and_then(J::as_object_mut) {
            default_probe(p);
        }
    }
    if let Some(env) = c.get_mut("env").and_then(J::as_array_mut) {
        for e in env.iter_mut() {
            if let Some(f) = e
                .get_mut("valueFrom")
                .and_then(|v| v.get_mut("fieldRef"))
                .and_then(J::as_object_mut)
            {
                set_default(f, "apiVersion", json!("v1"));
            }
        }
    }
}

/// `Always` when the image has no tag or the tag `latest` (and no digest), as the API server decides.
fn image_is_latest(image: &str) -> bool {
    if image.is_empty() || image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

/// Text edits and patch operations that add the keys `want` has and `node` lacks.
fn additions(
    text: &str,
    node: &Node,
    want: &J,
    path: &str,
    edits: &mut Vec<TextEdit>,
    ops: &mut Vec<PatchOp>,
) {
    if node.copied {
        return;
    }
    match (&node.value, want) {
        (Value::Map(entries), J::Object(w)) => {
            if fix::has_duplicate_keys(node) {
                return;
            }
            let mut missing = Vec::new();
            for (k, v) in w {
                match entries.iter().find(|e| &e.key == k) {
                    Some(e) => {
                        let p = format!("{path}/{}", escape_pointer_segment(k));
                        if e.value.is_null()
                            || (e.value.as_str() == Some("")
                                && v.as_str().is_some_and(|s| !s.is_empty()))
                        {
                            // `key:` / `key: ""` that defaulting fills in
                            if let (Some(edit), false) = (replace_value(text, e, v), e.merged) {
                                edits.push(edit);
                                ops.push(PatchOp::Replace {
                                    path: p,
                                    value: v.clone(),
                                });
                            }
                        } else {
                            additions(text, &e.value, v, &p, edits, ops);
                        }
                    }
                    None => missing.push((k.as_str(), v)),
                }
            }
            if !missing.is_empty() {
                if let Some(edit) = add_entries(text, node, &missing) {
                    edits.push(edit);
                    for (k, v) in missing {
                        ops.push(PatchOp::Add {
                            path: format!("{path}/{}", escape_pointer_segment(k)),
                            value: v.clone(),
                        });
                    }
                }
            }
        }
        (Value::Seq(items), J::Array(w)) => {
            for (i, (n, v)) in items.iter().zip(w).enumerate() {
                let p = format!("{path}/{i}");
                if n.is_null() && !v.is_null() && matches!(n.style, Style::Plain) {
                    // a written `null` item that defaulting turns into an object
                    let json = text.as_bytes().get(n.span.start) == Some(&b'n')
                        && node.style == Style::Flow
                        && fix::is_json_style(text, node);
                    edits.push(TextEdit::replace(n.span, render_flow(v, json)));
                    ops.push(PatchOp::Replace {
                        path: p,
                        value: v.clone(),
                    });
                    continue;
                }
                additions(text, n, v, &p, edits, ops);
            }
        }
        _ => {}
    }
}

fn replace_value(text: &str, e: &crate::source::Entry, v: &J) -> Option<TextEdit> {
    let inline = render_flow(v, false);
    if e.value.style == Style::Implicit {
        return Some(TextEdit::insert(
            crate::fix::after_key_colon(text, e)?,
            format!(" {inline}"),
        ));
    }
    Some(TextEdit::replace(e.value.span, inline))
}

/// Renders a value on one line, in YAML flow style or JSON.
fn render_flow(v: &J, json: bool) -> String {
    match v {
        J::String(s) => {
            if json {
                fix::json_string(s)
            } else {
                fix::yaml_string(s)
            }
        }
        J::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    let key = if json {
                        fix::json_string(k)
                    } else {
                        fix::yaml_string(k)
                    };
                    format!("{key}: {}", render_flow(x, json))
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        J::Array(a) => format!(
            "[{}]",
            a.iter()
                .map(|x| render_flow(x, json))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Renders `key: value` lines in block style at `indent` (nested maps as blocks).
fn render_block(key: &str, v: &J, indent: usize, nl: &str, out: &mut String) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&fix::yaml_string(key));
    out.push(':');
    match v {
        J::Object(m) if !m.is_empty() => {
            out.push_str(nl);
            for (k, x) in m {
                render_block(k, x, indent + 2, nl, out);
            }
        }
        other => {
            out.push(' ');
            out.push_str(&render_flow(other, false));
            out.push_str(nl);
        }
    }
}

fn add_entries(text: &str, map: &Node, items: &[(&str, &J)]) -> Option<TextEdit> {
    let entries = map.as_map()?;
    match map.style {
        Style::Flow => {
            let json = fix::is_json_style(text, map);
            let close = map.span.end.checked_sub(1)?;
            if text.as_bytes().get(close) != Some(&b'}') {
                return None;
            }
            let parts: Vec<String> = items
                .iter()
                .map(|(k, v)| {
                    let key = if json {
                        fix::json_string(k)
                    } else {
                        fix::yaml_string(k)
                    };
                    format!("{key}: {}", render_flow(v, json))
                })
                .collect();
            let sep = if entries.is_empty() { "" } else { ", " };
            let at = entries
                .iter()
                .rfind(|e| !e.merged)
                .map_or(close, |e| e.value.span.end.max(e.key_span.end));
            Some(TextEdit::insert(at, format!("{sep}{}", parts.join(", "))))
        }
        Style::Block => {
            // Entries merged in with `<<` are written elsewhere (under the anchor): place the
            // new keys after the mapping's own entries.
            let own = || entries.iter().filter(|e| !e.merged);
            let first = own().next()?;
            let last = own().next_back()?;
            let indent = fix::column(text, first.key_span.start);
            let nl = fix::newline(text);
            let end = last.value.span.end.max(last.key_span.end);
            let at = fix::line_end(text, end.saturating_sub(1).max(last.key_span.start));
            let mut s = String::new();
            if at == text.len() && !text.ends_with('\n') {
                s.push_str(nl);
            }
            for (k, v) in items {
                render_block(k, v, indent, nl, &mut s);
            }
            Some(TextEdit::insert(at, s))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert!(image_is_latest("nginx"));
        assert!(image_is_latest("nginx:latest"));
        assert!(image_is_latest("registry:5000/nginx"));
        assert!(!image_is_latest("registry:5000/nginx:1.2"));
        assert!(!image_is_latest("nginx@sha256:abc"));
    }
}
