//! claimcheck as a Kubewarden policy: a waPC guest for the policy-server.
//!
//! Thin by design: the settings are read here (with the core's own selector, severity and
//! version parsers), and every verdict and fix comes from [`claimcheck::admission`], the same
//! code the webhook host and the npm package's `review()` run. A Kubewarden
//! `ValidationRequest` carries an AdmissionRequest; it is wrapped in an AdmissionReview
//! envelope and answered by `review_value`.

pub mod settings;

use claimcheck::admission::{review_value, Mode, ReviewOptions};
use claimcheck::patch::PatchOp;
use serde_json::{json, Value};

pub use settings::PolicySettings;

/// Kubewarden's `ValidationResponse` (the SDK's type has every field optional; this keeps the
/// JSON small: absent fields are left out).
fn response(
    accepted: bool,
    message: Option<String>,
    code: Option<u64>,
    mutated: Option<Value>,
    warnings: Vec<String>,
) -> Value {
    let mut r = json!({ "accepted": accepted });
    if let Some(m) = message {
        r["message"] = json!(m);
    }
    if let Some(c) = code {
        r["code"] = json!(c);
    }
    if let Some(o) = mutated {
        r["mutated_object"] = o;
    }
    if !warnings.is_empty() {
        r["warnings"] = json!(warnings);
    }
    r
}

fn reject(message: String, code: u64) -> Value {
    response(false, Some(message), Some(code), None, Vec::new())
}

/// Standard base64 (RFC 4648, with padding) back to bytes: the core hands its JSON Patch to
/// webhooks base64-encoded, as AdmissionReview wants it.
fn unbase64(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&three[..3 - pad]);
    }
    Some(out)
}

/// The answer to one `ValidationRequest` (JSON bytes), as a `ValidationResponse` value.
/// Never fails: a payload that cannot be read is rejected with code 400 and the reason.
pub fn validate(payload: &[u8]) -> Value {
    let v: Value = match serde_json::from_slice(payload) {
        Ok(v) => v,
        Err(e) => {
            return reject(
                format!("claimcheck: the ValidationRequest is not JSON: {e}"),
                400,
            )
        }
    };
    let settings = match PolicySettings::from_value(v.get("settings").unwrap_or(&Value::Null)) {
        Ok(s) => s,
        Err(e) => return reject(format!("claimcheck: invalid settings: {e}"), 400),
    };
    let Some(request) = v.get("request").filter(|r| r.is_object()) else {
        return reject(
            "claimcheck: the ValidationRequest has no `request` object".into(),
            400,
        );
    };
    answer(request, &settings)
}

/// Wraps an AdmissionRequest in an AdmissionReview for the core. The core insists on a `uid`
/// (webhooks must echo it); Kubewarden keeps the uid itself, so a missing one is filled in.
fn envelope(request: &Value, object: Option<&Value>) -> Value {
    let mut request = request.clone();
    if request
        .get("uid")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        request["uid"] = json!("kubewarden");
    }
    if let Some(o) = object {
        request["object"] = o.clone();
    }
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request})
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The core's validating answer for `review` as a Kubewarden response; `mutated` and
/// `earlier` (the mutation's warnings) are added when it accepts.
fn verdict(
    review: &Value,
    options: &ReviewOptions,
    mutated: Option<Value>,
    mut earlier: Vec<String>,
) -> Value {
    let out = match review_value(review, options) {
        Ok(out) => out,
        Err(e) => return reject(format!("claimcheck: {e}"), 400),
    };
    let r = &out["response"];
    earlier.extend(strings(&r["warnings"]));
    if r["allowed"].as_bool() == Some(true) {
        return response(true, None, None, mutated, earlier);
    }
    let message = r["status"]["message"]
        .as_str()
        .unwrap_or("claimcheck denied this request")
        .to_string();
    let code = r["status"]["code"].as_u64();
    response(false, Some(message), code, None, earlier)
}

/// Answers one AdmissionRequest with these settings.
pub fn answer(request: &Value, settings: &PolicySettings) -> Value {
    let options = &settings.review;
    let review = envelope(request, None);
    let Some(fixes) = settings.mutate else {
        return verdict(&review, options, None, Vec::new());
    };
    // Mutation: the core's fixes (its JSON Patch) applied to the object, then the fixed
    // object validated as the API server will see it.
    let mutate = ReviewOptions {
        mode: Mode::Mutate,
        fixes,
        ..options.clone()
    };
    let out = match review_value(&review, &mutate) {
        Ok(out) => out,
        Err(e) => return reject(format!("claimcheck: {e}"), 400),
    };
    let r = &out["response"];
    let Some(patch) = r["patch"].as_str() else {
        return verdict(&review, options, None, Vec::new());
    };
    let ops: Vec<PatchOp> = match unbase64(patch).and_then(|b| serde_json::from_slice(&b).ok()) {
        Some(ops) => ops,
        None => {
            return reject(
                "claimcheck: the engine's patch could not be read".into(),
                500,
            )
        }
    };
    let mut object = request["object"].clone();
    if let Err(e) = claimcheck::patch::apply(&mut object, &ops) {
        return reject(
            format!("claimcheck: the engine's patch does not apply: {e}"),
            500,
        );
    }
    let fixed = envelope(request, Some(&object));
    verdict(&fixed, options, Some(object), strings(&r["warnings"]))
}

/// `validate_settings`: Kubewarden's `SettingsValidationResponse`.
pub fn validate_settings(payload: &[u8]) -> Value {
    let checked = serde_json::from_slice::<Value>(payload)
        .map_err(|e| format!("the settings are not JSON: {e}"))
        .and_then(|v| PolicySettings::from_value(&v));
    match checked {
        Ok(_) => json!({"valid": true}),
        Err(e) => json!({"valid": false, "message": e}),
    }
}

/// The waPC exports the policy-server calls.
#[cfg(target_arch = "wasm32")]
mod guest {
    use wapc_guest::{register_function, CallResult};

    fn bytes(v: serde_json::Value) -> CallResult {
        Ok(serde_json::to_vec(&v)?)
    }

    fn validate(payload: &[u8]) -> CallResult {
        bytes(super::validate(payload))
    }

    fn validate_settings(payload: &[u8]) -> CallResult {
        bytes(super::validate_settings(payload))
    }

    #[no_mangle]
    pub extern "C" fn wapc_init() {
        register_function("validate", validate);
        register_function("validate_settings", validate_settings);
        register_function(
            "protocol_version",
            kubewarden_policy_sdk::protocol_version_guest,
        );
    }
}
