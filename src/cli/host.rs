//! What the command line needs from the machine it runs on. The native binary
//! (`cli::native::NativeHost`) and the Node CLI (`pkg/bin/claimcheck.js`, through
//! `runCli` in `src/wasm.rs`) implement it; everything else — arguments, configuration
//! discovery, rule selection, rendering, exit codes — is `cli::run`, once.
//!
//! Errors are the host's own words for an OS failure (the native host says
//! `No such file or directory (os error 2)`, and the Node host says the same); the command line
//! adds what it was doing (`cannot read x.yaml: ...`).

/// What to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    /// Standard input.
    Stdin,
    /// A file, by the name the user gave.
    File(&'a str),
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

pub trait Host {
    /// Reads at most `max` bytes of `input` (the command line passes its limit plus one, to
    /// tell a file at the limit from a larger one without reading the rest).
    fn read(&mut self, input: Input<'_>, max: usize) -> Result<Vec<u8>, String>;

    /// Whether `path` names something (a file, a directory, ...).
    fn exists(&mut self, path: &str) -> bool;

    /// Whether `path` names a regular file (or a link to one).
    fn is_file(&mut self, path: &str) -> bool;

    /// The entries of a directory (`""` is the current directory), any order; an unreadable
    /// directory has none.
    fn list_dir(&mut self, dir: &str) -> Vec<DirEntry>;

    /// Replaces the contents of the existing file `path` atomically: a temporary file in the
    /// target's directory, flushed to disk and renamed over it, keeping its permissions. A
    /// symbolic link is written through (its target is replaced, never the link). A
    /// read-only file or directory is an error. On error the file is unchanged.
    fn write_atomic(&mut self, path: &str, contents: &[u8]) -> Result<(), String>;

    fn stdout(&mut self, text: &str);
    fn stderr(&mut self, text: &str);

    /// The current directory, absolute.
    fn current_dir(&mut self) -> String;

    fn env(&mut self, name: &str) -> Option<String>;

    /// Whether standard output is a terminal (colours by default).
    fn stdout_is_tty(&mut self) -> bool;
}
