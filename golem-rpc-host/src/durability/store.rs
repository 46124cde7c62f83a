//! Where oplogs live: in memory for the life of the host, or with a data directory one file per
//! worker, `{data-dir}/oplog/{component-id}/{worker-name, percent-encoded}.oplog`, one entry a
//! line. Entries are buffered and written out when an invocation completes (before its caller
//! sees the result) and when the worker is created or reset. A process killed at any point so
//! leaves a prefix of each oplog that holds every result another worker or a client was given:
//! a caller whose later entries were lost replays, sends its calls again with the same
//! idempotency keys, and gets the recorded results. A last line cut short is ignored when the
//! file is read again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::Context as _;

use super::oplog::OplogEntry;
use crate::model::uri::WorkerId;

/// The oplogs of a host's workers.
pub(crate) struct OplogStore {
    dir: Option<PathBuf>,
    open: Mutex<HashMap<WorkerId, Arc<WorkerOplog>>>,
}

impl OplogStore {
    /// Oplogs kept in memory only.
    pub(crate) fn in_memory() -> Self {
        OplogStore {
            dir: None,
            open: Mutex::default(),
        }
    }

    /// Oplogs kept in `{data_dir}/oplog` (created if needed).
    pub(crate) fn in_directory(data_dir: &Path) -> anyhow::Result<Self> {
        let dir = data_dir.join("oplog");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(OplogStore {
            dir: Some(dir),
            open: Mutex::default(),
        })
    }

    /// Whether oplogs outlive the process.
    pub(crate) fn is_durable(&self) -> bool {
        self.dir.is_some()
    }

    fn path(&self, worker: &WorkerId) -> Option<PathBuf> {
        let name: String = form_urlencoded::byte_serialize(worker.worker_name.as_bytes()).collect();
        Some(
            self.dir
                .as_ref()?
                .join(worker.component_id.to_string())
                .join(format!("{name}.oplog")),
        )
    }

    /// The oplog of `worker`, with what an earlier process wrote of it.
    pub(crate) fn open(&self, worker: &WorkerId) -> anyhow::Result<Arc<WorkerOplog>> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(oplog) = open.get(worker) {
            return Ok(oplog.clone());
        }
        let oplog = match self.path(worker) {
            None => WorkerOplog::default(),
            Some(path) => WorkerOplog::from_file(&path)?,
        };
        let oplog = Arc::new(oplog);
        open.insert(worker.clone(), oplog.clone());
        Ok(oplog)
    }

    /// The names of the workers of `component` that have an oplog on disk.
    pub(crate) fn stored_workers(&self, component: &uuid::Uuid) -> Vec<String> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir.join(component.to_string())) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|entry| {
                let file = entry.ok()?.file_name().into_string().ok()?;
                let encoded = file.strip_suffix(".oplog")?;
                Some(
                    form_urlencoded::parse(format!("n={encoded}").as_bytes())
                        .next()?
                        .1
                        .into_owned(),
                )
            })
            .collect();
        names.sort();
        names
    }
}

/// One worker's oplog.
#[derive(Default)]
pub(crate) struct WorkerOplog {
    entries: Mutex<Entries>,
    file: Option<Mutex<BufWriter<File>>>,
}

/// The entries, and where each completed invocation's `complete` is (by its key).
#[derive(Default)]
pub(crate) struct Entries {
    pub(crate) list: Vec<OplogEntry>,
    completed: HashMap<String, usize>,
}

impl Entries {
    fn push(&mut self, entry: OplogEntry) {
        if let OplogEntry::Complete { key, .. } = &entry {
            self.completed.insert(key.clone(), self.list.len());
        }
        self.list.push(entry);
    }
}

impl std::ops::Deref for Entries {
    type Target = Vec<OplogEntry>;

    fn deref(&self) -> &Vec<OplogEntry> {
        &self.list
    }
}

impl WorkerOplog {
    fn from_file(path: &Path) -> anyhow::Result<Self> {
        let mut entries = Entries::default();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                for (number, line) in text.split_inclusive('\n').enumerate() {
                    let Some(line) = line.strip_suffix('\n') else {
                        // Cut short by a crash while it was written: never completed.
                        break;
                    };
                    entries.push(OplogEntry::from_line(line).map_err(|err| {
                        anyhow::anyhow!("{} line {}: {err}", path.display(), number + 1)
                    })?);
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        // Rewritten whole, so that a cut-short last line is gone before anything is appended.
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        let text: String = entries.iter().map(|e| e.to_line() + "\n").collect();
        file.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(WorkerOplog {
            entries: Mutex::new(entries),
            file: Some(Mutex::new(BufWriter::with_capacity(1 << 16, file))),
        })
    }

    /// The entries so far.
    pub(crate) fn entries(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The result of invocation `key`, if it completed.
    pub(crate) fn completed(
        &self,
        key: &str,
    ) -> Option<crate::bindings::golem::rpc0_1_3::types::WitValue> {
        let entries = self.entries();
        match entries.list.get(*entries.completed.get(key)?) {
            Some(OplogEntry::Complete { result, .. }) => Some(result.clone()),
            _ => None,
        }
    }

    /// A key for an invocation that comes with none: unique across host processes, also when
    /// entries a killed process had buffered are lost (a random number per process, and a
    /// count).
    pub(crate) fn new_key() -> String {
        static PROCESS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let process = PROCESS.get_or_init(|| getrandom::u64().unwrap_or_default());
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{process:016x}-{n}")
    }

    /// Appends `entry` (buffered; see [`WorkerOplog::commit`]). Creating, completing and
    /// resetting are commit points.
    pub(crate) fn append(&self, entry: OplogEntry) {
        let commit = matches!(
            entry,
            OplogEntry::Create { .. } | OplogEntry::Complete { .. } | OplogEntry::Reset
        );
        self.append_then(entry, commit);
    }

    /// Appends `entry` and writes out everything buffered: an invocation a client made (not a
    /// caller worker, which would send it again), so that it is resumed if the process dies.
    pub(crate) fn append_committed(&self, entry: OplogEntry) {
        self.append_then(entry, true);
    }

    fn append_then(&self, entry: OplogEntry, commit: bool) {
        if let Some(file) = &self.file {
            let line = entry.to_line() + "\n";
            let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
            if let Err(err) = file.write_all(line.as_bytes()) {
                eprintln!("golem-rpc-host: cannot write an oplog entry: {err}");
            }
        }
        self.entries().push(entry);
        if commit {
            self.commit();
        }
    }

    /// Writes out what is buffered. A write that fails is reported on stderr: the worker goes on.
    fn commit(&self) {
        if let Some(file) = &self.file
            && let Err(err) = file.lock().unwrap_or_else(PoisonError::into_inner).flush()
        {
            eprintln!("golem-rpc-host: cannot write the oplog: {err}");
        }
    }
}
