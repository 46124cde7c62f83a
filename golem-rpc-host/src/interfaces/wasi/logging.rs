//! The host side of `wasi:logging/logging` (unversioned, as Golem 1.0/1.1 link it): each line goes
//! to the host's output with the worker's label, level and context (see `worker::output`), filtered by
//! the host's log level. Golem sends them to the worker's event stream and oplog instead.

use crate::bindings::wasi::logging::logging::{Host, Level};
use crate::worker::output::{LogLevel, LogLine};
use crate::worker::state::WorkerState;

impl Host for WorkerState {
    fn log(&mut self, level: Level, context: String, message: String) -> wasmtime::Result<()> {
        let level = match level {
            Level::Trace => LogLevel::Trace,
            Level::Debug => LogLevel::Debug,
            Level::Info => LogLevel::Info,
            Level::Warn => LogLevel::Warn,
            Level::Error => LogLevel::Error,
            Level::Critical => LogLevel::Critical,
        };
        self.output.log(
            &self.worker.label,
            LogLine {
                level,
                context,
                message,
            },
        );
        Ok(())
    }
}
