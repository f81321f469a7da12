//! The native command line: a thin host ([`claimcheck::cli::native::NativeHost`]) for
//! [`claimcheck::cli::run`], which the Node CLI runs too (through WebAssembly).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
