//! `kubectl claimcheck …`: kubectl runs an executable named `kubectl-claimcheck` found on PATH
//! with the arguments after `kubectl claimcheck`; it is the `claimcheck` command itself (the
//! same thin host of [`claimcheck::cli::run`]).

fn main() -> std::process::ExitCode {
    claimcheck::cli::native::main()
}
