//! Where oplogs live: in memory for the life of the host, or with a data directory one file per
//! worker, `{data-dir}/oplog/{component-id}/{worker-name, percent-encoded}.oplog`, one entry a
//! line. Each entry is written to the file as it is appended (one `write`), so a process killed
//! at any point leaves every entry it appended, at most the last one cut short (ignored when
//! the file is read again).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
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
    entries: Mutex<Vec<OplogEntry>>,
    file: Option<Mutex<File>>,
}

impl WorkerOplog {
    fn from_file(path: &Path) -> anyhow::Result<Self> {
        let mut entries = Vec::new();
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
            file: Some(Mutex::new(file)),
        })
    }

    /// The entries so far.
    pub(crate) fn entries(&self) -> MutexGuard<'_, Vec<OplogEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The result of invocation `key`, if it completed.
    pub(crate) fn completed(
        &self,
        key: &str,
    ) -> Option<crate::bindings::golem::rpc0_1_3::types::WitValue> {
        self.entries().iter().rev().find_map(|entry| match entry {
            OplogEntry::Complete { key: done, result } if done == key => Some(result.clone()),
            _ => None,
        })
    }

    /// Appends `entry`, and writes it to the file if there is one. A write that fails is
    /// reported on stderr: the worker goes on, as Golem's executor goes on when an oplog write
    /// is retried.
    pub(crate) fn append(&self, entry: OplogEntry) {
        if let Some(file) = &self.file {
            let line = entry.to_line() + "\n";
            let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
            if let Err(err) = file.write_all(line.as_bytes()) {
                eprintln!("golem-rpc-host: cannot write an oplog entry: {err}");
            }
        }
        self.entries().push(entry);
    }
}
