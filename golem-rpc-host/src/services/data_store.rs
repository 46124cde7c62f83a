//! The data Golem keeps for workers outside their memory: key-value buckets (`wasi:keyvalue`) and
//! blob containers (`wasi:blobstore`), shared by all workers of a host as Golem shares them across
//! an account's workers.
//!
//! In memory by default; in a directory when the host is given one ([`crate::Host::with_data_dir`])
//! so that the data survives a restart: `keyvalue/{bucket}/{key}` and
//! `blobstore/{container}/{object}` files, names percent-encoded (every byte outside
//! `[A-Za-z0-9_-]`), each value written to a temporary file and renamed into place, so that a value
//! is either the old or the new one, never a mix, and buckets never share files.

use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

/// A blob: its bytes and when it was written (milliseconds since the Unix epoch).
#[derive(Clone)]
struct Blob {
    data: Vec<u8>,
    created_at: u64,
}

#[derive(Default)]
struct Memory {
    buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    /// Containers: when each was created, and its blobs.
    containers: BTreeMap<String, (u64, BTreeMap<String, Blob>)>,
}

enum Backend {
    Memory(Memory),
    Directory(PathBuf),
}

/// Metadata of a stored blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlobInfo {
    pub(crate) size: u64,
    pub(crate) created_at: u64,
}

/// See the module docs. Every operation takes the store's lock, so operations are atomic with
/// respect to each other (copies and moves included).
pub(crate) struct DataStore {
    backend: Mutex<Backend>,
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A name as a file name: bytes outside `[A-Za-z0-9_-]` as `%XX` (so `.`, `..`, `/` and case-
/// folding file systems cannot make two names share a file).
fn file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if out.is_empty() {
        // The empty name: `%` alone cannot come out of the encoding above.
        out.push('%');
    }
    out
}

fn name_of(file: &str) -> Option<String> {
    if file == "%" {
        return Some(String::new());
    }
    let bytes = file.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn modified_millis(path: &Path) -> io::Result<u64> {
    let modified = std::fs::metadata(path)?.modified()?;
    Ok(modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64))
}

/// Writes `data` to `path` through a temporary file in the same directory.
fn write_atomically(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4()));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(data) => Ok(Some(data)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

fn remove_optional(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// The decoded names of the files in `dir` (none if it does not exist).
fn names_in(dir: &Path) -> io::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file = entry.file_name();
        let Some(name) = file
            .to_str()
            .filter(|f| !f.starts_with(".tmp-"))
            .and_then(name_of)
        else {
            continue;
        };
        names.push(name);
    }
    names.sort();
    Ok(names)
}

impl DataStore {
    /// A store kept in memory.
    pub(crate) fn in_memory() -> Self {
        Self {
            backend: Mutex::new(Backend::Memory(Memory::default())),
        }
    }

