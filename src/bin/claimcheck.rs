//! The native command line: a thin host ([`claimcheck::cli::native::NativeHost`]) for
//! [`claimcheck::cli::run`], which the Node CLI runs too (through WebAssembly).

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
