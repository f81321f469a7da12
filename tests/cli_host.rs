//! The command line's host boundary: bounded reads (`check /dev/zero`), atomic in-place
//! fixes (permissions, symbolic links, read-only files and directories, a file changed while
//! fixing, a failed write), and `cli::run` on an in-memory host.

#[path = "support/temp.rs"]
mod temp;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use temp::TempDir;

use claimcheck::cli::{self, DirEntry, Host, Input};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_claimcheck"))
}

fn seed() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/seed.yaml"))
        .expect("seed")
}

fn temp_dir(name: &str) -> TempDir {
    TempDir::new(name)
}

/// Runs the binary under a shell with 512 MiB of address space at most.
fn bounded(script: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 524288; {script}"))
        .env("CC", env!("CARGO_BIN_EXE_claimcheck"))
        .output()
        .expect("sh")
}

#[test]
fn endless_inputs_are_refused_after_the_limit() {
    for script in [
        r#"exec "$CC" check /dev/zero"#,
        r#"exec "$CC" check - < /dev/zero"#,
        r#"exec "$CC" fix /dev/zero"#,
    ] {
        let o = bounded(script);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{script}: {err}");
        assert!(
            err.contains("larger than the input limit of 16777216 bytes"),
            "{script}: {err}"
        );
        assert!(o.stdout.is_empty());
    }
    // exactly at the limit is still read (and linted)
    let dir = temp_dir("limit");
    let f = dir.join("at-limit.yaml");
    let limit = cli::input_limit();
    let text = format!("#{}\n", " ".repeat(limit - 2));
    std::fs::write(&f, &text).expect("write");
    let o = bin().arg("check").arg(&f).output().expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("All checks passed (1 file)"));
}

#[cfg(unix)]
#[test]
fn fix_in_place_is_atomic_keeps_permissions_and_writes_through_links() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = temp_dir("atomic");
    let target = dir.join("real.yaml");
    std::fs::write(&target, seed()).expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.join("link.yaml");
    symlink(&target, &link).expect("symlink");

    let o = bin().arg("fix").arg(&link).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("1 fix applied"), "{err}");
    // the link is still a link; its target holds the fix and its mode
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let fixed = std::fs::read_to_string(&target).expect("read");
    assert_ne!(fixed, seed());
    assert!(fixed.contains("name: data"));
    let mode = std::fs::metadata(&target)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
    // no temporary file left behind
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // a second run has nothing to do
    let o = bin().arg("fix").arg(&link).output().expect("run");
    assert!(String::from_utf8_lossy(&o.stderr).contains("0 fixes applied"));
}

#[cfg(unix)]
#[test]
fn read_only_files_and_directories_are_clear_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("readonly");
    let file = dir.join("ro.yaml");
    std::fs::write(&file, seed()).expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let o = bin().arg("fix").arg(&file).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("the file is read-only"), "{err}");
    assert!(
        err.contains("nothing was written (1 fix not applied)"),
        "{err}"
    );
    assert!(
        !err.contains("fix applied") && !err.contains("fixed CC"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), seed());

    let sub = dir.join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    let inner = sub.join("s.yaml");
    std::fs::write(&inner, seed()).expect("write");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let o = bin().arg("fix").arg(&inner).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is read-only"), "{err}");
    assert_eq!(std::fs::read_to_string(&inner).expect("read"), seed());
}

/// An in-memory host: files by name, what was printed, what was written.
#[derive(Default)]
struct MemHost {
    files: BTreeMap<String, Vec<u8>>,
    /// Replaces a file's contents after its first read (another program saving it).
    changes: BTreeMap<String, Vec<u8>>,
    write_error: Option<String>,
    out: String,
    err: String,
    reads: Vec<(String, usize)>,
}

impl Host for MemHost {
    fn read(&mut self, input: Input<'_>, max: usize) -> Result<Vec<u8>, String> {
        let Input::File(p) = input else {
            return Ok(Vec::new());
        };
        self.reads.push((p.to_string(), max));
        let data = self
            .files
            .get(p)
            .cloned()
            .ok_or("No such file or directory (os error 2)")?;
        if let Some(next) = self.changes.remove(p) {
            self.files.insert(p.to_string(), next);
        }
        Ok(data.into_iter().take(max).collect())
    }
    fn exists(&mut self, path: &str) -> bool {
        self.files.contains_key(path)
            || self
                .files
                .keys()
                .any(|k| k.starts_with(&format!("{path}/")))
    }
    fn is_file(&mut self, path: &str) -> bool {
        self.files.contains_key(path)
    }
    fn list_dir(&mut self, dir: &str) -> Vec<DirEntry> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut out: Vec<DirEntry> = Vec::new();
        for k in self.files.keys() {
            if let Some(rest) = k.strip_prefix(&prefix) {
                let (name, is_dir) = match rest.split_once('/') {
                    Some((d, _)) => (d, true),
                    None => (rest, false),
                };
                if !out.iter().any(|e| e.name == name) {
                    out.push(DirEntry {
                        name: name.into(),
                        is_dir,
                    });
                }
            }
        }
        out
    }
    fn write_atomic(&mut self, path: &str, contents: &[u8]) -> Result<(), String> {
        if let Some(e) = &self.write_error {
            return Err(e.clone());
        }
        self.files.insert(path.into(), contents.to_vec());
        Ok(())
    }
    fn stdout(&mut self, text: &str) {
        self.out.push_str(text);
    }
    fn stderr(&mut self, text: &str) {
        self.err.push_str(text);
    }
    fn current_dir(&mut self) -> String {
        "/work".into()
    }
    fn env(&mut self, _: &str) -> Option<String> {
        None
    }
    fn stdout_is_tty(&mut self) -> bool {
        false
    }
}

