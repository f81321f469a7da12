//! The typed boundary (src/dto.rs, src/api.rs) natively: result shapes on real inputs, fix
//! edits in both position encodings, options read with serde (unknown keys and wrong values
//! named), the lists the editor reads, and pkg/index.d.ts held to the DTOs key by key.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use claimcheck::api;
use claimcheck::dto::{self, ApiOptions, ErrorCode, LINT_KEYS};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> String {
    std::fs::read_to_string(root().join("examples/seed.yaml")).expect("seed")
}

/// Options read as a function taking every key would read them.
fn opts(v: Value) -> ApiOptions {
    let all = [dto::NORMALIZE_KEYS, dto::REVIEW_KEYS, dto::REPORT_KEYS].concat();
    dto::parse_options(v, &all).expect("valid options")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The members of every `export interface` of a TypeScript declaration file, with the
/// members of the interfaces it extends.
fn interfaces(dts: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lines = dts.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("export interface ") else {
            continue;
        };
        let name = rest.split_whitespace().next().unwrap_or("").to_string();
        let parent = rest
            .split(" extends ")
            .nth(1)
            .and_then(|p| p.split_whitespace().next());
        let mut members: BTreeSet<String> =
            parent.and_then(|p| out.get(p)).cloned().unwrap_or_default();
        for l in lines.by_ref() {
            if l.starts_with('}') {
                break;
            }
            let t = l.trim();
            if t.starts_with('*') || t.starts_with("/*") || t.starts_with("//") {
                continue;
            }
            let member: String = t
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = t.get(member.len()..).unwrap_or("");
            if !member.is_empty() && (after.starts_with(':') || after.starts_with("?:")) {
                // optional members are marked, to be allowed absent from a sample
                members.insert(if after.starts_with("?:") {
                    format!("{member}?")
                } else {
                    member
                });
            }
        }
        out.insert(name, members);
    }
    out
}

