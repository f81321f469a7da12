//! The native host of the command line: `std::fs`, the process's streams and environment.

use std::fs;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use super::host::{DirEntry, Host, Input};

#[derive(Debug, Default)]
pub struct NativeHost;

impl Host for NativeHost {
    fn read(&mut self, input: Input<'_>, max: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let limit = u64::try_from(max).unwrap_or(u64::MAX);
        match input {
            Input::Stdin => std::io::stdin().lock().take(limit).read_to_end(&mut out),
            Input::File(p) => fs::File::open(p).and_then(|f| f.take(limit).read_to_end(&mut out)),
        }
        .map_err(|e| e.to_string())?;
        Ok(out)
    }

    fn exists(&mut self, path: &str) -> bool {
        fs::metadata(path).is_ok()
    }

    fn is_file(&mut self, path: &str) -> bool {
        Path::new(path).is_file()
    }

    fn list_dir(&mut self, dir: &str) -> Vec<DirEntry> {
        let dir = if dir.is_empty() { "." } else { dir };
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| DirEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir: e.file_type().is_ok_and(|t| t.is_dir()),
            })
            .collect()
    }

    fn write_atomic(&mut self, path: &str, contents: &[u8]) -> Result<(), String> {
        write_atomic(Path::new(path), contents)
    }

    fn stdout(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn stderr(&mut self, text: &str) {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    fn current_dir(&mut self) -> String {
        std::env::current_dir()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| ".".into())
    }

    fn env(&mut self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    fn stdout_is_tty(&mut self) -> bool {
        std::io::stdout().is_terminal()
    }
}

/// Replaces the contents of the existing file `path`: a temporary file beside its target
/// (through symbolic links), synced, given the original's permissions (and owner, where
/// allowed), renamed over the target, and the directory synced. Read-only files and
/// directories are refused even where the user could write them (root).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    let target = fs::canonicalize(path).map_err(|e| e.to_string())?;
    let meta = fs::metadata(&target).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.permissions().readonly() {
        return Err("the file is read-only (Permission denied)".into());
    }
    let dir = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    let dir_meta = fs::metadata(&dir).map_err(|e| e.to_string())?;
    if dir_meta.permissions().readonly() {
        return Err(format!(
            "its directory {} is read-only (Permission denied)",
            dir.display()
        ));
    }
    let (temp, written) = {
        // the file is closed at the end of this block, before the rename
        let (temp, mut file) = temp_file(&dir, &target)?;
        let written = file
            .write_all(contents)
            .and_then(|()| file.sync_all())
            .and_then(|()| fs::set_permissions(&temp, meta.permissions()))
            .map_err(|e| e.to_string());
        (temp, written)
    };
    let result = written.and_then(|()| {
        keep_owner(&temp, &meta);
        fs::rename(&temp, &target).map_err(|e| e.to_string())
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    } else if let Ok(d) = fs::File::open(&dir) {
        // the rename itself reaches the disk with the directory
        let _ = d.sync_all();
    }
    result
}

fn temp_file(dir: &Path, target: &Path) -> Result<(PathBuf, fs::File), String> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = String::new();
    for n in 0..100 {
        let temp = dir.join(format!(".{name}.claimcheck-{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(f) => return Ok((temp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = e.to_string(),
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(last)
}

#[cfg(unix)]
fn keep_owner(temp: &Path, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Only root may give a file away; for anyone else the new file is already theirs.
    let _ = std::os::unix::fs::chown(temp, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_temp: &Path, _meta: &fs::Metadata) {}

/// The `main` of the native binaries (`claimcheck`, and `kubectl-claimcheck`, which kubectl
/// runs as `kubectl claimcheck`): the process's arguments (after the program name) through
/// [`super::run`] on the native host.
pub fn main() -> std::process::ExitCode {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    std::process::ExitCode::from(super::run(&argv, &mut NativeHost))
}
