//! What `kwctl annotate` does to a policy module, with crates from crates.io: the policy's
//! `metadata.yml` (read with claimcheck's own YAML reader), checked, with the protocol
//! version and the usage text added, written as JSON into the module's
//! `io.kubewarden.metadata` custom section — where the policy-server and `kwctl inspect`
//! read it.

use serde_json::{json, Value};
use wasmparser::{Parser, Payload};

/// The custom section Kubewarden reads a policy's metadata from.
pub const METADATA_SECTION: &str = "io.kubewarden.metadata";

/// The annotations Artifact Hub and `kwctl inspect` show; all must be present.
pub const REQUIRED_ANNOTATIONS: [&str; 8] = [
    "io.kubewarden.policy.title",
    "io.kubewarden.policy.description",
    "io.kubewarden.policy.author",
    "io.kubewarden.policy.url",
    "io.kubewarden.policy.source",
    "io.kubewarden.policy.license",
    "io.kubewarden.policy.category",
    "io.kubewarden.policy.severity",
];

/// Reads `metadata.yml` into the JSON the section holds, and checks it.
pub fn metadata_json(yaml: &str, usage: Option<&str>) -> Result<Value, String> {
    let stream = claimcheck::source::parse_stream(yaml, &claimcheck::source::Limits::default());
    if let Some(issue) = stream.issues.first() {
        return Err(format!("metadata.yml: {issue:?}"));
    }
    let mut meta = match stream.documents.as_slice() {
        [doc] => doc.root.to_json(),
        _ => return Err("metadata.yml: expected one YAML document".into()),
    };
    let Some(map) = meta.as_object_mut() else {
        return Err("metadata.yml: expected a map".into());
    };
    // kwctl finds the protocol by calling the module; this policy speaks waPC v1 (the host
    // tests call `protocol_version` and compare).
    map.insert("protocolVersion".into(), json!("v1"));
    let rules = map.get("rules").and_then(Value::as_array);
    if rules.is_none_or(|r| r.is_empty()) {
        return Err("metadata.yml: `rules` must list at least one rule".into());
    }
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        for key in ["apiGroups", "apiVersions", "resources", "operations"] {
            if rule
                .get(key)
                .and_then(Value::as_array)
                .is_none_or(|a| a.is_empty())
            {
                return Err(format!(
                    "metadata.yml: rules[{i}].{key} must be a non-empty list"
                ));
            }
        }
    }
    if !map.get("mutating").is_some_and(Value::is_boolean) {
        return Err("metadata.yml: `mutating` must be true or false".into());
    }
    match map.get("executionMode").and_then(Value::as_str) {
        Some("kubewarden-wapc") => {}
        other => {
            return Err(format!(
            "metadata.yml: executionMode must be kubewarden-wapc for this policy, found {other:?}"
        ))
        }
    }
    let annotations = map
        .entry("annotations")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or("metadata.yml: `annotations` must be a map")?;
    for key in REQUIRED_ANNOTATIONS {
        if annotations
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("metadata.yml: annotation {key} is missing"));
        }
    }
    if let Some(u) = usage {
        annotations.insert("io.kubewarden.policy.usage".into(), json!(u));
    }
    Ok(meta)
}

/// The JSON in a module's metadata section, if it has one.
pub fn read_metadata(module: &[u8]) -> Result<Option<Value>, String> {
    for payload in Parser::new(0).parse_all(module) {
        if let Payload::CustomSection(reader) = payload.map_err(|e| e.to_string())? {
            if reader.name() == METADATA_SECTION {
                return serde_json::from_slice(reader.data())
                    .map(Some)
                    .map_err(|e| format!("{METADATA_SECTION}: {e}"));
            }
        }
    }
    Ok(None)
}

/// The module's exported function names.
pub fn exports(module: &[u8]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        if let Payload::ExportSection(reader) = payload.map_err(|e| e.to_string())? {
            for export in reader {
                out.push(export.map_err(|e| e.to_string())?.name.to_string());
            }
        }
    }
    Ok(out)
}

/// The module with the metadata section appended. Refuses a module that is not a waPC guest
/// (no `__guest_call` / `wapc_init` exports, as kwctl detects it) or is already annotated.
pub fn annotate(module: &[u8], metadata: &Value) -> Result<Vec<u8>, String> {
    use wasm_encoder::Section;
    let names = exports(module)?;
    for needed in ["__guest_call", "wapc_init"] {
        if !names.iter().any(|n| n == needed) {
            return Err(format!(
                "not a waPC guest: the module exports no `{needed}`"
            ));
        }
    }
    if read_metadata(module)?.is_some() {
        return Err(format!(
            "the module already has an {METADATA_SECTION} section"
        ));
    }
    let data = serde_json::to_vec(metadata).map_err(|e| e.to_string())?;
    let mut out = module.to_vec();
    wasm_encoder::CustomSection {
        name: METADATA_SECTION.into(),
        data: data.into(),
    }
    .append_to(&mut out);
    Ok(out)
}
