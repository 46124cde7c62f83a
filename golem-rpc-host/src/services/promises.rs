//! Golem promises, shared by all workers of a host (and completable by the host's user, like
//! Golem's external `complete-promise` API).
//!
//! A promise is identified by the worker that created it and the oplog index of its creation.
//! It is pending until completed once with a payload; completing it again has no effect (and
//! reports `false`); awaiting it blocks the awaiting worker until the payload is there.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::model::uri::WorkerId;

/// Identifies a promise: the worker that created it and the oplog index of its creation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PromiseId {
    /// The worker that created the promise.
    pub worker_id: WorkerId,
    /// The index of the creating `create-promise` call in that worker's oplog.
    pub oplog_idx: u64,
}

/// Why a promise operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseError {
    /// No such promise: it was never created, or it was deleted.
    NotFound(PromiseId),
}

impl std::fmt::Display for PromiseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Golem's text (`Promise not found: {component-id}/{worker-name}/{oplog-idx}`).
            PromiseError::NotFound(id) => write!(
                f,
                "Promise not found: {}/{}/{} (it was never created, or it was deleted)",
                id.worker_id.component_id, id.worker_id.worker_name, id.oplog_idx
            ),
        }
    }
}

impl std::error::Error for PromiseError {}

/// The promises of one host (see the module docs).
#[derive(Default)]
pub(crate) struct Promises {
    /// `None` while pending, the payload once completed.
    state: Mutex<HashMap<PromiseId, Option<Vec<u8>>>>,
    completed: Condvar,
    /// Wakes [`Promises::settled`] waiters (`get-promise-result`'s pollable).
    changed: tokio::sync::Notify,
}

impl Promises {
    fn lock(&self) -> MutexGuard<'_, HashMap<PromiseId, Option<Vec<u8>>>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a new pending promise.
    pub(crate) fn create(&self, id: PromiseId) {
        self.lock().insert(id, None);
    }

    /// Completes a pending promise: `true` if this call completed it, `false` if it already was.
    pub(crate) fn complete(&self, id: &PromiseId, data: Vec<u8>) -> Result<bool, PromiseError> {
        let mut state = self.lock();
        let slot = state
            .get_mut(id)
            .ok_or_else(|| PromiseError::NotFound(id.clone()))?;
        if slot.is_some() {
            return Ok(false);
        }
        *slot = Some(data);
        self.completed.notify_all();
        self.changed.notify_waiters();
        Ok(true)
    }

    /// Blocks until the promise is completed and returns its payload.
    pub(crate) fn wait(&self, id: &PromiseId) -> Result<Vec<u8>, PromiseError> {
        let mut state = self.lock();
        loop {
            match state.get(id) {
                None => return Err(PromiseError::NotFound(id.clone())),
                Some(Some(data)) => return Ok(data.clone()),
                Some(None) => {
                    state = self
                        .completed
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }

    /// The payload of a completed promise, `None` while it is pending.
    pub(crate) fn poll(&self, id: &PromiseId) -> Result<Option<Vec<u8>>, PromiseError> {
        match self.lock().get(id) {
            None => Err(PromiseError::NotFound(id.clone())),
            Some(data) => Ok(data.clone()),
        }
    }

    /// Returns once the promise is completed (or gone), without blocking the thread.
    pub(crate) async fn settled(&self, id: &PromiseId) {
        loop {
            let notified = self.changed.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if !matches!(self.poll(id), Ok(None)) {
                return;
            }
            notified.await;
        }
    }

    /// Forgets a promise; a worker awaiting it gets [`PromiseError::NotFound`].
    pub(crate) fn delete(&self, id: &PromiseId) {
        self.lock().remove(id);
        self.completed.notify_all();
        self.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn id(n: u64) -> PromiseId {
        PromiseId {
            worker_id: WorkerId::new(uuid::Uuid::nil(), "w"),
            oplog_idx: n,
        }
    }

    #[test]
    fn completes_once_and_wakes_the_waiter() {
        let promises = Arc::new(Promises::default());
        promises.create(id(1));
        let waiter = {
            let promises = promises.clone();
            std::thread::spawn(move || promises.wait(&id(1)))
        };
        assert_eq!(promises.poll(&id(1)), Ok(None));
        assert_eq!(promises.complete(&id(1), vec![1, 2]), Ok(true));
        assert_eq!(promises.complete(&id(1), vec![3]), Ok(false));
        assert_eq!(waiter.join().unwrap(), Ok(vec![1, 2]));
        assert_eq!(promises.wait(&id(1)), Ok(vec![1, 2]));
        assert_eq!(promises.poll(&id(1)), Ok(Some(vec![1, 2])));
    }

    #[test]
    fn unknown_and_deleted_promises_are_errors() {
        let promises = Promises::default();
        assert_eq!(
            promises.complete(&id(7), vec![]),
            Err(PromiseError::NotFound(id(7)))
        );
        promises.create(id(8));
        promises.delete(&id(8));
        assert_eq!(promises.wait(&id(8)), Err(PromiseError::NotFound(id(8))));
        assert_eq!(promises.poll(&id(8)), Err(PromiseError::NotFound(id(8))));
    }
}
