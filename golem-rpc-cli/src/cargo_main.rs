//! `cargo golem-rpc …`: cargo runs `cargo-golem-rpc golem-rpc …`; drop the subcommand name it
//! passes and run the tool.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "golem-rpc") {
        args.remove(1);
    }
    golem_rpc_cli::run_as("cargo golem-rpc", args)
}
