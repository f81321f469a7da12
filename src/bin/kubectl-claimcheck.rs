//! `kubectl claimcheck …`: kubectl runs an executable named `kubectl-claimcheck` found on PATH
//! with the arguments after `kubectl claimcheck`; it is the `claimcheck` command itself (the
//! same thin host of [`claimcheck::cli::run`]).

/// mimalloc instead of the system allocator: the trees of a large input are many small
/// allocations (benchmarks/README.md, "The tree lane, session 5").
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
