//! The native CLI as a user runs it: exit codes, the JSON contract, SARIF, fixes on disk, and
//! hostile input (which must give a diagnostic or a clear error, never a panic).

#[path = "support/temp.rs"]
mod temp;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use temp::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_claimcheck"))
}

/// Runs the CLI with `args`.
fn run<const N: usize>(args: [&str; N]) -> Output {
    bin().args(args).output().expect("run claimcheck")
}

/// Runs the CLI with `args` and then the file `file`.
fn run_on(args: &[&str], file: impl AsRef<std::path::Path>) -> Output {
    bin()
        .args(args)
        .arg(file.as_ref())
        .output()
        .expect("run claimcheck")
}

/// The exit status of the CLI with `args`.
fn status<const N: usize>(args: [&str; N]) -> Option<i32> {
    run(args).status.code()
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/seed.yaml")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn claimcheck");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("wait claimcheck")
}

fn temp_dir(name: &str) -> TempDir {
    TempDir::new(name)
}

fn no_panic(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "panic: {err}");
}

#[test]
fn check_seed_reports_the_four_problems_with_positions() {
    let o = run_on(&["check", "--format", "json"], example());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json output");
    let diags = v["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let find = |code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} missing in {diags:?}"))
    };
    let cc201 = find("CC201");
    assert_eq!(cc201["severity"], "error");
    assert_eq!(cc201["document"], 1);
    assert_eq!(cc201["pointer"], "/spec/volumeClaimTemplates/0");
    assert_eq!(
        cc201["range"]["start"],
        serde_json::json!({"line": 50, "column": 5})
    );
    assert_eq!(cc201["fix"]["applicability"], "safe");
    let cc301 = find("CC301");
    assert_eq!(
        cc301["pointer"],
        "/spec/template/spec/containers/0/volumeMounts/0/name"
    );
    assert_eq!(
        cc301["range"]["start"],
        serde_json::json!({"line": 48, "column": 17})
    );
    assert_eq!(
        cc301["range"]["end"],
        serde_json::json!({"line": 48, "column": 21})
    );
    let cc401 = find("CC401");
    assert_eq!(cc401["pointer"], "/spec/serviceName");
    assert_eq!(cc401["range"]["start"]["line"], 30);
    let cc407 = find("CC407");
    assert_eq!(cc407["document"], 0);
    assert_eq!(cc407["pointer"], "/metadata/name");
    assert_eq!(
        cc407["range"]["start"],
        serde_json::json!({"line": 15, "column": 9})
    );
    // the contract's keys
    for d in &diags {
        for k in [
            "code", "name", "severity", "message", "document", "pointer", "range", "fix",
        ] {
            assert!(d.get(k).is_some(), "{k} missing in {d}");
        }
    }
}

#[test]
fn text_output_has_code_frames_and_summary() {
    let o = run_on(&["check", "--no-color"], example());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("seed.yaml:48:17: CC301 [error]"), "{s}");
    assert!(s.contains("48 |           name: data"), "{s}");
    assert!(
        s.contains("Found 4 problems (2 errors, 0 warnings, 2 hints)"),
        "{s}"
    );
}

#[test]
fn fix_in_place_keeps_comments_and_leaves_no_errors() {
    let dir = temp_dir("fix");
    let f = dir.join("seed.yaml");
    let mut text = std::fs::read_to_string(example()).expect("example");
    text = text.replace(
        "  volumeClaimTemplates:\n",
        "  # claim templates: one per replica\n  volumeClaimTemplates:\n",
    );
    text = text.replace(
        "        storage: 1Gi\n",
        "        storage: 1Gi # enough for now\n",
    );
    std::fs::write(&f, &text).expect("write");
    let o = run_on(&["fix"], &f);
    no_panic(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixed = std::fs::read_to_string(&f).expect("read back");
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with('#') || l.contains(" # "))
    {
        assert!(
            fixed.contains(line.trim_start()),
            "lost comment line {line:?}\n{fixed}"
        );
    }
    assert!(
        fixed.contains("  - metadata:\n      name: data\n    spec:\n      accessModes:"),
        "{fixed}"
    );
    let o = run_on(&["check", "--format", "json"], &f);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn fix_diff_prints_a_unified_diff() {
    let o = run_on(&["fix", "--diff"], example());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("@@ -47,8 +47,11 @@"), "{s}");
    assert!(s.contains("+  - metadata:"), "{s}");
    assert!(s.contains("-  - accessModes:"), "{s}");
}

#[test]
fn sarif_is_2_1_0_with_rule_metadata() {
    let o = run_on(&["check", "--format", "sarif"], example());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "CC301" && r["name"] == "volume-mount-not-found"));
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert!(results.iter().any(|r| r["ruleId"] == "CC201"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 50));
}

