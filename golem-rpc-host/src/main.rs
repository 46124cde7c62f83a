//! `golem-rpc-host`: run Golem components locally, with worker-to-worker RPC.
//!
//! ```text
//! golem-rpc-host run [LOAD OPTIONS] NAME/WORKER FUNCTION [ARG …]
//! golem-rpc-host repl [LOAD OPTIONS]
//! LOAD OPTIONS: --component NAME=PATH.wasm, --ephemeral-component NAME=PATH.wasm,
//!               --env KEY=VALUE, --arg ARG (each repeatable), --data-dir DIR, --log-level LEVEL
//! ```
//! FUNCTION is the Golem function name (`demo:counter/api.{get}`, or a bare name for a world-level
//! export); each ARG is WAVE text; each result is printed as WAVE on its own line. The repl reads
//! one call per line, `NAME/WORKER FUNCTION(ARG, …)`, and prints its results on one line.
//! Workers' stdout, stderr and log lines go to stderr, each line after the worker's name. Once
//! the last call returned, background invocations and scheduled invocations that come due get
//! `--background-timeout` seconds; what still runs is stopped, what is not due never runs, and
//! both are listed on stderr.
//!
//! `golem-rpc-host demo` builds the counter example of this repository and runs it.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use golem_rpc_host::Host;

/// Run Golem components locally, with worker-to-worker RPC (Golem 1.0/1.1's golem:rpc/types@0.1.x
/// and golem:api/host@0.2.x, Golem 1.2's golem:rpc/types@0.2.0 and golem:api/host@1.1.6).
#[derive(Parser)]
#[command(name = "golem-rpc-host", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load components and call one function of one worker.
    ///
    /// Once the call returned, background invocations it started (fire-and-forget and
    /// unfinished async calls) get --background-timeout to finish; those still running then are
    /// stopped and listed. Invocations scheduled with golem:rpc 0.2.0's schedule-invocation run
    /// if they come due within that time; the rest never run and are listed as `not run: …`
    /// (pending schedules do not keep the process alive). The same holds when a repl ends.
    Run(RunArgs),
    /// Load components, then run one call per line of standard input against the same workers.
    ///
    /// Each line is `NAME/WORKER FUNCTION(ARG, ARG, …)` with WAVE arguments (`NAME FUNCTION(…)`
    /// for a fresh worker named by a new UUID); the results are printed as WAVE on one
    /// line, a failed call as `error: …`. Empty lines and lines starting with `#` are skipped.
    Repl(LoadArgs),
    /// Build the counter example (examples/counter) and run its caller against a counter worker
    /// (in a checkout of the golem-rpc repository).
    Demo,
}

/// What to load into the host and what its workers start with.
#[derive(Args)]
struct LoadArgs {
    /// A component to load, as NAME=PATH.wasm (repeatable).
    #[arg(long = "component", value_name = "NAME=PATH")]
    components: Vec<String>,
    /// An ephemeral component to load, as NAME=PATH.wasm (repeatable): each invocation runs on a
    /// fresh instance; `urn:worker:{id}` without a worker name reaches a new worker per RPC client.
    #[arg(long = "ephemeral-component", value_name = "NAME=PATH")]
    ephemeral_components: Vec<String>,
    /// An environment variable for the workers, as KEY=VALUE (repeatable). Workers also get
    /// Golem's own: GOLEM_WORKER_NAME, GOLEM_COMPONENT_ID and GOLEM_COMPONENT_VERSION (and what
    /// Golem 1.3/1.4 add for components built for them).
    #[arg(long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,
    /// Also give workers {NAME}_COMPONENT_ID for every loaded component (a convenience of this
    /// host: Golem sets no such variables).
    #[arg(long = "component-id-env")]
    component_id_env: bool,
    /// The Golem version components whose imports fit several are taken for (1.2, 1.3 or 1.4):
    /// a caller importing only golem:rpc@0.2.2 fits 1.3 and 1.4, one importing none of Golem's
    /// packages fits all. Default: the oldest that fits.
    #[arg(long = "golem", value_name = "VERSION", value_parser = parse_golem_version)]
    golem: Option<golem_rpc_host::Generation>,
    /// A command-line argument for the workers (repeatable; workers created through RPC inherit
    /// their caller's).
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    worker_args: Vec<String>,
    /// Keep the key-value buckets and blob containers in this directory (created if needed), so
    /// that they outlive the process; in memory without it.
    #[arg(long = "data-dir", value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
    /// The lowest wasi:logging level shown: trace, debug, info, warn, error or critical.
    #[arg(long = "log-level", value_name = "LEVEL", default_value = "info")]
    log_level: golem_rpc_host::LogLevel,
    /// The most linear memory one worker may use, in MiB; past it the call fails with
    /// remote-internal-error.
    #[arg(long = "memory-limit", value_name = "MIB", default_value_t = 1024)]
    memory_limit_mib: u64,
    /// Stop an invocation that runs wasm longer than this many seconds (no limit by default,
    /// as on Golem).
    #[arg(long = "timeout", value_name = "SECONDS")]
    timeout: Option<f64>,
    /// After the last call returned, how many seconds to wait for background invocations
    /// (fire-and-forget and unfinished async calls, and scheduled invocations that come due
    /// meanwhile) before stopping them and saying which, and which scheduled ones never ran.
    #[arg(
        long = "background-timeout",
        value_name = "SECONDS",
        default_value_t = 10.0
    )]
    background_timeout: f64,
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(value)
        .map_err(|_| anyhow!("{flag} must be a non-negative number of seconds, got {value}"))
}

