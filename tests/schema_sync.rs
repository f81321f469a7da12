//! Keeps `schemas/*.schema.json` in sync with the Kubernetes API types of
//! k8s-openapi (feature `v1_37`).
//!
//! The schemas are generated from the Rust types with schemars and then
//! post-processed into strict, compact validation schemas. `src/schema.rs`
//! compiles the committed files into validators at build time; this test
//! regenerates them in memory and fails when the committed files differ.
//!
//! Regenerate with: `CLAIMCHECK_BLESS=1 cargo test --test schema_sync`

use std::path::PathBuf;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, PodTemplate, ReplicationController};
use serde_json::{json, Map, Value};

/// Keywords whose value is a map from names to subschemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "$defs",
    "definitions",
    "properties",
    "patternProperties",
    "dependentSchemas",
];
/// Keywords whose value is a single subschema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "additionalProperties",
    "items",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Keywords whose value is an array of subschemas.
const SCHEMA_ARRAY_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Annotation and bookkeeping keywords that play no part in validation here.
/// `required` is left to the lint rules, which know Kubernetes' defaulting.
const DROPPED_KEYWORDS: &[&str] = &["description", "format", "required", "title"];

/// In-tree volume sources of storage systems that Kubernetes no longer supports in-tree.
const LEGACY_VOLUME_SOURCES: &[&str] = &[
    "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource",
    "io.k8s.api.core.v1.AzureDiskVolumeSource",
    "io.k8s.api.core.v1.AzureFileVolumeSource",
    "io.k8s.api.core.v1.CephFSVolumeSource",
    "io.k8s.api.core.v1.CinderVolumeSource",
    "io.k8s.api.core.v1.FCVolumeSource",
    "io.k8s.api.core.v1.FlexVolumeSource",
    "io.k8s.api.core.v1.FlockerVolumeSource",
    "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource",
    "io.k8s.api.core.v1.GitRepoVolumeSource",
    "io.k8s.api.core.v1.GlusterfsVolumeSource",
    "io.k8s.api.core.v1.ISCSIVolumeSource",
    "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource",
    "io.k8s.api.core.v1.PortworxVolumeSource",
    "io.k8s.api.core.v1.QuobyteVolumeSource",
    "io.k8s.api.core.v1.RBDVolumeSource",
    "io.k8s.api.core.v1.ScaleIOVolumeSource",
    "io.k8s.api.core.v1.StorageOSVolumeSource",
    "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource",
];

/// Definitions whose generated schema is replaced wholesale, keyed by the
/// Kubernetes type name used in `$defs`.
fn replaced_definition(name: &str) -> Option<Value> {
    match name {
        // The API server accepts JSON numbers for quantities as well as strings.
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => {
            Some(json!({"type": ["string", "number"]}))
        }
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => {
            Some(json!({"type": ["string", "integer"]}))
        }
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
        | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => Some(json!({"type": "string"})),
        // Arbitrary embedded objects.
        "io.k8s.apimachinery.pkg.runtime.RawExtension" => Some(json!({})),
        // Ephemeral containers cannot be set when a pod or a template is created (CC112 says
        // so); their schema, a near copy of Container's, would only cost module size.
        "io.k8s.api.core.v1.EphemeralContainer" => Some(json!({"type": "object"})),
        // The legacy in-tree volume plugins (deprecated, most of them removed from the kubelet
        // or migrated to CSI drivers): only checked to be objects, for module size.
        name if LEGACY_VOLUME_SOURCES.contains(&name) => Some(json!({"type": "object"})),
        _ => None,
    }
}

fn is_dropped(keyword: &str) -> bool {
    DROPPED_KEYWORDS.contains(&keyword) || keyword.starts_with("x-kubernetes-")
}