#[test]
fn index_d_ts_declares_exactly_the_dto_shapes() {
    let dts = std::fs::read_to_string(root().join("pkg/index.d.ts")).expect("index.d.ts");
    let decl = interfaces(&dts);
    let declared = |name: &str| -> BTreeSet<String> {
        decl.get(name)
            .cloned()
            .unwrap_or_else(|| panic!("index.d.ts has no interface {name}"))
    };
    let seed = seed();
    // real results, with every optional part present
    let lint = serde_json::to_value(api::lint(&seed, &ApiOptions::default()).expect("lint"))
        .expect("json");
    let with_fix = lint["diagnostics"]
        .as_array()
        .and_then(|d| {
            d.iter()
                .find(|d| d["fix"].is_object() && d.get("object").is_some())
        })
        .cloned()
        .expect("a diagnostic with a fix and an object");
    let edit = with_fix["fix"]["edits"][0].clone();
    let fixed =
        serde_json::to_value(api::fix(&seed, &opts(json!({ "unsafeFixes": true }))).expect("fix"))
            .expect("json");
    let docs = serde_json::to_value(api::documents(&seed, &ApiOptions::default()).expect("docs"))
        .expect("json");
    let fixable = lint["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().position(|d| d["fix"].is_object()))
        .expect("a fix");
    let one =
        serde_json::to_value(api::fix_one(&seed, &ApiOptions::default(), fixable).expect("one"))
            .expect("json");
    let report = serde_json::to_value(
        api::report(
            &[dto::InputFile {
                path: "s.yaml".into(),
                text: seed.clone(),
            }],
            &ApiOptions::default(),
        )
        .expect("report"),
    )
    .expect("json");
    let rules = serde_json::to_value(api::rules()).expect("json");
    let about = serde_json::to_value(api::about()).expect("json");
    // an update of the seed by itself: every finding was already in the live object
    let update = serde_json::to_value(
        api::lint(&seed, &opts(json!({ "oldSource": seed.clone() }))).expect("lint update"),
    )
    .expect("json");
    let pre_existing = update["diagnostics"]
        .as_array()
        .and_then(|d| d.first())
        .cloned()
        .expect("a finding on the update");
    assert_eq!(pre_existing["preExisting"], json!(true), "{pre_existing}");
    // and only there: a plain lint writes no `preExisting`
    assert!(lint["diagnostics"]
        .as_array()
        .is_some_and(|d| d.iter().all(|d| d.get("preExisting").is_none())));

    let mut lint_keys = keys(&lint);
    lint_keys.insert("documents".into()); // added by the JavaScript wrapper
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        ("LintResult", lint_keys),
        ("Diagnostic", keys(&with_fix)),
        ("Diagnostic", keys(&pre_existing)),
        ("Fix", keys(&with_fix["fix"])),
        ("FixEdit", keys(&edit)),
        ("Offsets", keys(&edit["offset"])),
        ("Range", keys(&edit["range"])),
        ("Position", keys(&edit["range"]["start"])),
        ("Summary", keys(&lint["summary"])),
        ("DocumentInfo", keys(&docs[0])),
        ("FixResult", keys(&fixed)),
        ("AppliedFix", keys(&fixed["applied"][0])),
        ("DocumentPatch", keys(&fixed["patch"][0])),
        ("FixOneResult", keys(&one)),
        ("TextEdit", keys(&one["edits"][0])),
        ("ReportResult", keys(&report)),
        ("Rule", keys(&rules[0])),
        ("RuleFamily", keys(&rules[0]["family"])),
        ("About", keys(&about)),
    ];
    for (name, actual) in cases {
        assert!(!actual.is_empty(), "no sample for {name}");
        // every key the Rust code writes is declared; every required member is written
        let declared = declared(name);
        for k in &actual {
            assert!(
                declared.contains(k) || declared.contains(&format!("{k}?")),
                "interface {name} of index.d.ts lacks `{k}`"
            );
        }
        for d in declared.iter().filter(|d| !d.ends_with('?')) {
            assert!(
                actual.contains(d),
                "index.d.ts declares {name}.{d}, which is never written"
            );
        }
    }

    // options: what each function accepts (`oldSource` is read everywhere, to be refused
    // with a message where it does not belong)
    let with_old = |name: &str| {
        let mut k: BTreeSet<String> = declared(name)
            .into_iter()
            .map(|m| m.trim_end_matches('?').to_string())
            .collect();
        k.insert("oldSource".into());
        k
    };
    let set = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(with_old("LintOptions"), set(dto::LINT_KEYS));
    assert_eq!(with_old("NormalizeOptions"), set(dto::NORMALIZE_KEYS));
    assert_eq!(with_old("ReviewOptions"), set(dto::REVIEW_KEYS));
    assert_eq!(with_old("ReportOptions"), set(dto::REPORT_KEYS));
    // every key of the serde struct is some function's, and read
    let all: BTreeSet<&str> = [dto::NORMALIZE_KEYS, dto::REVIEW_KEYS, dto::REPORT_KEYS]
        .concat()
        .into_iter()
        .collect();
    for k in all {
        let v = match k {
            "positionEncoding" => json!("utf8"),
            "kubernetesVersion" | "oldSource" => json!("1.32"),
            "rules" => json!({}),
            "mode" => json!("mutate"),
            "denyAt" => json!("hint"),
            "fixes" => json!("none"),
            "format" => json!("json"),
            "old" => json!([]),
            "kinds" => json!(["Deployment"]),
            _ => json!(true),
        };
        let o = opts(json!({ k: v }));
        assert_ne!(o, ApiOptions::default(), "{k} is not read");
    }

    // error codes
    let union: BTreeSet<String> = dts
        .split("export type ErrorCode =")
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap_or("")
        .split('|')
        .map(|c| c.trim().trim_matches('\'').to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let mut codes: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    codes.extend(dto::JS_ERROR_CODES.iter().map(|c| c.to_string()));
    assert_eq!(union, codes);
    let api_js = std::fs::read_to_string(root().join("pkg/lib/api.js")).expect("api.js");
    for c in dto::JS_ERROR_CODES {
        assert!(
            api_js.contains(&format!("'{c}'")),
            "api.js never throws {c}"
        );
    }
}

#[test]
fn fix_edits_rebuild_the_fix_in_both_encodings() {
    // every fixture, with non-ASCII before the fixed places, so UTF-8 and UTF-16 differ
    let mut inputs = Vec::new();
    for dir in std::fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures")
        .flatten()
    {
        for f in std::fs::read_dir(dir.path()).expect("dir").flatten() {
            if let Ok(t) = std::fs::read_to_string(f.path()) {
                inputs.push(format!("# café ☕ 𝄞\n{t}"));
            }
        }
    }
    let mut seen = 0;
    for text in &inputs {
        seen += edits_rebuild(text);
    }
    assert!(seen >= 50, "{seen} fixes with edits");
}

/// Applies every fix's edits in both encodings and compares with `fixOne`; returns how many
/// fixes had edits.
fn edits_rebuild(text: &str) -> usize {
    let mut seen = 0;
    for (enc, units) in [("utf8", false), ("utf16", true)] {
        let lint = api::lint(text, &opts(json!({ "positionEncoding": enc }))).expect("lint");
        for d in &lint.diagnostics {
            let Some(edits) = d.fix.as_ref().and_then(|f| f.edits.as_ref()) else {
                continue;
            };
            seen += 1;
            // apply the edits in the caller's units
            let mut out: Vec<u16> = Vec::new();
            let mut bytes: Vec<u8> = Vec::new();
            let (src16, src8): (Vec<u16>, &[u8]) = (text.encode_utf16().collect(), text.as_bytes());
            let mut pos = 0;
            for e in edits {
                assert!(e.offset.start >= pos && e.offset.end >= e.offset.start);
                if units {
                    out.extend_from_slice(&src16[pos..e.offset.start]);
                    out.extend(e.new_text.encode_utf16());
                } else {
                    bytes.extend_from_slice(&src8[pos..e.offset.start]);
                    bytes.extend_from_slice(e.new_text.as_bytes());
                }
                pos = e.offset.end;
            }
            let applied = if units {
                out.extend_from_slice(&src16[pos..]);
                String::from_utf16(&out).expect("utf16")
            } else {
                bytes.extend_from_slice(&src8[pos..]);
                String::from_utf8(bytes).expect("utf8")
            };
            // the same as fixOne, which applies the fix in Rust
            let index = lint
                .diagnostics
                .iter()
                .position(|x| std::ptr::eq(x, d))
                .expect("index");
            let one = api::fix_one(text, &opts(json!({ "positionEncoding": enc })), index)
                .expect("fixOne");
            assert_eq!(applied, one.output, "{} in {enc}", d.code);
            // the range is the offset's line and column
            let first = &edits[0];
            assert!(first.range.start.line >= 2);
        }
    }
    seen
}

#[test]
fn the_cli_json_contract_has_no_edits() {
    // the CLI's JSON contract has no edits
    let report = api::report(
        &[dto::InputFile {
            path: "s.yaml".into(),
            text: seed(),
        }],
        &opts(json!({ "format": "json" })),
    )
    .expect("report");
    assert!(report.output.contains("\"fix\":{") && !report.output.contains("\"edits\""));
}

#[test]
fn options_are_read_with_serde_and_errors_name_the_key() {
    let cases: Vec<(Value, &str)> = vec![
        (json!("utf8"), "options must be an object, got \"utf8\""),
        (
            json!({ "kubeVersion": "1.32" }),
            "unknown option `kubeVersion` (known: positionEncoding, kubernetesVersion, rules, unsafeFixes, oldSource)",
        ),
        (
            json!({ "positionEncoding": "latin1" }),
            "options.positionEncoding must be \"utf16\" or \"utf8\", got \"latin1\"",
        ),
        (
            json!({ "kubernetesVersion": 1.32 }),
            "options.kubernetesVersion must be a string such as \"1.32\", got the number 1.32",
        ),
        (
            json!({ "unsafeFixes": "yes" }),
            "options.unsafeFixes must be true or false, got \"yes\"",
        ),
        (
            json!({ "rules": { "CC001": "loud" } }),
            "options.rules.CC001 must be \"off\", \"error\", \"warning\" or \"hint\", got \"loud\"",
        ),
        (
            json!({ "rules": ["CC001"] }),
            "options.rules must be an object such as { \"CC305\": \"off\" }, got an array",
        ),
        (json!({ "oldSource": 42 }), "options.oldSource must be the previous manifest as a string, got the number 42"),
    ];
    for (v, message) in cases {
        let e = dto::parse_options(v.clone(), LINT_KEYS).expect_err("invalid");
        assert_eq!(e.code, ErrorCode::Options);
        assert_eq!(e.message, format!("claimcheck: {message}"), "{v}");
    }
    // semantic checks after the types
    let e = api::lint("", &opts(json!({ "kubernetesVersion": "1.99" }))).expect_err("range");
    assert!(
        e.message.contains("outside the supported range"),
        "{}",
        e.message
    );
    let e = api::lint("", &opts(json!({ "rules": { "CC999": "off" } }))).expect_err("rule");
    assert!(e.message.contains("unknown rule `CC999`"), "{}", e.message);
    let e = api::fix("", &opts(json!({ "oldSource": "x" }))).expect_err("old");
    assert!(e.message.contains("does not take options.oldSource"));
    let e = api::review("{}", &opts(json!({ "oldSource": "x" }))).expect_err("old");
    assert!(
        e.message
            .contains("review() does not take options.oldSource"),
        "{}",
        e.message
    );
    let e = api::normalize("", &opts(json!({ "unsafeFixes": true }))).expect_err("unsafe");
    assert!(e.message.contains("only safe fixes"));
    let e = dto::parse_options(json!({ "mode": "audit" }), dto::REVIEW_KEYS).expect_err("mode");
    assert_eq!(
        e.message,
        "claimcheck: options.mode must be \"validate\" or \"mutate\", got \"audit\""
    );
    let e = api::review("{}", &ApiOptions::default()).expect_err("review");
    assert_eq!(e.code, ErrorCode::Review);
    // kinds: names checked before the body is read
    let e =
        api::review("{}", &opts(json!({ "kinds": ["Deployment", "Service"] }))).expect_err("kinds");
    assert_eq!(e.code, ErrorCode::Options);
    assert!(
        e.message.starts_with(
            "claimcheck: options.kinds: unknown kind `Service` (known: StatefulSet, Deployment,"
        ),
        "{}",
        e.message
    );
    let e = dto::parse_options(json!({ "kinds": "Deployment" }), dto::REVIEW_KEYS)
        .expect_err("kinds as a string");
    assert!(
        e.message
            .starts_with("claimcheck: options.kinds must be an array of kind names"),
        "{}",
        e.message
    );
    let e = dto::parse_options(json!({ "old": [{ "path": "x" }] }), dto::REPORT_KEYS)
        .expect_err("old files");
    assert_eq!(
        e.message,
        "claimcheck: options.old[0] must be { path: string, text: string }"
    );
    // null and absent keys are no options
    let o = opts(json!({ "kubernetesVersion": null }));
    assert_eq!(o, ApiOptions::default());
    // a key of another function is unknown here
    let e = dto::parse_options(json!({ "mode": "mutate" }), LINT_KEYS).expect_err("mode");
    assert!(e.message.starts_with("claimcheck: unknown option `mode`"));
    let o = opts(json!({ "mode": "mutate", "denyAt": "warning", "fixes": "none" }));
    assert_eq!(o.mode, Some(dto::ReviewMode::Mutate));
}

#[test]
fn rules_and_about_are_the_editor_lists() {
    let rules = api::rules();
    assert_eq!(rules.len(), claimcheck::registry::all().len());
    // every rule belongs to a family: a new prefix needs a family first
    for r in &rules {
        let f = r
            .family
            .unwrap_or_else(|| panic!("{} has no family", r.code));
        assert!(r.code.starts_with(f.prefix));
    }
    let about = api::about();
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    let (oldest, latest) = (
        claimcheck::KubeVersion::OLDEST,
        claimcheck::KubeVersion::LATEST,
    );
    assert_eq!(oldest.major, latest.major);
    assert_eq!(about.kubernetes_versions.first(), Some(&oldest.to_string()));
    assert_eq!(about.kubernetes_versions.last(), Some(&latest.to_string()));
    assert_eq!(
        about.kubernetes_versions.len() as u32,
        latest.minor - oldest.minor + 1
    );
    for v in &about.kubernetes_versions {
        claimcheck::KubeVersion::parse(v).expect("supported");
    }
    assert_eq!(about.default_kubernetes_version, latest.to_string());
    assert_eq!(about.families.len(), dto::FAMILIES.len());
    // `claimcheck rules --format json` prints the same list
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    let cli: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(cli, serde_json::to_value(&rules).expect("json"));
}
