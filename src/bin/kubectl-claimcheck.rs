//! `kubectl claimcheck …`: kubectl runs an executable named `kubectl-claimcheck` found on PATH
//! with the arguments after `kubectl claimcheck`; it is the `claimcheck` command itself (the
//! same thin host of [`claimcheck::cli::run`]).

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    ExitCode::from(claimcheck::cli::run(
        &argv,
        &mut claimcheck::cli::native::NativeHost,
    ))
}
