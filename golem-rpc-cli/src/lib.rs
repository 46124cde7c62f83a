//! `golem-rpc`, the post-build tool for components that use `golem_rpc::import!`.
//!
//! - `golem-rpc check CALLER.wasm [TARGET.wasm ...] [--profile golem-1.0|golem-1.1.26|golem-1.2|golem-1.3|golem-1.4] [--format json]`:
//!   fails if the caller imports anything the selected Golem host profile does not provide
//!   ([`profile`]), compares what each `import!` was built against (the `golem-rpc:import`
//!   custom section, [`section`]) with the given targets' real exports, warns about imports
//!   that are declared but unused, and estimates the bytes each import adds ([`check`]).
//! - `golem-rpc compose CALLER.wasm --plug NAME=PATH.wasm ... -o OUT.wasm`: plugs other
//!   components' exports into the caller's imports with `wac-graph` ([`compose`]).
//! - `golem-rpc migrate [DIR] [--dry-run]`: rewrites a Golem 1.0/1.1 stubgen workspace to
//!   `golem_rpc::import!` in place ([`migrate`]).
//!
//! Output is rustc-style `error:` / `warning:` / `note:` lines (coloured when stdout is a
//! terminal and `NO_COLOR` is unset), or with `--format json` one JSON document ([`report`]):
//! `command`, `subject`, `ok`, `errors`, `warnings`, `findings` (each with `level`, `code`,
//! `message`, `notes` and code-specific fields such as `function`, `caller_signature`,
//! `target_signature`), plus for `check` `profile`, `imports`, `records` and `sizes`, and for
//! `compose` `plugs`, `output` and `output_size`. The exit code is 1 if there are errors, 2 for
//! bad usage, and 0 otherwise (also with warnings).
//!
//! Finding codes: `unreadable-component`, `unprovided-import`, `unprovided-function`,
//! `malformed-section`, `missing-function`, `signature-drift` (errors); `unused-import`,
//! `unmatched-target` (warnings); `imports`, `import`, `no-records`, `target-ok`,
//! `unverified`, `size` (notes); for `compose`: `type-mismatch`, `duplicate-plug`,
//! `composition-failed`, `unwritable-output` (errors), `unused-plug`, `nothing-plugged`
//! (warnings), `plugged`, `written` (notes).

#![warn(missing_docs)]

pub mod check;
pub mod compose;
mod exports;
pub mod migrate;
pub mod profile;
pub mod report;
pub mod section;
mod size;
pub mod wasm;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};

use crate::profile::Profile;
use crate::report::Report;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "golem-rpc",
    version,
    about = "Post-build checks and composition for Golem components that use golem_rpc::import!"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a caller's imports against a Golem host profile and its `import!`s against targets.
    Check {
        /// The caller component.
        caller: PathBuf,
        /// Target components to compare the caller's `import!` records with.
        targets: Vec<PathBuf>,
        /// The Golem host profile the caller's imports must be provided by: golem-1.0 (Golem
        /// 1.0/1.1, also called golem-1.1), golem-1.1.26 (Golem 1.1.19 to 1.1.26, with
        /// golem:rpc@0.1.3's schedules), golem-1.2, golem-1.3 or golem-1.4. Detected from the
        /// caller's imports when not given (golem-1.4 if it imports golem:api@1.3+, golem-1.3 if
        /// golem:rpc@0.2.2+ / golem:api@1.1.7+, both with nothing of 1.0/1.1's, golem-1.2 if golem:rpc@0.2 / golem:api@1.x only,
        /// golem-1.1.26 if golem:rpc@0.1.1+ or golem:api@1.x next to golem:rpc@0.1, else
        /// golem-1.0).
        #[arg(long, value_parser = parse_profile)]
        profile: Option<Profile>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Rewrite a Golem 1.0/1.1 stubgen workspace (stub crates, composed callers) to use
    /// `golem_rpc::import!`, in place.
    Migrate {
        /// The workspace root (default: the current directory).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print the plan as a diff; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Depend on golem-rpc at this path (a checkout's `golem-rpc-runtime`) instead of
        /// `golem-rpc = "0.1"` from crates.io.
        #[arg(long, value_name = "DIR")]
        golem_rpc_path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Plug components' exports into a caller's matching imports (with wac-graph).
    Compose {
        /// The caller component.
        caller: PathBuf,
        /// A component whose exports satisfy the caller's imports, as NAME=PATH.
        #[arg(long = "plug", value_name = "NAME=PATH", required = true, value_parser = parse_plug)]
        plugs: Vec<(String, PathBuf)>,
        /// Where to write the composed component.
        #[arg(short, long, value_name = "OUT.wasm")]
        output: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_profile(name: &str) -> Result<Profile, String> {
    Profile::named(name).ok_or_else(|| {
        format!(
            "unknown profile `{name}` (known: {})",
            Profile::names().collect::<Vec<_>>().join(", ")
        )
    })
}

fn parse_plug(arg: &str) -> Result<(String, PathBuf), String> {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=PATH, found `{arg}`")),
    }
}

/// Runs the tool with `args` (including the program name) and returns its exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    run_as("golem-rpc", args)
}

/// [`run`], naming the program `bin_name` in usage messages (`cargo golem-rpc`).
pub fn run_as(bin_name: &'static str, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let parsed = Cli::command()
        .bin_name(bin_name)
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let (report, format) = match cli.command {
        Command::Check {
            caller,
            targets,
            profile,
            format,
        } => (
            check::check(&check::CheckOptions {
                caller,
                targets,
                profile,
            }),
            format,
        ),
        Command::Migrate {
            dir,
            dry_run,
            golem_rpc_path,
            format,
        } => (
            migrate::migrate(&migrate::MigrateOptions {
                dir,
                dry_run,
                golem_rpc_path,
            }),
            format,
        ),
        Command::Compose {
            caller,
            plugs,
            output,
            format,
        } => (
            compose::compose(&compose::ComposeOptions {
                caller,
                plugs,
                output,
            }),
            format,
        ),
    };
    print(&report, format);
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print(report: &Report, format: Format) {
    let stdout = std::io::stdout();
    let text = match format {
        Format::Json => format!("{:#}\n", report.to_json()),
        Format::Text => {
            let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report.to_text(colour)
        }
    };
    // A closed pipe is not worth a panic.
    let _ = stdout.lock().write_all(text.as_bytes());
}
