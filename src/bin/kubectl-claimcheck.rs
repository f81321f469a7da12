//! `kubectl claimcheck …`: kubectl runs an executable named `kubectl-claimcheck` found on PATH
//! with the arguments after `kubectl claimcheck`; it is the `claimcheck` command itself.

#[path = "claimcheck.rs"]
mod claimcheck_cli;

fn main() -> std::process::ExitCode {
    claimcheck_cli::main()
}