impl LoadArgs {
    fn host(&self) -> anyhow::Result<Host> {
        if self.components.is_empty() && self.ephemeral_components.is_empty() {
            bail!("nothing to run: give at least one --component or --ephemeral-component");
        }
        let host = match &self.data_dir {
            Some(dir) => Host::with_data_dir(dir)?,
            None => Host::new()?,
        };
        if let Some(generation) = self.golem {
            host.set_default_generation(generation);
        }
        // Workers' output on stderr, a line at a time after the worker's name: stdout carries
        // the results.
        host.set_output(golem_rpc_host::Output::Prefixed);
        host.set_log_level(self.log_level);
        host.set_memory_limit(self.memory_limit_mib.saturating_mul(1 << 20));
        if let Some(timeout) = self.timeout {
            host.set_invocation_timeout(Some(seconds(timeout, "--timeout")?));
        }
        for component in &self.components {
            let (name, path) = split_pair(component, "--component NAME=PATH")?;
            host.add_component_file(name, path)?;
        }
        for component in &self.ephemeral_components {
            let (name, path) = split_pair(component, "--ephemeral-component NAME=PATH")?;
            host.add_ephemeral_component_file(name, path)?;
        }
        for var in &self.env {
            let (key, value) = split_pair(var, "--env KEY=VALUE")?;
            host.add_env(key, value);
        }
        host.set_component_id_env(self.component_id_env);
        for arg in &self.worker_args {
            host.add_arg(arg);
        }
        // With --data-dir: what an earlier process was running when it died goes on.
        host.recover_workers();
        Ok(host)
    }
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// The worker to call, as COMPONENT-NAME/WORKER-NAME (just COMPONENT-NAME for a fresh worker
    /// named by a new UUID).
    #[arg(value_name = "NAME/WORKER")]
    target: String,
    /// The function, e.g. `demo:counter/api.{add}` or a bare world-level name.
    function: String,
    /// The arguments, one WAVE value each (e.g. `5`, `"text"`, `[1, 2]`, `some(3)`).
    #[arg(
        value_name = "ARG",
        allow_hyphen_values = true,
        trailing_var_arg = true
    )]
    args: Vec<String>,
}

fn parse_golem_version(text: &str) -> Result<golem_rpc_host::Generation, String> {
    use golem_rpc_host::Generation;
    match text {
        "1.0" | "1.1" | "1.2" => Ok(Generation::UpTo1_2),
        "1.3" => Ok(Generation::Golem1_3),
        "1.4" => Ok(Generation::Golem1_4),
        other => Err(format!("{other:?}: expected 1.0, 1.1, 1.2, 1.3 or 1.4")),
    }
}

