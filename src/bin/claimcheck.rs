//! The native command line: a thin host ([`claimcheck::cli::native::NativeHost`]) for
//! [`claimcheck::cli::run`], which the Node CLI runs too (through WebAssembly).

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