/// Rewrites one schema in place (recursively). Only keys in keyword position
/// are dropped, never property names (a property may well be called `type`
/// or `format`).
fn strictify(schema: &mut Value) {
    let Value::Object(obj) = schema else {
        return;
    };
    obj.retain(|k, _| !is_dropped(k));
    for (keyword, value) in obj.iter_mut() {
        let keyword = keyword.as_str();
        if SCHEMA_MAP_KEYWORDS.contains(&keyword) {
            if let Value::Object(map) = value {
                for (name, sub) in map.iter_mut() {
                    match (keyword, replaced_definition(name)) {
                        ("$defs" | "definitions", Some(replacement)) => *sub = replacement,
                        _ => strictify(sub),
                    }
                }
            }
        } else if SCHEMA_KEYWORDS.contains(&keyword) {
            strictify(value);
        } else if SCHEMA_ARRAY_KEYWORDS.contains(&keyword) {
            if let Value::Array(items) = value {
                items.iter_mut().for_each(strictify);
            }
        }
    }
    // kubectl's default (strict) field validation rejects unknown fields.
    if obj.contains_key("properties") && !obj.contains_key("additionalProperties") {
        obj.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
}

/// Rebuilds every object with its keys in sorted order, so the output does not
/// depend on whether serde_json's `preserve_order` feature is enabled.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(obj) => {
            let mut entries: Vec<(String, Value)> = obj.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = Map::new();
            for (k, v) in entries {
                out.insert(k, sorted(v));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn render(value: Value) -> String {
    let mut text = serde_json::to_string(&sorted(value)).expect("schema serialises");
    text.push('\n');
    text
}

/// The kinds claimcheck validates, each with the name its root schema gets in `$defs`.
fn kinds() -> Vec<(&'static str, &'static str, schemars::Schema)> {
    vec![
        (
            "StatefulSet",
            "io.k8s.api.apps.v1.StatefulSet",
            schemars::schema_for!(StatefulSet),
        ),
        (
            "Deployment",
            "io.k8s.api.apps.v1.Deployment",
            schemars::schema_for!(Deployment),
        ),
        (
            "ReplicaSet",
            "io.k8s.api.apps.v1.ReplicaSet",
            schemars::schema_for!(ReplicaSet),
        ),
        (
            "DaemonSet",
            "io.k8s.api.apps.v1.DaemonSet",
            schemars::schema_for!(DaemonSet),
        ),
        ("Job", "io.k8s.api.batch.v1.Job", schemars::schema_for!(Job)),
        (
            "CronJob",
            "io.k8s.api.batch.v1.CronJob",
            schemars::schema_for!(CronJob),
        ),
        (
            "ReplicationController",
            "io.k8s.api.core.v1.ReplicationController",
            schemars::schema_for!(ReplicationController),
        ),
        ("Pod", "io.k8s.api.core.v1.Pod", schemars::schema_for!(Pod)),
        (
            "PodTemplate",
            "io.k8s.api.core.v1.PodTemplate",
            schemars::schema_for!(PodTemplate),
        ),
        (
            "PersistentVolumeClaim",
            "io.k8s.api.core.v1.PersistentVolumeClaim",
            schemars::schema_for!(PersistentVolumeClaim),
        ),
    ]
}

/// The kinds whose `status` is validated in full (as before the other kinds were added).
const STATUS_CHECKED: &[&str] = &["PersistentVolumeClaim"];

/// The definitions reachable by `$ref` from `roots`, in the original order.
fn reachable(defs: Map<String, Value>, roots: &Map<String, Value>) -> Map<String, Value> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(obj) => {
                for (k, sub) in obj {
                    match (k.as_str(), sub) {
                        ("$ref", Value::String(r)) => {
                            if let Some(name) = r.strip_prefix("#/$defs/") {
                                out.push(name.to_owned());
                            }
                        }
                        _ => refs(sub, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = Vec::new();
    roots.values().for_each(|r| refs(r, &mut todo));
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            if let Some(def) = defs.get(&name) {
                refs(def, &mut todo);
            }
        }
    }
    defs.into_iter().filter(|(k, _)| seen.contains(k)).collect()
}

/// One schema for every kind: the definitions (PodSpec, ObjectMeta, …) appear once and are
/// shared, and the root has one property per kind, `{"Deployment": {"$ref": …}}`, so that a
/// validator compiled from it validates `{<kind>: object}` (`src/schema.rs` wraps the
/// instance that way and strips the first pointer segment from every error).
fn combined() -> Value {
    let mut defs = Map::new();
    let mut roots = Map::new();
    for (kind, def_name, schema) in kinds() {
        let Value::Object(mut root) = schema.to_value() else {
            panic!("{kind}: schema is not an object");
        };
        if let Some(Value::Object(sub)) = root.remove("$defs") {
            for (name, def) in sub {
                let mut def = def;
                if let Value::Object(d) = &mut def {
                    d.remove("title");
                }
                if let Some(existing) = defs.get(&name) {
                    assert_eq!(existing, &def, "{kind}: definition {name} differs");
                }
                defs.insert(name, def);
            }
        }
        root.remove("$schema");
        root.remove("title");
        // A workload's status is only checked to be an object: the API server resets it on
        // create, manifests rarely carry it, and its types (PodStatus, ContainerStatus,
        // JobStatus, …) would cost the browser module ~6 KB gzipped. A PVC's status stays:
        // it is the same definition as a claim template's, whose status CC218 explains.
        if !STATUS_CHECKED.contains(&kind) {
            if let Some(Value::Object(props)) = root.get_mut("properties") {
                props.insert("status".to_owned(), json!({"type": "object"}));
            }
        }
        // A kind may already be a definition of another (a claim template is a PVC).
        let root = Value::Object(root);
        if let Some(existing) = defs.get(def_name) {
            assert_eq!(existing, &root, "{kind}: definition {def_name} differs");
        }
        defs.insert(def_name.to_owned(), root);
        roots.insert(
            kind.to_owned(),
            json!({"$ref": format!("#/$defs/{def_name}")}),
        );
    }
    let defs = reachable(defs, &roots);
    let mut value = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": roots,
        "$defs": defs,
    });
    strictify(&mut value);
    value
}

fn generated() -> Vec<(&'static str, String)> {
    vec![("kubernetes.schema.json", render(combined()))]
}

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

#[test]
fn committed_schemas_match_k8s_openapi() {
    let bless = std::env::var_os("CLAIMCHECK_BLESS").is_some_and(|v| v == "1");
    let dir = schema_dir();
    let mut stale = Vec::new();
    for (name, text) in generated() {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).expect("create schemas/");
            std::fs::write(&path, &text).expect("write schema");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == text => {}
            Ok(_) => stale.push(format!("{} differs", path.display())),
            Err(e) => stale.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "schemas are out of date with k8s-openapi ({}); regenerate with \
         `CLAIMCHECK_BLESS=1 cargo test --test schema_sync`",
        stale.join("; ")
    );
}