fn split_pair<'a>(text: &'a str, what: &str) -> anyhow::Result<(&'a str, &'a str)> {
    text.split_once('=')
        .filter(|(key, _)| !key.is_empty())
        .ok_or_else(|| anyhow!("expected {what}, got {text:?}"))
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let host = args.load.host()?;
    let results = golem_rpc_host::repl::call(&host, &args.target, &args.function, &args.args)
        .with_context(|| format!("calling {} on {}", args.function, args.target))?;
    for result in results {
        println!("{result}");
    }
    finish(&host, &args.load)
}

/// Lets background invocations finish, within `--background-timeout`; says what was stopped.
fn finish(host: &Host, load: &LoadArgs) -> anyhow::Result<()> {
    let grace = seconds(load.background_timeout, "--background-timeout")?;
    let (not_run, stopped): (Vec<String>, Vec<String>) = host
        .shutdown(grace)
        .into_iter()
        .partition(|what| what.starts_with("not run: "));
    if !stopped.is_empty() {
        eprintln!(
            "golem-rpc-host: stopped {} background invocation(s) still running {}s after the last call returned:",
            stopped.len(),
            load.background_timeout
        );
        for what in stopped {
            eprintln!("  {what}");
        }
    }
    if !not_run.is_empty() {
        eprintln!(
            "golem-rpc-host: {} scheduled invocation(s) not due within {}s of the last call will not run:",
            not_run.len(),
            load.background_timeout
        );
        for what in not_run {
            eprintln!("  {}", what.trim_start_matches("not run: "));
        }
    }
    Ok(())
}

fn run_repl(args: LoadArgs) -> anyhow::Result<()> {
    let host = args.host()?;
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let line = line.context("reading standard input")?;
        if let Some(output) = golem_rpc_host::repl::line(&host, &line) {
            writeln!(stdout, "{output}")?;
            stdout.flush()?;
        }
    }
    finish(&host, &args)
}

/// Builds `examples/counter` (release), loads both components and runs the caller's `demo`,
/// which makes every kind of call to a counter worker and returns one line per RPC.
fn demo() -> anyhow::Result<()> {
    let root = golem_rpc_host::build::workspace_root();
    if !root.join("examples/counter/caller/Cargo.toml").is_file() {
        bail!(
            "`demo` builds examples/counter of the golem-rpc repository, and this binary was not \
             built in a checkout of it (looked in {}): run `cargo run -p golem-rpc-host -- demo` \
             in the repository",
            root.display()
        );
    }
    println!("building examples/counter (counter-target, counter-caller) for wasm32-wasip2 ...");
    let artifacts =
        golem_rpc_host::build::build_components(&["counter-target", "counter-caller"], true)?;
    let host = Host::new()?;
    for (name, package) in [("counter", "counter-target"), ("caller", "counter-caller")] {
        let path = &artifacts[package];
        let id = host.add_component_file(name, path)?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or_default();
        println!("loaded {name:<8} {id}  {} ({size} bytes)", path.display());
    }
    // The caller finds the counter's id in its environment, as a Golem user passes it when
    // creating the worker.
    let counter_id = host
        .component_id("counter")
        .context("the counter was just loaded")?;
    host.add_env("COUNTER_COMPONENT_ID", counter_id.to_string());
    println!("workers start with COUNTER_COMPONENT_ID={counter_id}");
    let counter = host.worker_uri("counter", "counter-1")?;
    println!(
        "\ncaller/demo-1 calls demo:caller/run.{{demo}}(\"counter-1\"); it talks to {counter}:\n"
    );
    let results = host.call(
        "caller",
        "demo-1",
        "demo:caller/run.{demo}",
        &[golem_rpc_host::Val::String("counter-1".into())],
    )?;
    let Some(golem_rpc_host::Val::List(lines)) = results.first() else {
        bail!("demo returned {results:?}, expected a list of strings");
    };
    for line in lines {
        if let golem_rpc_host::Val::String(line) = line {
            println!("  {line}");
        }
    }
    let total = host.call_wave(
        "counter",
        "counter-1",
        "demo:counter/api.{get}",
        &[] as &[&str],
    )?;
    println!(
        "\nthe host asks counter/counter-1 directly: demo:counter/api.{{get}}() = {}",
        total.join(", ")
    );
    host.wait_for_background();
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run(args),
        Command::Repl(args) => run_repl(args),
        Command::Demo => demo(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
