//! `review()` on arbitrary JSON: never a panic; a review with a uid is answered with the same
//! uid, in both modes.
#![no_main]

use claimcheck::admission::{review, Mode, ReviewOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    // the bytes as a whole review
    let _ = review(body, &ReviewOptions::default());
    // the bytes as the object of a review
    let Ok(object) = serde_json::from_str::<Value>(body) else {
        return;
    };
    for (mode, operation) in [
        (Mode::Validate, "CREATE"),
        (Mode::Mutate, "CREATE"),
        (Mode::Validate, "UPDATE"),
    ] {
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("PersistentVolumeClaim");
        let request = json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {
                "uid": "fuzz-uid-1",
                "kind": {"group": "", "version": "v1", "kind": kind},
                "operation": operation,
                "object": object,
                "oldObject": if operation == "UPDATE" { object.clone() } else { Value::Null },
            }
        });
        let options = ReviewOptions {
            mode,
            ..ReviewOptions::default()
        };
        if let Ok(answer) = review(&request.to_string(), &options) {
            assert_eq!(answer["response"]["uid"], "fuzz-uid-1", "{answer}");
            assert!(answer["response"]["allowed"].is_boolean(), "{answer}");
        }
    }
});