fn argv(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_file_changed_while_fixing_is_left_alone() {
    let mut h = MemHost::default();
    h.files.insert("s.yaml".into(), seed().into_bytes());
    h.changes.insert(
        "s.yaml".into(),
        b"# saved by an editor meanwhile\n".to_vec(),
    );
    let status = cli::run(&argv(&["fix", "s.yaml"]), &mut h);
    assert_eq!(status, 2, "{}", h.err);
    assert!(
        h.err
            .contains("s.yaml changed since it was read; not overwritten"),
        "{}",
        h.err
    );
    assert!(h.err.contains("nothing was written"), "{}", h.err);
    assert!(!h.err.contains("fix applied"), "{}", h.err);
    assert_eq!(h.files["s.yaml"], b"# saved by an editor meanwhile\n");
    // every read is bounded: the limit plus one byte, then the original's size plus one
    assert_eq!(h.reads[0], ("s.yaml".into(), cli::input_limit() + 1));
    assert_eq!(h.reads[1], ("s.yaml".into(), seed().len() + 1));
}

#[test]
fn a_failed_write_says_nothing_was_written() {
    let mut h = MemHost {
        write_error: Some("No space left on device (os error 28)".into()),
        ..MemHost::default()
    };
    h.files.insert("s.yaml".into(), seed().into_bytes());
    let status = cli::run(&argv(&["fix", "s.yaml"]), &mut h);
    assert_eq!(status, 2);
    assert_eq!(
        h.err,
        "claimcheck: cannot write s.yaml: No space left on device (os error 28)\n\
         s.yaml: nothing was written (1 fix not applied); the file is unchanged\n"
    );
    assert_eq!(h.files["s.yaml"], seed().as_bytes());
}

#[test]
fn globs_and_configuration_through_the_host() {
    let mut h = MemHost::default();
    h.files.insert("a/x.yaml".into(), seed().into_bytes());
    h.files
        .insert("a/b/y.yaml".into(), b"kind: Service\n".to_vec());
    h.files
        .insert("a/b/.hidden.yaml".into(), seed().into_bytes());
    h.files.insert("a/b/z.txt".into(), seed().into_bytes());
    h.files.insert(
        "/work/a/b/claimcheck.toml".into(),
        b"[rules]\ndisable = [\"CC006\"]\n".to_vec(),
    );
    let status = cli::run(&argv(&["check", "--format", "json", "a/**/*.yaml"]), &mut h);
    assert_eq!(status, 1, "{}", h.err);
    let v: serde_json::Value = serde_json::from_str(&h.out).expect("json");
    let paths: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["a/b/y.yaml", "a/x.yaml"]);
    // a/b/y.yaml is governed by a/b/claimcheck.toml: CC006 is off there
    assert!(!h.out.contains("CC006"));

    let mut h = MemHost::default();
    let status = cli::run(&argv(&["check", "nothing/*.yaml"]), &mut h);
    assert_eq!(status, 2);
    assert_eq!(
        h.err,
        "claimcheck: cannot read nothing/*.yaml: no file matches the pattern\n"
    );
}

#[test]
fn help_and_version_name_the_supported_versions_once() {
    let mut h = MemHost::default();
    assert_eq!(cli::run(&argv(&["--help"]), &mut h), 0);
    assert_eq!(h.out, format!("{}\n", cli::usage()));
    let (oldest, latest) = (
        claimcheck::KubeVersion::OLDEST,
        claimcheck::KubeVersion::LATEST,
    );
    assert!(h.out.contains(&format!(
        "(default: {latest}; supported: {oldest} to {latest})"
    )));
    assert!(!h.out.contains('{'));
    let mut h = MemHost::default();
    assert_eq!(cli::run(&[], &mut h), 2);
    let mut h = MemHost::default();
    assert_eq!(cli::run(&argv(&["check", "-V"]), &mut h), 0);
    assert_eq!(h.out, format!("claimcheck {}\n", env!("CARGO_PKG_VERSION")));
}
