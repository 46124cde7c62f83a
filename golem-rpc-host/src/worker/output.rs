//! Where workers' output goes: their stdout and stderr, and their `wasi:logging` lines.
//!
//! Each worker writes to streams of its own, labelled `{component}/{worker}`. The host's
//! [`Output`] decides what happens to them: passed through to the process's stdout and stderr
//! (the default), printed line by line with the worker's label on the process's stderr (what
//! `golem-rpc-host run` and `repl` do, so that results on stdout stay one per line), or kept per
//! worker for the library's user to read ([`crate::Host::worker_output`]). Log lines below the
//! host's level ([`crate::Host::set_log_level`]) are dropped.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

/// What the host does with its workers' output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Output {
    /// Stdout and stderr to the process's own, as written; log lines to the process's stderr.
    #[default]
    Inherit,
    /// Every line on the process's stderr, after the worker's label (`counter/w1 | …`,
    /// `counter/w1 ! …` for stderr); log lines too.
    Prefixed,
    /// Kept per worker, to be read with [`crate::Host::worker_output`].
    Capture,
}

/// The level of a `wasi:logging` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// `trace`
    Trace,
    /// `debug`
    Debug,
    /// `info`
    Info,
    /// `warn`
    Warn,
    /// `error`
    Error,
    /// `critical`
    Critical,
}

impl LogLevel {
    const ALL: [LogLevel; 6] = [
        LogLevel::Trace,
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
        LogLevel::Critical,
    ];

    fn name(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
            LogLevel::Critical => "critical",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for LogLevel {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        LogLevel::ALL
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                format!("unknown log level {text:?}: expected trace, debug, info, warn, error or critical")
            })
    }
}

/// One `wasi:logging` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Its level.
    pub level: LogLevel,
    /// The context the worker gave (often a module or category name).
    pub context: String,
    /// The message.
    pub message: String,
}

/// What a worker wrote, as kept by [`Output::Capture`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerOutput {
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// The log lines at or above the host's level.
    pub logs: Vec<LogLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Channel {
    Stdout,
    Stderr,
}

/// One worker stream: the worker's label and which of its streams.
type StreamKey = (Arc<str>, Channel);

/// The host's end of every worker's output (see the module docs).
pub(crate) struct OutputSink {
    mode: RwLock<Output>,
    level: AtomicU8,
    captured: Mutex<HashMap<Arc<str>, WorkerOutput>>,
    /// Unfinished lines of [`Output::Prefixed`] streams.
    partial: Mutex<HashMap<StreamKey, Vec<u8>>>,
}

impl Default for OutputSink {
    fn default() -> Self {
        Self {
            mode: RwLock::default(),
            level: AtomicU8::new(LogLevel::Info as u8),
            captured: Mutex::default(),
            partial: Mutex::default(),
        }
    }
}

impl OutputSink {
    pub(crate) fn set_mode(&self, mode: Output) {
        *self.mode.write().unwrap_or_else(PoisonError::into_inner) = mode;
    }

    fn mode(&self) -> Output {
        *self.mode.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_level(&self, level: LogLevel) {
        self.level.store(level as u8, Ordering::Relaxed);
    }

    fn write(&self, label: &Arc<str>, channel: Channel, bytes: &[u8]) {
        match self.mode() {
            Output::Inherit => {
                // Nothing useful to do if the process's own streams fail.
                let _ = match channel {
                    Channel::Stdout => std::io::stdout().write_all(bytes),
                    Channel::Stderr => std::io::stderr().write_all(bytes),
                };
            }
            Output::Capture => {
                let mut captured = self.captured.lock().unwrap_or_else(PoisonError::into_inner);
                let output = captured.entry(label.clone()).or_default();
                match channel {
                    Channel::Stdout => output.stdout.extend_from_slice(bytes),
                    Channel::Stderr => output.stderr.extend_from_slice(bytes),
                }
            }
            Output::Prefixed => {
                let mut partial = self.partial.lock().unwrap_or_else(PoisonError::into_inner);
                let pending = partial.entry((label.clone(), channel)).or_default();
                pending.extend_from_slice(bytes);
                let Some(end) = pending.iter().rposition(|b| *b == b'\n') else {
                    return;
                };
                let lines: Vec<u8> = pending.drain(..=end).collect();
                let mark = if channel == Channel::Stdout { '|' } else { '!' };
                let mut stderr = std::io::stderr().lock();
                for line in String::from_utf8_lossy(&lines).lines() {
                    let _ = writeln!(stderr, "{label} {mark} {line}");
                }
            }
        }
    }

    /// Prints what [`Output::Prefixed`] still holds of unfinished lines.
    pub(crate) fn flush(&self) {
        let mut partial = self.partial.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stderr = std::io::stderr().lock();
        for ((label, channel), pending) in partial.drain() {
            if !pending.is_empty() {
                let mark = if channel == Channel::Stdout { '|' } else { '!' };
                let _ = writeln!(
                    stderr,
                    "{label} {mark} {}",
                    String::from_utf8_lossy(&pending)
                );
            }
        }
    }

    /// A `wasi:logging` line from worker `label`.
    pub(crate) fn log(&self, label: &Arc<str>, line: LogLine) {
        if (line.level as u8) < self.level.load(Ordering::Relaxed) {
            return;
        }
        match self.mode() {
            Output::Capture => self
                .captured
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(label.clone())
                .or_default()
                .logs
                .push(line),
            Output::Inherit | Output::Prefixed => {
                let context = if line.context.is_empty() {
                    String::new()
                } else {
                    format!(" {}:", line.context)
                };
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{label} [{}]{context} {}",
                    line.level,
                    line.message
                );
            }
        }
    }

    /// What worker `label` wrote so far ([`Output::Capture`]).
    pub(crate) fn captured(&self, label: &str) -> WorkerOutput {
        self.captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(label)
            .cloned()
            .unwrap_or_default()
    }

    /// A stdout (or stderr) stream for worker `label`.
    /// A worker's stdout or stderr; nothing is written while `muted` is set (a replay).
    pub(crate) fn stream(
        self: &Arc<Self>,
        label: &Arc<str>,
        stderr: bool,
        muted: Arc<AtomicBool>,
    ) -> WorkerStream {
        WorkerStream {
            sink: self.clone(),
            muted,
            label: label.clone(),
            channel: if stderr {
                Channel::Stderr
            } else {
                Channel::Stdout
            },
        }
    }
}

/// A worker's stdout or stderr, written to the host's [`OutputSink`].
#[derive(Clone)]
pub(crate) struct WorkerStream {
    sink: Arc<OutputSink>,
    muted: Arc<AtomicBool>,
    label: Arc<str>,
    channel: Channel,
}

impl IsTerminal for WorkerStream {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for WorkerStream {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl OutputStream for WorkerStream {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        if !self.muted.load(Ordering::Relaxed) {
            self.sink.write(&self.label, self.channel, &bytes);
        }
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(1 << 20)
    }
}

#[async_trait::async_trait]
impl Pollable for WorkerStream {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for WorkerStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if !self.muted.load(Ordering::Relaxed) {
            self.sink.write(&self.label, self.channel, buf);
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