/// The keywords `src/schema.rs` interprets (plus the root's `$schema` and `$defs`).
const WALKED_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "items",
    "$schema",
    "$defs",
];

/// Checks the post-processing itself, so a regenerated schema cannot silently
/// lose strictness.
#[test]
fn generated_schemas_are_strict() {
    fn walk(v: &Value, problems: &mut Vec<String>, path: &str) {
        match v {
            Value::Object(obj) => {
                if obj.contains_key("properties")
                    && obj.get("additionalProperties") != Some(&Value::Bool(false))
                {
                    problems.push(format!("{path}: object with properties is not closed"));
                }
                for (k, sub) in obj {
                    let in_names = path.ends_with("/properties") || path.ends_with("/$defs");
                    if !in_names && is_dropped(k) {
                        problems.push(format!("{path}: kept keyword {k}"));
                    }
                    // src/schema.rs validates with a walk that knows these keywords only.
                    if !in_names
                        && !path.ends_with("/type")
                        && !WALKED_KEYWORDS.contains(&k.as_str())
                    {
                        problems.push(format!("{path}: keyword {k} is not one the walk knows"));
                    }
                    walk(sub, problems, &format!("{path}/{k}"));
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    walk(sub, problems, &format!("{path}/{i}"));
                }
            }
            _ => {}
        }
    }
    for (name, text) in generated() {
        let value: Value = serde_json::from_str(&text).expect("generated schema parses");
        let mut problems = Vec::new();
        walk(&value, &mut problems, "");
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let defs = value.get("$defs").expect("$defs present");
        assert_eq!(
            defs.get("io.k8s.apimachinery.pkg.api.resource.Quantity"),
            Some(&json!({"type": ["string", "number"]})),
            "{name}"
        );
        assert_eq!(
            value.get("$schema"),
            Some(&json!("https://json-schema.org/draft/2020-12/schema")),
            "{name}"
        );
    }
}
