//! The `golem-rpc` binary; see the library docs.

use std::process::ExitCode;

fn main() -> ExitCode {
    golem_rpc_cli::run(std::env::args_os())
}
