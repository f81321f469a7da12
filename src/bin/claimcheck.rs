//! The native command line: a thin host ([`claimcheck::cli::native::NativeHost`]) for
//! [`claimcheck::cli::run`], which the Node CLI runs too (through WebAssembly).

/// mimalloc instead of the system allocator: the trees of a large input are many small
/// allocations (benchmarks/README.md, "The tree lane, session 5").
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
