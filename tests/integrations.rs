//! Integrations as their host tools drive them: Helm's post-renderer protocol (standard input →
//! standard output byte for byte, findings on standard error, the exit status Helm acts on) on
//! `helm template` output of two charts, findings mapped to chart templates in every format, the
//! Helm 4 plugin's command, `kubectl get … -o yaml` dumps as bundle context, the kubectl plugin
//! binary, and SARIF validated against the SARIF 2.1.0 schema.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/integration-fixtures").join(rel)).expect("fixture")
}

fn fixture_text(rel: &str) -> String {
    String::from_utf8(fixture(rel)).expect("utf-8 fixture")
}

fn run(program: &Path, args: &[&str], input: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("wait")
}

fn claimcheck(args: &[&str], input: &[u8]) -> Output {
    // no claimcheck.toml of the repository may steer these runs
    let mut all = vec![args[0], "--no-config"];
    all.extend_from_slice(&args[1..]);
    run(
        Path::new(env!("CARGO_BIN_EXE_claimcheck")),
        &all,
        input,
        &[],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// ---- Helm post-renderer -------------------------------------------------------------------

#[test]
fn post_renderer_passes_a_clean_release_through_byte_for_byte() {
    let input = fixture("helm/db.yaml");
    for args in [
        &["helm-post-renderer"][..],
        &["helm-post-renderer", "--fix"],
        &["helm-post-renderer", "--unsafe-fixes"],
    ] {
        let o = claimcheck(args, &input);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(o.stdout == input, "{args:?}: output differs from input");
        assert!(stderr(&o).contains("All checks passed"), "{}", stderr(&o));
    }
    // not even a trailing newline is added or removed, and CRLF stays CRLF
    let crlf = String::from_utf8(input)
        .expect("utf-8")
        .trim_end()
        .replace('\n', "\r\n");
    let o = claimcheck(&["helm-post-renderer"], crlf.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(o.stdout, crlf.as_bytes());
}

#[test]
fn post_renderer_stops_helm_on_errors_and_names_the_template() {
    let input = fixture("helm/db-typo.yaml");
    let o = claimcheck(&["helm-post-renderer"], &input);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "nothing may reach Helm on errors");
    let err = stderr(&o);
    assert!(
        err.contains("db/templates/statefulset.yaml:14:24: CC104 [error]"),
        "{err}"
    );
    assert!(
        err.contains("rendered: <stdin>:92:24, line 14 of the document rendered from db/templates/statefulset.yaml"),
        "{err}"
    );
    assert!(
        err.contains("db/templates/statefulset.yaml:62:13: CC207 [warning]"),
        "{err}"
    );
    assert!(err.contains("nothing was passed on to Helm"), "{err}");
}

#[test]
fn post_renderer_fix_changes_only_the_fixed_bytes() {
    let input = fixture_text("helm/db-typo.yaml");
    let o = claimcheck(&["helm-post-renderer", "--fix"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected = input
        .replacen(
            "podManagementPolicy: parallel",
            "podManagementPolicy: Parallel",
            1,
        )
        .replacen(
            "          - \"ReadWriteOnce\"\n          - \"ReadWriteOnce\"\n",
            "          - \"ReadWriteOnce\"\n",
            1,
        );
    assert_ne!(expected, input);
    assert_eq!(stdout(&o), expected);
    let err = stderr(&o);
    assert!(err.contains("fixed CC104 (safe) in document 4"), "{err}");
    assert!(err.contains("fixed CC207 (safe) in document 4"), "{err}");
    // and the result passes as it is
    let again = claimcheck(&["helm-post-renderer"], &o.stdout);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(again.stdout, o.stdout);
}

#[test]
fn post_renderer_string_access_modes_need_unsafe_fixes() {
    let input = fixture_text("helm/cache.yaml");
    let o = claimcheck(&["helm-post-renderer"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("cache/templates/statefulset.yaml:37:22: CC004 [error] `accessModes` must be an array, not a string"),
        "{}",
        stderr(&o)
    );
    // the string → list fix guesses the intent: --fix alone leaves it, and Helm still stops
    let o = claimcheck(&["helm-post-renderer", "--fix"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = claimcheck(&["helm-post-renderer", "--unsafe-fixes"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        input.replacen(
            "accessModes: ReadWriteOnce",
            "accessModes: [ReadWriteOnce]",
            1
        )
    );
    assert!(
        stderr(&o).contains("fixed CC004 (unsafe)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn post_renderer_edge_inputs() {
    // an empty release: nothing in, nothing out, no error (Helm itself judges empty output)
    let o = claimcheck(&["helm-post-renderer"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    // not UTF-8
    let o = claimcheck(&["helm-post-renderer"], b"kind: \xff\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));
    // files are not its input; --fix belongs to this command only
    let o = claimcheck(&["helm-post-renderer", "x.yaml"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = claimcheck(&["check", "--fix", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    // check options apply: a rule turned off no longer stops Helm
    let o = claimcheck(
        &["helm-post-renderer", "--ignore", "CC004"],
        &fixture("helm/cache.yaml"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(o.stdout, fixture("helm/cache.yaml"));
    // JSON findings on standard error keep standard output for Helm
    let o = claimcheck(
        &["helm-post-renderer", "--format", "json"],
        &fixture("helm/cache.yaml"),
    );
    assert_eq!(o.status.code(), Some(1));
    let first = stderr(&o).lines().next().unwrap_or_default().to_string();
    let v: Value = serde_json::from_str(&first).expect("json on stderr");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn helm4_plugin_command_speaks_the_protocol() {
    let plugin = root().join("integrations/helm");
    let script = plugin.join("post-renderer.sh");
    let report =
        std::env::temp_dir().join(format!("claimcheck-helm-report-{}", std::process::id()));
    let _ = std::fs::remove_file(&report);
    let bin = env!("CARGO_BIN_EXE_claimcheck");
    let dir = plugin.to_string_lossy().into_owned();
    let report_s = report.to_string_lossy().into_owned();
    let env = [
        ("CLAIMCHECK_BIN", bin),
        ("HELM_PLUGIN_DIR", dir.as_str()),
        ("CLAIMCHECK_REPORT", report_s.as_str()),
    ];
    let clean = fixture("helm/db.yaml");
    let o = run(&script, &["--no-config"], &clean, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout == clean);
    let bad = fixture("helm/db-typo.yaml");
    let o = run(&script, &["--no-config"], &bad, &env);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("CC104"), "{}", stderr(&o));
    let copied = std::fs::read_to_string(&report).expect("report copy");
    assert!(copied.contains("db/templates/statefulset.yaml:14:24: CC104"));
    let o = run(&script, &["--no-config", "--fix"], &bad, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("podManagementPolicy: Parallel"));
    let _ = std::fs::remove_file(&report);

    // the manifest Helm 4 reads
    let manifest = std::fs::read_to_string(plugin.join("plugin.yaml")).expect("plugin.yaml");
    for line in [
        "apiVersion: v1",
        "type: postrenderer/v1",
        "name: claimcheck",
        "runtime: subprocess",
        "- command: ${HELM_PLUGIN_DIR}/post-renderer.sh",
        &format!("version: {}", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(
            manifest.lines().any(|l| l.trim() == line),
            "plugin.yaml lacks `{line}`"
        );
    }
}

// ---- Findings in rendered output name the template -----------------------------------------

#[test]
fn check_on_helm_template_output_maps_every_format() {
    let input = fixture("helm/cache.yaml");
    // text
    let o = claimcheck(&["check", "--no-color", "-"], &input);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("cache/templates/statefulset.yaml:37:22: CC004"));
    // JSON: the stream position stays, `source` adds the template
    let o = claimcheck(&["check", "--format", "json", "-"], &input);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert_eq!(d["range"]["start"]["line"], 59);
    assert_eq!(d["source"]["template"], "cache/templates/statefulset.yaml");
    assert_eq!(d["source"]["line"], 37);
    assert_eq!(d["source"]["column"], 22);
    // SARIF: the template is the location, the stream a related location
    let o = claimcheck(&["check", "--format", "sarif", "-"], &input);
    let v: Value = serde_json::from_slice(&o.stdout).expect("sarif");
    let r = &v["runs"][0]["results"][0];
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "cache/templates/statefulset.yaml"
    );
    assert_eq!(loc["region"]["startLine"], 37);
    let rel = &r["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], "%3Cstdin%3E");
    assert_eq!(rel["region"]["startLine"], 59);
    // GitLab code quality
    let o = claimcheck(&["check", "--format", "gitlab", "-"], &input);
    let v: Value = serde_json::from_slice(&o.stdout).expect("gitlab");
    assert_eq!(v[0]["location"]["path"], "cache/templates/statefulset.yaml");
    assert_eq!(v[0]["location"]["lines"]["begin"], 37);
    // a plain file keeps its own path, and `# Source:` inside a block scalar is data
    let o = claimcheck(
        &["check", "--format", "json", "-"],
        &fixture("helm/db-typo.yaml"),
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    for d in v["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert_eq!(d["source"]["template"], "db/templates/statefulset.yaml");
    }
    let seed = root().join("examples/seed.yaml");
    let o = run(
        Path::new(env!("CARGO_BIN_EXE_claimcheck")),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            &seed.to_string_lossy(),
        ],
        b"",
        &[],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v["files"][0]["diagnostics"][0].get("source").is_none());
}

#[test]
fn gitlab_report_has_the_fields_gitlab_reads() {
    let seed = root().join("examples/seed.yaml");
    let o = run(
        Path::new(env!("CARGO_BIN_EXE_claimcheck")),
        &[
            "check",
            "--no-config",
            "--format",
            "gitlab",
            &seed.to_string_lossy(),
        ],
        b"",
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let issues = v.as_array().cloned().unwrap_or_default();
    assert!(!issues.is_empty());
    let mut prints = std::collections::HashSet::new();
    for i in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap_or_default()));
        assert!(i["location"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("seed.yaml")));
        assert!(i["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
        assert!(
            prints.insert(i["fingerprint"].to_string()),
            "unique fingerprints"
        );
    }
    // stable from run to run
    let again = run(
        Path::new(env!("CARGO_BIN_EXE_claimcheck")),
        &[
            "check",
            "--no-config",
            "--format",
            "gitlab",
            &seed.to_string_lossy(),
        ],
        b"",
        &[],
    );
    assert_eq!(again.stdout, o.stdout);
    // no findings: an empty array
    let o = claimcheck(
        &["check", "--format", "gitlab", "-"],
        &fixture("helm/db.yaml"),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).ok(),
        Some(Value::Array(vec![]))
    );
}

// ---- kubectl ----------------------------------------------------------------------------

#[test]
fn kubectl_get_dump_gives_bundle_context() {
    let full = fixture_text("kubectl/get-sts-pvc-svc-sc.yaml");
    let codes = |text: &str| -> Vec<String> {
        let o = claimcheck(&["check", "--format", "json", "-"], text.as_bytes());
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        v["files"][0]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect()
    };
    // the Service `web` and the StorageClass `fast-ssd` of the List satisfy the StatefulSet
    let with = codes(&full);
    assert!(
        !with.iter().any(|c| c == "CC401" || c == "CC404"),
        "{with:?}"
    );
    // without the Services: CC401
    let without = codes(&fixture_text("kubectl/get-sts-pvc.yaml"));
    assert!(without.iter().any(|c| c == "CC401"), "{without:?}");
    // a List whose StorageClasses lack `fast-ssd`: CC404
    let renamed = full.replacen(
        "    name: fast-ssd\n    resourceVersion: \"310\"",
        "    name: slow-hdd\n    resourceVersion: \"310\"",
        1,
    );
    assert_ne!(renamed, full);
    let other = codes(&renamed);
    assert!(other.iter().any(|c| c == "CC404"), "{other:?}");
}

#[test]
fn kubectl_plugin_binary_is_the_cli() {
    let seed = root().join("examples/seed.yaml");
    let seed = seed.to_string_lossy();
    let a = run(
        Path::new(env!("CARGO_BIN_EXE_kubectl-claimcheck")),
        &["check", "--no-config", "--no-color", &seed],
        b"",
        &[],
    );
    let b = run(
        Path::new(env!("CARGO_BIN_EXE_claimcheck")),
        &["check", "--no-config", "--no-color", &seed],
        b"",
        &[],
    );
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(a.stdout, b.stdout);
    assert!(stdout(&a).contains("CC201"));
}

// ---- SARIF against the SARIF 2.1.0 schema -----------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/sarif/sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile the SARIF schema")
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// What GitHub code scanning needs beyond the schema.
fn assert_github_shape(sarif: &Value, what: &str) {
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.len() > 40, "{what}: the whole catalogue");
    for r in &rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{what}: {key} of {r}"
            );
        }
        let uri = r["helpUri"].as_str().unwrap_or_default();
        assert!(
            uri.starts_with("https://") && uri.contains('#'),
            "{what}: helpUri {uri}"
        );
        assert!(r["defaultConfiguration"]["level"].is_string());
    }
    for res in run["results"].as_array().into_iter().flatten() {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"], "{what}: ruleIndex");
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or_default();
        assert!(
            !uri.is_empty() && !uri.contains("://"),
            "{what}: relative uri {uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(loc["region"]["startColumn"]
            .as_u64()
            .is_some_and(|c| c >= 1));
    }
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let validator = sarif_validator();
    let seed = root().join("examples/seed.yaml");
    let dir = std::env::temp_dir().join(format!("claimcheck sarif {}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let spaced = dir.join("my sts.yaml");
    std::fs::write(&spaced, fixture("helm/db-typo.yaml")).expect("write");
    let cases: Vec<(String, Output)> = vec![
        (
            "seed".into(),
            run(
                Path::new(env!("CARGO_BIN_EXE_claimcheck")),
                &[
                    "check",
                    "--no-config",
                    "--format",
                    "sarif",
                    &seed.to_string_lossy(),
                ],
                b"",
                &[],
            ),
        ),
        (
            "helm stream on stdin".into(),
            claimcheck(
                &["check", "--format", "sarif", "-"],
                &fixture("helm/cache.yaml"),
            ),
        ),
        (
            "clean".into(),
            claimcheck(
                &["check", "--format", "sarif", "-"],
                &fixture("helm/db.yaml"),
            ),
        ),
        (
            "path with a space".into(),
            run(
                Path::new(env!("CARGO_BIN_EXE_claimcheck")),
                &[
                    "check",
                    "--no-config",
                    "--format",
                    "sarif",
                    &spaced.to_string_lossy(),
                ],
                b"",
                &[],
            ),
        ),
        (
            "broken YAML".into(),
            claimcheck(&["check", "--format", "sarif", "-"], b"a: [\n"),
        ),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    let mut results = 0;
    for (what, o) in &cases {
        let v: Value = serde_json::from_slice(&o.stdout).expect("sarif json");
        assert_valid(&validator, &v, what);
        assert_github_shape(&v, what);
        results += v["runs"][0]["results"].as_array().map_or(0, Vec::len);
    }
    assert!(results >= 5, "the cases hold findings");

    // the validator is not a rubber stamp: each of these breaks the schema
    let (_, o) = &cases[0];
    let good: Value = serde_json::from_slice(&o.stdout).expect("sarif json");
    let mut bad = good.clone();
    bad["version"] = Value::from("2.0.0");
    assert!(!validator.is_valid(&bad), "version");
    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&bad), "level");
    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&bad), "startLine");
    let mut bad = good;
    bad["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = Value::from("not a uri");
    assert!(!validator.is_valid(&bad), "helpUri format");
}

// ---- git hooks: YAML and JSON that is not Kubernetes ----------------------------------------

#[test]
fn skip_non_kubernetes_leaves_other_files_alone() {
    let dir = std::env::temp_dir().join(format!("claimcheck-hooks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let files = [
        ("ci.yml", "name: ci\non: push\njobs: {}\n"),
        ("Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n"),
        ("package.json", "{\"name\": \"app\", \"private\": true}\n"),
        (
            "kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [sts.yaml]\n",
        ),
    ];
    let mut paths = Vec::new();
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        paths.push(p.to_string_lossy().into_owned());
    }
    let seed = dir.join("seed.yaml");
    std::fs::copy(root().join("examples/seed.yaml"), &seed).expect("copy");
    let bin = Path::new(env!("CARGO_BIN_EXE_claimcheck"));
    let args = |extra: &[&str], files: &[String]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend(files.iter().cloned());
        v
    };
    let call = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        run(bin, &refs, b"", &[])
    };
    // without the flag every one of them is a CC006 error
    let o = call(args(&["check", "--no-config", "--format", "json"], &paths));
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    for f in v["files"].as_array().into_iter().flatten() {
        assert!(
            f["diagnostics"].as_array().is_some_and(|d| !d.is_empty()),
            "{f}"
        );
    }
    // with it: clean
    let o = call(args(
        &["check", "--no-config", "--skip-non-kubernetes"],
        &paths,
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("All checks passed (4 files)"),
        "{}",
        stdout(&o)
    );
    // and a manifest among them is still checked and fixed
    let mut all = paths.clone();
    all.push(seed.to_string_lossy().into_owned());
    let o = call(args(
        &["check", "--no-config", "--skip-non-kubernetes"],
        &all,
    ));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("CC201"));
    let o = call(args(&["fix", "--no-config", "--skip-non-kubernetes"], &all));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (name, text) in files {
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).expect("read"),
            text,
            "{name} untouched"
        );
    }
    let o = call(args(
        &["check", "--no-config", "--skip-non-kubernetes"],
        &all,
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // a broken file is still reported
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "a: [\n").expect("write");
    let o = call(args(
        &["check", "--no-config", "--skip-non-kubernetes"],
        &[broken.to_string_lossy().into_owned()],
    ));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("CC001"));
    let _ = std::fs::remove_dir_all(&dir);
}
