//! `kubectl claimcheck …`: kubectl runs an executable named `kubectl-claimcheck` found on PATH
//! with the arguments after `kubectl claimcheck`; it is the `claimcheck` command itself (the
//! same thin host of [`claimcheck::cli::run`]).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