    /// A store kept in `dir` (created if needed).
    pub(crate) fn in_directory(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir.join("keyvalue"))?;
        std::fs::create_dir_all(dir.join("blobstore"))?;
        Ok(Self {
            backend: Mutex::new(Backend::Directory(dir.to_path_buf())),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Backend> {
        self.backend.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bucket_dir(root: &Path, bucket: &str) -> PathBuf {
        root.join("keyvalue").join(file_name(bucket))
    }

    fn container_dir(root: &Path, container: &str) -> PathBuf {
        root.join("blobstore").join(file_name(container))
    }

    pub(crate) fn get(&self, bucket: &str, key: &str) -> io::Result<Option<Vec<u8>>> {
        match &*self.lock() {
            Backend::Memory(memory) => {
                Ok(memory.buckets.get(bucket).and_then(|b| b.get(key)).cloned())
            }
            Backend::Directory(root) => {
                read_optional(&Self::bucket_dir(root, bucket).join(file_name(key)))
            }
        }
    }

    pub(crate) fn set(&self, bucket: &str, key: &str, value: Vec<u8>) -> io::Result<()> {
        match &mut *self.lock() {
            Backend::Memory(memory) => {
                memory
                    .buckets
                    .entry(bucket.to_string())
                    .or_default()
                    .insert(key.to_string(), value);
                Ok(())
            }
            Backend::Directory(root) => {
                write_atomically(&Self::bucket_dir(root, bucket).join(file_name(key)), &value)
            }
        }
    }

    pub(crate) fn delete(&self, bucket: &str, key: &str) -> io::Result<()> {
        match &mut *self.lock() {
            Backend::Memory(memory) => {
                if let Some(b) = memory.buckets.get_mut(bucket) {
                    b.remove(key);
                }
                Ok(())
            }
            Backend::Directory(root) => remove_optional(std::fs::remove_file(
                Self::bucket_dir(root, bucket).join(file_name(key)),
            )),
        }
    }

    pub(crate) fn exists(&self, bucket: &str, key: &str) -> io::Result<bool> {
        Ok(self.get(bucket, key)?.is_some())
    }

    /// The keys of a bucket, sorted.
    pub(crate) fn keys(&self, bucket: &str) -> io::Result<Vec<String>> {
        match &*self.lock() {
            Backend::Memory(memory) => Ok(memory
                .buckets
                .get(bucket)
                .map(|b| b.keys().cloned().collect())
                .unwrap_or_default()),
            Backend::Directory(root) => names_in(&Self::bucket_dir(root, bucket)),
        }
    }

    /// Creates a container if it does not exist; returns when it was created.
    pub(crate) fn create_container(&self, container: &str) -> io::Result<u64> {
        match &mut *self.lock() {
            Backend::Memory(memory) => Ok(memory
                .containers
                .entry(container.to_string())
                .or_insert_with(|| (now_millis(), BTreeMap::new()))
                .0),
            Backend::Directory(root) => {
                let dir = Self::container_dir(root, container);
                std::fs::create_dir_all(&dir)?;
                modified_millis(&dir)
            }
        }
    }

    /// When a container was created, if it exists.
    pub(crate) fn container(&self, container: &str) -> io::Result<Option<u64>> {
        match &*self.lock() {
            Backend::Memory(memory) => Ok(memory.containers.get(container).map(|(at, _)| *at)),
            Backend::Directory(root) => {
                let dir = Self::container_dir(root, container);
                if dir.is_dir() {
                    modified_millis(&dir).map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Deletes a container and its blobs (a missing one is fine).
    pub(crate) fn delete_container(&self, container: &str) -> io::Result<()> {
        match &mut *self.lock() {
            Backend::Memory(memory) => {
                memory.containers.remove(container);
                Ok(())
            }
            Backend::Directory(root) => remove_optional(std::fs::remove_dir_all(
                Self::container_dir(root, container),
            )),
        }
    }

    /// Writes a blob, creating its container if needed.
    pub(crate) fn put_blob(&self, container: &str, object: &str, data: Vec<u8>) -> io::Result<()> {
        match &mut *self.lock() {
            Backend::Memory(memory) => {
                let blob = Blob {
                    data,
                    created_at: now_millis(),
                };
                memory
                    .containers
                    .entry(container.to_string())
                    .or_insert_with(|| (now_millis(), BTreeMap::new()))
                    .1
                    .insert(object.to_string(), blob);
                Ok(())
            }
            Backend::Directory(root) => write_atomically(
                &Self::container_dir(root, container).join(file_name(object)),
                &data,
            ),
        }
    }

    pub(crate) fn blob(&self, container: &str, object: &str) -> io::Result<Option<Vec<u8>>> {
        match &*self.lock() {
            Backend::Memory(memory) => Ok(memory
                .containers
                .get(container)
                .and_then(|(_, blobs)| blobs.get(object))
                .map(|b| b.data.clone())),
            Backend::Directory(root) => {
                read_optional(&Self::container_dir(root, container).join(file_name(object)))
            }
        }
    }

    pub(crate) fn blob_info(&self, container: &str, object: &str) -> io::Result<Option<BlobInfo>> {
        match &*self.lock() {
            Backend::Memory(memory) => Ok(memory
                .containers
                .get(container)
                .and_then(|(_, blobs)| blobs.get(object))
                .map(|b| BlobInfo {
                    size: b.data.len() as u64,
                    created_at: b.created_at,
                })),
            Backend::Directory(root) => {
                let path = Self::container_dir(root, container).join(file_name(object));
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => Ok(Some(BlobInfo {
                        size: meta.len(),
                        created_at: modified_millis(&path)?,
                    })),
                    Ok(_) => Ok(None),
                    Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(err) => Err(err),
                }
            }
        }
    }

    /// The blobs of a container, sorted by name.
    pub(crate) fn blob_names(&self, container: &str) -> io::Result<Vec<String>> {
        match &*self.lock() {
            Backend::Memory(memory) => Ok(memory
                .containers
                .get(container)
                .map(|(_, blobs)| blobs.keys().cloned().collect())
                .unwrap_or_default()),
            Backend::Directory(root) => names_in(&Self::container_dir(root, container)),
        }
    }

    pub(crate) fn delete_blob(&self, container: &str, object: &str) -> io::Result<()> {
        match &mut *self.lock() {
            Backend::Memory(memory) => {
                if let Some((_, blobs)) = memory.containers.get_mut(container) {
                    blobs.remove(object);
                }
                Ok(())
            }
            Backend::Directory(root) => remove_optional(std::fs::remove_file(
                Self::container_dir(root, container).join(file_name(object)),
            )),
        }
    }

    /// Removes every blob of a container, keeping the container.
    pub(crate) fn clear(&self, container: &str) -> io::Result<()> {
        for name in self.blob_names(container)? {
            self.delete_blob(container, &name)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(store: &DataStore) {
        store.set("b1", "k", b"one".to_vec()).unwrap();
        store.set("b2", "k", b"two".to_vec()).unwrap();
        store.set("b1", "../k/.", b"odd".to_vec()).unwrap();
        store.set("b1", "", b"empty".to_vec()).unwrap();
        assert_eq!(store.get("b1", "k").unwrap().unwrap(), b"one");
        assert_eq!(store.get("b2", "k").unwrap().unwrap(), b"two");
        assert_eq!(store.get("b1", "../k/.").unwrap().unwrap(), b"odd");
        assert_eq!(store.keys("b1").unwrap(), ["", "../k/.", "k"]);
        store.delete("b1", "k").unwrap();
        store.delete("b1", "missing").unwrap();
        assert!(!store.exists("b1", "k").unwrap());
        assert!(store.exists("b2", "k").unwrap());

        assert_eq!(store.container("c").unwrap(), None);
        store.create_container("c").unwrap();
        assert!(store.container("c").unwrap().is_some());
        store.put_blob("c", "a/b", vec![1, 2, 3]).unwrap();
        assert_eq!(store.blob("c", "a/b").unwrap().unwrap(), [1, 2, 3]);
        assert_eq!(store.blob_info("c", "a/b").unwrap().unwrap().size, 3);
        assert_eq!(store.blob_names("c").unwrap(), ["a/b"]);
        store.clear("c").unwrap();
        assert!(store.blob_names("c").unwrap().is_empty());
        assert!(store.container("c").unwrap().is_some());
        store.delete_container("c").unwrap();
        assert_eq!(store.container("c").unwrap(), None);
    }

    #[test]
    fn in_memory() {
        exercise(&DataStore::in_memory());
    }

    #[test]
    fn in_a_directory_and_again_after_reopening() {
        let dir = std::env::temp_dir().join(format!("golem-rpc-data-{}", uuid::Uuid::new_v4()));
        exercise(&DataStore::in_directory(&dir).unwrap());
        let reopened = DataStore::in_directory(&dir).unwrap();
        assert_eq!(reopened.get("b2", "k").unwrap().unwrap(), b"two");
        assert_eq!(reopened.get("b1", "").unwrap().unwrap(), b"empty");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn names_round_trip_through_file_names() {
        for name in ["", "a", "A-b_c", "../x", "é/ü", "%", "%25", ".tmp-x"] {
            assert_eq!(name_of(&file_name(name)).as_deref(), Some(name), "{name}");
        }
    }
}
