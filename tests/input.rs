//! Inputs as users write them: `kind: List`, JSON, several files as one bundle, non-ASCII
//! text with UTF-16 columns, the ignore annotation, and the Kubernetes version option.

use claimcheck::engine::{lint, lint_text, KubeVersion, Options, SourceFile};
use claimcheck::output::report_dto;
use claimcheck::source::PositionEncoding;

const STS: &str = include_str!("fixtures/CC301/invalid.yaml");

fn codes(text: &str) -> Vec<(String, String)> {
    lint_text("x.yaml", text, &Options::default())
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.pointer.clone()))
        .collect()
}

#[test]
fn list_items_are_objects_with_item_pointers() {
    let text = r#"apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: data
  spec:
    accessModes: []
    resources:
      requests:
        storage: 1Gi
"#;
    let found = codes(text);
    assert!(
        found
            .iter()
            .any(|(c, p)| c == "CC205" && p == "/items/0/spec/accessModes"),
        "{found:?}"
    );
}

#[test]
fn json_documents_get_positions() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"PersistentVolumeClaim\",\n  \"metadata\": {\"name\": \"data\"},\n  \"spec\": {\"accessModes\": [\"ReadWriteOnce\"], \"resources\": {\"requests\": {\"storage\": \"1GB\"}}}\n}\n";
    let r = lint_text("x.json", text, &Options::default());
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "CC007")
        .expect("CC007 on 1GB");
    assert_eq!(d.pointer, "/spec/resources/requests/storage");
    let p = r
        .line_index
        .position(text, d.span.start, PositionEncoding::Utf8);
    assert_eq!((p.line, p.column), (5, 84));
}

#[test]
fn utf16_columns_count_code_units() {
    let text = STS.replace(
        "            - name: dta\n              mountPath: /usr/share/nginx/html\n",
        "            - {mountPath: /dé😀, name: dta}\n",
    );
    let r = lint_text("x.yaml", &text, &Options::default());
    let find = |enc| {
        let dto = report_dto(std::slice::from_ref(&r), &[&text], enc);
        dto.files[0]
            .diagnostics
            .iter()
            .find(|d| d.code == "CC301")
            .map(|d| d.range.start)
            .expect("CC301")
    };
    let (u8s, u16s) = (find(PositionEncoding::Utf8), find(PositionEncoding::Utf16));
    assert_eq!(u8s.line, u16s.line);
    // é is 2 bytes and 1 unit, 😀 is 4 bytes and 2 units
    assert_eq!(u8s.column - u16s.column, 3, "{u8s:?} {u16s:?}");
}

#[test]
fn files_given_together_form_one_bundle() {
    let sts = include_str!("fixtures/CC401/invalid.yaml").to_string();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\nspec:\n  clusterIP: None\n  selector:\n    app: web\n".to_string();
    let alone = lint(
        &[SourceFile {
            path: "sts.yaml".into(),
            text: sts.clone(),
        }],
        &Options::default(),
    );
    assert!(alone[0].diagnostics.iter().any(|d| d.code == "CC401"));
    let together = lint(
        &[
            SourceFile {
                path: "sts.yaml".into(),
                text: sts,
            },
            SourceFile {
                path: "svc.yaml".into(),
                text: svc,
            },
        ],
        &Options::default(),
    );
    assert!(
        !together[0].diagnostics.iter().any(|d| d.code == "CC401"),
        "{:?}",
        together[0].diagnostics
    );
}

#[test]
fn ignore_annotation_silences_listed_codes() {
    let text = STS.replace(
        "metadata:\n  name: web\nspec:\n  serviceName",
        "metadata:\n  name: web\n  annotations:\n    claimcheck.io/ignore: \"CC301\"\nspec:\n  serviceName",
    );
    assert!(codes(STS).iter().any(|(c, _)| c == "CC301"));
    assert!(
        !codes(&text).iter().any(|(c, _)| c == "CC301"),
        "{:?}",
        codes(&text)
    );
}

#[test]
fn messages_follow_the_kubernetes_version() {
    let old = Options {
        kubernetes_version: KubeVersion::new(1, 32),
        ..Options::default()
    };
    let r = lint_text("x.yaml", STS, &old);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "CC301")
        .expect("CC301");
    assert!(
        d.message.contains("accepts the StatefulSet"),
        "{}",
        d.message
    );
    let r = lint_text("x.yaml", STS, &Options::default());
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "CC301")
        .expect("CC301");
    assert!(
        d.message.contains("rejects the StatefulSet"),
        "{}",
        d.message
    );
}

/// Annotation keys and CSI driver names are checked lower-cased as Go's `strings.ToLower`
/// does it: `İ` becomes `i` (Rust's full mapping adds a combining dot, which would be a
/// false error) and the Kelvin sign `k`; other non-ASCII letters stay invalid.
#[test]
fn annotation_keys_are_lowered_as_go_lowers_them() {
    let pvc = |key: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    \"{key}\": x\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n"
        )
    };
    for (key, valid) in [
        ("Example.COM/Kind", true),
        ("\u{130}", true),
        ("\u{212a}ey", true),
        ("\u{e9}t\u{e9}", false),
        ("\u{130}\u{307}", false),
    ] {
        let found = codes(&pvc(key));
        let cc008 = found
            .iter()
            .any(|(c, p)| c == "CC008" && p.starts_with("/metadata/annotations"));
        assert_eq!(cc008, !valid, "{key:?}: {found:?}");
    }
}

/// A key with a tag or an anchor is the key's text, as kubectl reads it: `!!str name:` and
/// `&a name:` are `name` (the properties were kept in the key, and `metadata.name` was missing).
#[test]
fn tagged_and_anchored_keys_are_their_text() {
    let pvc = |meta: &str, storage: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n{meta}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{{storage}: 1Gi}}}}\n"
        )
    };
    for text in [
        pvc("  !!str name: data", "!!str storage"),
        pvc("  &a name: data\n  labels: {*a : x}", "storage"),
        pvc("  ? !!str name\n  : data", "&s storage"),
    ] {
        assert_eq!(codes(&text), vec![], "{text}");
        // the reader the engine uses, and the saphyr-parser-only one
        for reference in [false, true] {
            let stream = if reference {
                claimcheck::source::parse_stream_reference(&text, &Default::default())
            } else {
                claimcheck::source::parse_stream(&text, &Default::default())
            };
            let doc = &stream.documents[0];
            let json = doc.root.to_json();
            assert_eq!(
                json.pointer("/metadata/name"),
                Some(&serde_json::json!("data")),
                "{text}"
            );
        }
    }
}
