//! The host: Kubewarden's policy-server stack (waPC over wasmtime, with WASI), loading the
//! built, annotated policy module once per test binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{json, Value};
use wapc::WapcHost;
use wasmtime_provider::{wasmtime, WasmtimeEngineProviderBuilder, WasmtimeEngineProviderPre};

/// kubewarden/host-tests → the repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The annotated module scripts/build-kubewarden.sh writes (or `CLAIMCHECK_POLICY_WASM`).
pub fn module_path() -> PathBuf {
    std::env::var_os("CLAIMCHECK_POLICY_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("kubewarden/dist/claimcheck-policy.wasm"))
}

pub fn module_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let p = module_path();
        std::fs::read(&p).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (build it first: scripts/build-kubewarden.sh)",
                p.display()
            )
        })
    })
}

/// Compiled and linked once; every test gets its own instance from it, as the
/// policy-server's workers rehydrate a precompiled policy.
fn compiled() -> &'static (wasmtime::Module, WasmtimeEngineProviderPre) {
    static C: OnceLock<(wasmtime::Module, WasmtimeEngineProviderPre)> = OnceLock::new();
    C.get_or_init(|| {
        // Compiled code is cached on disk (in this crate's target directory), so the
        // second test binary of a run does not compile the module again.
        let mut config = wasmtime::Config::new();
        let mut cache = wasmtime::CacheConfig::new();
        cache.with_directory(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/wasmtime-cache"),
        );
        config.cache(wasmtime::Cache::new(cache).ok());
        let engine = wasmtime::Engine::new(&config).unwrap_or_else(|e| panic!("engine: {e}"));
        let module = wasmtime::Module::new(&engine, module_bytes())
            .unwrap_or_else(|e| panic!("compile the policy: {e:#}"));
        let pre = WasmtimeEngineProviderBuilder::new()
            .engine(engine)
            .module(module.clone())
            .build_pre()
            .unwrap_or_else(|e| panic!("engine provider: {e}"));
        (module, pre)
    })
}

/// The compiled module (for its imports and exports).
pub fn module() -> &'static wasmtime::Module {
    &compiled().0
}

/// A fresh waPC host (a new instance of the compiled policy).
pub fn host() -> WapcHost {
    let provider = compiled()
        .1
        .rehydrate(None)
        .unwrap_or_else(|e| panic!("instantiate the policy: {e}"));
    WapcHost::new(Box::new(provider), None).unwrap_or_else(|e| panic!("waPC host: {e}"))
}

/// Calls a guest function; the raw bytes back, or the host's error.
pub fn call(host: &WapcHost, function: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
    host.call(function, payload).map_err(|e| e.to_string())
}

/// Calls a guest function that answers JSON.
pub fn call_json(host: &WapcHost, function: &str, payload: &[u8]) -> Value {
    let out = call(host, function, payload)
        .unwrap_or_else(|e| panic!("{function}: the guest failed: {e}"));
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "{function}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out)
        )
    })
}

/// The documents of a YAML stream as JSON, read by claimcheck's own reader (kubectl's YAML).
pub fn yaml_docs(text: &str) -> Vec<Value> {
    let stream = claimcheck::source::parse_stream(text, &claimcheck::source::Limits::default());
    stream.documents.iter().map(|d| d.root.to_json()).collect()
}

/// The StatefulSet of examples/seed.yaml.
pub fn seed_sts() -> Value {
    let text = std::fs::read_to_string(repo().join("examples/seed.yaml")).expect("seed");
    yaml_docs(&text)
        .into_iter()
        .find(|d| d["kind"] == "StatefulSet")
        .expect("the seed has a StatefulSet")
}

/// The group/version/kind and resource of an object, as the API server sends them.
fn gvk(object: &Value) -> (Value, Value) {
    let kind = object["kind"].as_str().unwrap_or("");
    let api_version = object["apiVersion"].as_str().unwrap_or("");
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let resource = match kind {
        "StatefulSet" => "statefulsets".to_string(),
        "PersistentVolumeClaim" => "persistentvolumeclaims".to_string(),
        k => format!("{}s", k.to_ascii_lowercase()),
    };
    (
        json!({"group": group, "version": version, "kind": kind}),
        json!({"group": group, "version": version, "resource": resource}),
    )
}

/// A Kubewarden ValidationRequest: settings plus an AdmissionRequest.
pub fn request(settings: Value, operation: &str, object: Value, old: Option<Value>) -> Vec<u8> {
    let shape = if object.is_null() {
        old.clone().unwrap_or(Value::Null)
    } else {
        object.clone()
    };
    let (kind, resource) = gvk(&shape);
    let name = shape["metadata"]["name"].clone();
    json!({
        "settings": settings,
        "request": {
            "uid": "0b3c3c8e-1f0e-4d5e-9d1e-7d0a0e2b8c11",
            "kind": kind,
            "resource": resource,
            "requestKind": kind,
            "requestResource": resource,
            "name": name,
            "namespace": "default",
            "operation": operation,
            "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters"]},
            "object": object,
            "oldObject": old,
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
        }
    })
    .to_string()
    .into_bytes()
}

/// `validate` on the policy.
pub fn validate(host: &WapcHost, payload: &[u8]) -> Value {
    call_json(host, "validate", payload)
}

/// The rule codes a denial message lists (`CC201 /pointer: message; ...`).
pub fn codes(message: &str) -> Vec<String> {
    let mut out: Vec<String> = message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() == 5 && w.starts_with("CC") && w[2..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Native lint (the library the CLI runs) of one JSON object: (code, severity) pairs.
pub fn lint_native(object: &Value, kubernetes_version: Option<&str>) -> Vec<(String, String)> {
    let mut options = claimcheck::Options::default();
    if let Some(v) = kubernetes_version {
        options.kubernetes_version = claimcheck::KubeVersion::parse(v).expect("version");
    }
    let text = serde_json::to_string_pretty(object).expect("json");
    claimcheck::lint_text("object.json", &text, &options)
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.severity.as_str().to_string()))
        .collect()
}
