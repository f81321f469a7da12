//! The command line's configuration: `claimcheck.toml` discovery (nearest wins), `--config`,
//! `--no-config`, flags over the file, and errors for anything unknown. Runs the built binary
//! on files in fresh temporary directories.

#[path = "support/temp.rs"]
mod temp;
use std::path::Path;
use std::process::{Command, Output};
use temp::TempDir;

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run claimcheck")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A StatefulSet whose serviceName names a Service that is not in the input (CC401, a hint
/// by default) and, with `mount`, a volumeMount that matches nothing (CC301, an error whose
/// message names the Kubernetes version).
fn statefulset(mount: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          volumeMounts:
            - name: {mount}
              mountPath: /data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
"
    )
}

/// A Service in front of the StatefulSet above that is not headless (CC402, unsafe fix).
const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
---
";

fn codes(o: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON output expected ({e}): {}\n{}", stdout(o), stderr(o)));
    v["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["diagnostics"].as_array().into_iter().flatten())
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn nearest_configuration_wins() {
    let t = TempDir::new("nearest");
    t.write("claimcheck.toml", "[rules]\ndisable = [\"CC401\"]\n");
    t.write(
        "team/claimcheck.toml",
        "# the team wants the Service in the same input\n[rules.severity]\nCC401 = \"error\"\n",
    );
    let outer = t.write("other/sts.yaml", &statefulset("data"));
    let inner = t.write("team/app/sts.yaml", &statefulset("data"));

    let o = run(
        t.path(),
        &["check", "--format", "json", &outer.to_string_lossy()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(codes(&o).is_empty(), "{:?}", codes(&o));

    let o = run(
        t.path(),
        &["check", "--format", "json", &inner.to_string_lossy()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(codes(&o), vec![("CC401".to_string(), "error".to_string())]);

    // both at once: each file follows its own configuration
    let o = run(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            &outer.to_string_lossy(),
            &inner.to_string_lossy(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(codes(&o), vec![("CC401".to_string(), "error".to_string())]);

    // a relative path and the current directory work the same way
    let o = run(
        &t.join("team"),
        &["check", "--format", "json", "app/sts.yaml"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn standard_input_uses_the_current_directory() {
    let t = TempDir::new("stdin");
    t.write("claimcheck.toml", "[rules.severity]\nCC401 = \"warning\"\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .args(["check", "--format", "json", "-"])
        .current_dir(t.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(statefulset("data").as_bytes())
            .expect("write stdin");
    }
    let o = child.wait_with_output().expect("wait");
    assert_eq!(
        codes(&o),
        vec![("CC401".to_string(), "warning".to_string())]
    );
}

#[test]
fn explicit_config_and_no_config() {
    let t = TempDir::new("explicit");
    t.write("claimcheck.toml", "[rules]\ndisable = [\"CC401\"]\n");
    let strict = t.write("strict.toml", "[rules.severity]\nCC4 = \"error\"\n");
    let file = t.write("sts.yaml", &statefulset("data"));
    let f = file.to_string_lossy();

    let o = run(t.path(), &["check", "--format", "json", &f]);
    assert!(codes(&o).is_empty());

    let o = run(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            &strict.to_string_lossy(),
            &f,
        ],
    );
    assert_eq!(codes(&o), vec![("CC401".to_string(), "error".to_string())]);
    assert_eq!(o.status.code(), Some(1));

    let o = run(t.path(), &["check", "--format", "json", "--no-config", &f]);
    assert_eq!(codes(&o), vec![("CC401".to_string(), "hint".to_string())]);
    assert_eq!(o.status.code(), Some(0));

    let o = run(
        t.path(),
        &[
            "check",
            "--config",
            &t.join("missing.toml").to_string_lossy(),
            &f,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml"), "{}", stderr(&o));
}

#[test]
fn flags_override_the_file() {
    let t = TempDir::new("flags");
    t.write(
        "claimcheck.toml",
        "[rules]\ndisable = [\"CC401\"]\n[rules.severity]\nCC301 = \"warning\"\n",
    );
    let f = t.write("sts.yaml", &statefulset("www"));
    let f = f.to_string_lossy();

    let o = run(t.path(), &["check", "--format", "json", &f]);
    assert_eq!(
        codes(&o),
        vec![("CC301".to_string(), "warning".to_string())]
    );
    assert_eq!(o.status.code(), Some(0));

    let o = run(
        t.path(),
        &["check", "--format", "json", "--severity", "CC301=error", &f],
    );
    assert_eq!(codes(&o), vec![("CC301".to_string(), "error".to_string())]);
    assert_eq!(o.status.code(), Some(1));

    // `--select` starts afresh (the file's `disable` no longer applies), `--ignore` removes
    let o = run(
        t.path(),
        &["check", "--format", "json", "--select", "CC4", &f],
    );
    assert_eq!(codes(&o), vec![("CC401".to_string(), "hint".to_string())]);
    let o = run(
        t.path(),
        &[
            "check",
            "--format",
            "json",
            "--extend-select",
            "CC401",
            "--ignore",
            "CC301",
            &f,
        ],
    );
    assert_eq!(codes(&o), vec![("CC401".to_string(), "hint".to_string())]);
}

#[test]
fn kubernetes_version_and_unsafe_fixes_from_the_file() {
    let t = TempDir::new("version");
    t.write(
        "claimcheck.toml",
        "kubernetes-version = \"1.32\"\nunsafe-fixes = true\n",
    );
    let f = t.write("sts.yaml", &statefulset("www"));
    let o = run(t.path(), &["check", &f.to_string_lossy()]);
    assert!(
        stdout(&o).contains("Kubernetes 1.32 accepts the StatefulSet"),
        "{}",
        stdout(&o)
    );
    let o = run(
        t.path(),
        &[
            "check",
            "--kubernetes-version",
            "1.35",
            &f.to_string_lossy(),
        ],
    );
    assert!(
        stdout(&o).contains("Kubernetes 1.35 rejects the StatefulSet"),
        "{}",
        stdout(&o)
    );

    // the file turns unsafe fixes on (CC402's fix is unsafe); the flag turns them off again
    let svc = t.write("svc.yaml", &format!("{SERVICE}{}", statefulset("data")));
    let svc = svc.to_string_lossy();
    let o = run(t.path(), &["fix", "--stdout", &svc]);
    assert!(stdout(&o).contains("clusterIP: None"), "{}", stdout(&o));
    let o = run(t.path(), &["fix", "--stdout", "--no-unsafe-fixes", &svc]);
    assert!(!stdout(&o).contains("clusterIP: None"), "{}", stdout(&o));
}

#[test]
fn unknown_keys_codes_and_values_are_errors() {
    let cases = [
        (
            "kubernetes-versoin = \"1.32\"\n",
            "unknown field `kubernetes-versoin`",
            ":1:",
        ),
        (
            "[rules]\ndisabled = [\"CC401\"]\n",
            "unknown field `disabled`",
            ":2:",
        ),
        (
            "[rules]\ndisable = [\"CC401\", \"CC499\"]\n",
            "unknown rule `CC499`",
            ":2:",
        ),
        (
            "[rules.severity]\nCC999 = \"error\"\n",
            "rules.severity.CC999",
            ":2:",
        ),
        (
            "[rules.severity]\nCC401 = \"fatal\"\n",
            "unknown severity `fatal`",
            ":2:",
        ),
        ("kubernetes-version = 1.30\n", "must be a string", ":1:"),
        (
            "kubernetes-version = \"1.99\"\n",
            "outside the supported range",
            ":1:",
        ),
        ("[rules]\nselect = [\"CC9\"]\n", "unknown rule `CC9`", ":2:"),
        ("[rules\n", "claimcheck.toml", ":1:"),
    ];
    for (i, (config, expect, line)) in cases.iter().enumerate() {
        let t = TempDir::new(&format!("bad{i}"));
        t.write("claimcheck.toml", config);
        let f = t.write("sts.yaml", &statefulset("data"));
        let o = run(t.path(), &["check", &f.to_string_lossy()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{config}: {err}");
        assert!(err.contains(expect), "{config}: {err}");
        assert!(
            err.contains(&format!("claimcheck.toml{line}")),
            "{config}: the message names the file and line: {err}"
        );
        // fix refuses too, before touching the file
        let o = run(t.path(), &["fix", &f.to_string_lossy()]);
        assert_eq!(o.status.code(), Some(2), "{config}");
    }
}

#[test]
fn unknown_rules_in_flags_are_usage_errors() {
    let t = TempDir::new("flagerr");
    let f = t.write("sts.yaml", &statefulset("data"));
    for args in [
        ["--disable", "CC999"],
        ["--select", "nonsense"],
        ["--severity", "CC401=fatal"],
        ["--severity", "CC999=error"],
    ] {
        let o = run(t.path(), &["check", args[0], args[1], &f.to_string_lossy()]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(args[0]), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn rules_markdown_is_the_docs_page() {
    let t = TempDir::new("md");
    let o = run(t.path(), &["rules", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), claimcheck::docs::rules_markdown());
    let o = run(t.path(), &["check", "--format", "markdown", "-"]);
    assert_eq!(o.status.code(), Some(2));
}