#[test]
fn rules_lists_the_catalogue() {
    let o = run(["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let codes: Vec<&str> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["code"].as_str())
        .collect();
    for c in [
        "CC001", "CC002", "CC003", "CC004", "CC006", "CC007", "CC201", "CC202", "CC301", "CC401",
        "CC407",
    ] {
        assert!(codes.contains(&c), "{c} missing");
    }
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(status(["check", "--format", "xml"]), Some(2));
    assert_eq!(status(["frobnicate"]), Some(2));
    assert_eq!(status(["check", "/nonexistent/x.yaml"]), Some(2));
    assert_eq!(
        status(["check", "--kubernetes-version", "1.99", "-"]),
        Some(2)
    );
    assert_eq!(status(["check", "--disable", "CC999", "-"]), Some(2));
}

#[test]
fn hostile_inputs_give_diagnostics_not_panics() {
    // malformed YAML
    let o = run_stdin(&["check", "--format", "json"], b"a: [1, 2\nb: {c\n");
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["files"][0]["diagnostics"][0]["code"], "CC001");

    // billion laughs
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
        bomb.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n.to_string();
    }
    let start = std::time::Instant::now();
    let o = run_stdin(&["check", "--format", "json"], bomb.as_bytes());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("billion laughs"));
    assert!(
        start.elapsed().as_secs() < 20,
        "alias bomb was not refused quickly"
    );

    // a 50 MB file
    let dir = temp_dir("big");
    let big = dir.join("big.yaml");
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let text = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    std::fs::write(&big, text).expect("write big");
    let o = run_on(&["check", "--format", "json"], &big);
    no_panic(&o);
    // read up to the limit plus one byte, then refused as an input failure
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("larger than the input limit"));

    // a scalar document and a list document
    for doc in [&b"just a string\n"[..], &b"- a\n- b\n"[..], &b"42\n"[..]] {
        let o = run_stdin(&["check", "--format", "json"], doc);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stdout).contains("CC006"));
    }

    // binary garbage
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let o = run_stdin(&["check"], &garbage);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("<stdin>: not UTF-8"));
    // `-` is standard input too, named as in findings
    let o = run_stdin(&["check", "-"], &garbage);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("<stdin>: not UTF-8"));

    // deep nesting
    let deep = "[".repeat(200_000);
    let o = run_stdin(&["check", "--format", "json"], deep.as_bytes());
    no_panic(&o);
    assert_eq!(o.status.code(), Some(1));

    // control characters and NUL inside valid UTF-8
    let o = run_stdin(&["check", "--format", "json"], b"a: \x00\x01\nkind: \x07\n");
    no_panic(&o);
    assert!(o.status.code() == Some(1) || o.status.code() == Some(0));
}

/// A manifest's names and lines may hold control characters (an escape sequence in a quoted
/// key, a raw ESC or a C1 CSI); the text report and the fix lines never pass them to the
/// terminal (each shows as one sign, so carets still line up), while the JSON output keeps the
/// name exact.
#[test]
fn text_output_never_prints_control_characters_from_the_input() {
    let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  \
                \"na\\e]0;owned\\ame\\u009b\": x\n  name\x1b[2J: y\nspec:\n  accessModes: []\n";
    let t = temp_dir("control-chars");
    let f = t.path().join("pvc.yaml");
    std::fs::write(&f, text).expect("write");
    let out = run_on(&["check"], &f);
    no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("unknown field `na␛]0;owned␇me\u{fffd}` in `metadata`"),
        "{stdout}"
    );
    assert!(stdout.contains("6 |   name␛[2J: y"), "{stdout}");
    let json = run_on(&["check", "--format", "json"], &f);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let messages: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["message"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`na\u{1b}]0;owned\u{7}me\u{9b}`")),
        "{messages:?}"
    );
    let fixed = run_on(&["fix", "--unsafe-fixes", "--stdout"], &f);
    let stderr = String::from_utf8_lossy(&fixed.stderr);
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
}

/// Under a span that follows a tab, the caret line repeats the tab.
#[test]
fn carets_follow_tabs_in_the_line() {
    let t = temp_dir("tab-carets");
    let f = t.path().join("pvc.yaml");
    std::fs::write(
        &f,
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: \t1gi}}}\n",
    )
    .expect("write");
    let out = run_on(&["check"], &f);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let carets = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("| ") && l.contains('^'))
        .unwrap_or_default();
    let prefix = "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: \t";
    let want: String = prefix
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    assert!(carets.ends_with(&format!("| {want}^^^")), "{stdout}");
}

/// The summary says how many findings `claimcheck fix` fixes and how many more need
/// `--unsafe-fixes` (suggestions are not counted).
#[test]
fn the_summary_counts_safe_and_unsafe_fixes_apart() {
    let t = temp_dir("fix-summary");
    let cases = [
        // the seed: one safe fix (CC202 names the claim template)
        (
            std::fs::read_to_string(example()).expect("seed"),
            "1 fixable with `claimcheck fix`.\n",
        ),
        // two CC004 findings, both unsafe
        (
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: ReadWriteOnce\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  replicas: \"3\"\n  serviceName: s\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: busybox}]}\n".to_string(),
            "2 fixable with `claimcheck fix --unsafe-fixes`.\n",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let f = t.path().join(format!("case{i}.yaml"));
        std::fs::write(&f, text).expect("write");
        let out = run_on(&["check"], &f);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.ends_with(want), "{stdout}");
    }
    let both = t.path().join("both.yaml");
    std::fs::write(&both, format!("{}---\n{}", cases[0].0, cases[1].0)).expect("write");
    let stdout = String::from_utf8_lossy(&run_on(&["check"], &both).stdout).into_owned();
    assert!(
        stdout.ends_with("1 fixable with `claimcheck fix`, 2 more with `--unsafe-fixes`.\n"),
        "{stdout}"
    );
}
