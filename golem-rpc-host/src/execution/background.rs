//! A background invocation as its caller sees it: the job's progress (queued, then started or
//! cancelled) and the future of its result.
//!
//! `async-invoke-and-await` runs the call on a pool thread and hands the guest a future whose
//! pollable really waits for that thread. A background thread (rather than running the call
//! lazily inside `get`/`poll`) is what Golem's semantics need: the call runs even if the guest
//! never polls, several async calls to different workers run concurrently, and the caller's
//! worker stays free to do other work meanwhile. The job takes its place in the target's queue at
//! call time, so calls from one caller reach a worker in the order they were made; a pollable
//! wait is registered with the [`WorkerLocks`] so a poll that could never complete (the call
//! needs the polling worker) fails the call instead of hanging.
//!
//! What a result is, and what a lost or deadlocked call answers, is the interface's business
//! ([`BackgroundResult`]); nothing here knows `golem:rpc`.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;
use wasmtime_wasi::p2::Pollable;

use crate::execution::locks::WorkerLocks;
use crate::execution::pool;
use crate::execution::task::{self, TaskId};

/// After a spin for a result that saw nothing, futures checked within this time of the last
/// check do not spin (they belong to the same poll).
const QUIET: Duration = Duration::from_micros(20);

thread_local! {
    /// Until when this thread does not spin for results (see `QUIET`).
    static QUIET_UNTIL: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// A background invocation's progress: queued, then either started or cancelled, once.
#[derive(Default)]
pub(crate) struct JobState(AtomicU8);

impl JobState {
    const QUEUED: u8 = 0;
    const STARTED: u8 = 1;
    const CANCELLED: u8 = 2;

    /// Marks the job started; `false` if it was cancelled first.
    pub(crate) fn start(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::STARTED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Cancels the job; `false` if it had started already.
    pub(crate) fn cancel(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::CANCELLED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }
}

/// A background invocation whose result arrives through `receiver`.
pub(crate) struct PendingInvocation<T> {
    pub(crate) receiver: oneshot::Receiver<T>,
    /// The task running it, known to the locks (for deadlock detection while polling).
    pub(crate) job: TaskId,
    /// Whether the call is still queued, running, or cancelled ([`JobState`]).
    pub(crate) state: Arc<JobState>,
    pub(crate) locks: Arc<WorkerLocks>,
}

/// What a future answers when its job cannot give a result.
pub(crate) trait BackgroundResult: Send + 'static {
    /// The job ended without sending a result.
    fn lost() -> Self;
    /// Waiting for the job would deadlock: it is queued behind something that waits for the
    /// polling task (the job was cancelled).
    fn would_deadlock() -> Self;
}

enum FutureState<T> {
    Pending(oneshot::Receiver<T>),
    Ready(T),
    Consumed,
}

/// The future of a background invocation's result (the host data behind a guest's
/// `future-invoke-result`).
pub struct InvocationFuture<T> {
    state: FutureState<T>,
    /// The background task computing the result, its cancel flag, and the locks it is known to.
    job: Option<(TaskId, Arc<JobState>, Arc<WorkerLocks>)>,
}

impl<T: BackgroundResult> InvocationFuture<T> {
    /// A future that is already complete (e.g. the call was rejected before it started).
    pub(crate) fn ready(result: T) -> Self {
        Self {
            state: FutureState::Ready(result),
            job: None,
        }
    }

    /// A future completed by a background job.
    pub(crate) fn pending(pending: PendingInvocation<T>) -> Self {
        Self {
            state: FutureState::Pending(pending.receiver),
            job: Some((pending.job, pending.state, pending.locks)),
        }
    }

    /// `get`: `None` while pending, the result exactly once, then a trap.
    pub(crate) fn take(&mut self) -> wasmtime::Result<Option<T>> {
        let result = match std::mem::replace(&mut self.state, FutureState::Consumed) {
            FutureState::Consumed => {
                return Err(wasmtime::format_err!(
                    "future-invoke-result already consumed"
                ));
            }
            FutureState::Ready(result) => result,
            FutureState::Pending(mut receiver) => match receiver.try_recv() {
                Ok(result) => result,
                Err(TryRecvError::Empty) => {
                    self.state = FutureState::Pending(receiver);
                    return Ok(None);
                }
                Err(TryRecvError::Closed) => T::lost(),
            },
        };
        Ok(Some(result))
    }
}

#[async_trait::async_trait]
impl<T: BackgroundResult> Pollable for InvocationFuture<T> {
    async fn ready(&mut self) {
        let FutureState::Pending(receiver) = &mut self.state else {
            return;
        };
        // Already here (or about to be: a short call's result arrives sooner than a sleeping
        // thread wakes up): no waiting, nothing to tell the locks. After a spin that saw
        // nothing, the futures this thread checks right after (the rest of one poll's list, each
        // within `QUIET` of the previous) do not spin: a poll spins once, not once per future.
        let mut early = None;
        let mut check = || match receiver.try_recv() {
            Err(TryRecvError::Empty) => false,
            other => {
                early = Some(other);
                true
            }
        };
        let now = Instant::now();
        if QUIET_UNTIL.get().is_some_and(|until| now < until) {
            check();
            QUIET_UNTIL.set(Some(now + QUIET));
        } else if !pool::spin_until(pool::SPIN, check) {
            QUIET_UNTIL.set(Some(Instant::now() + QUIET));
        }
        match early.unwrap_or(Err(TryRecvError::Empty)) {
            Ok(result) => {
                self.state = FutureState::Ready(result);
                return;
            }
            Err(TryRecvError::Closed) => {
                self.state = FutureState::Ready(T::lost());
                return;
            }
            Err(TryRecvError::Empty) => {}
        }
        // Tell the locks this task now waits for the background task, so that a call which
        // needs this (busy) worker fails as a deadlock instead of waiting forever.
        let _wait = match (&self.job, task::current()) {
            (Some((job, progress, locks)), Some(me)) => {
                let (wait, cycle) = locks.wait_for_task(me, *job);
                // The call is still queued behind something that waits for this task (e.g. it
                // targets the polling worker itself): it could never run. It is dropped and the
                // future fails, as a blocking call would. (A call that has started sees the
                // cycle itself when it tries to acquire its worker.)
                if cycle && progress.cancel() {
                    self.state = FutureState::Ready(T::would_deadlock());
                    return;
                }
                Some(wait)
            }
            _ => None,
        };
        let result = receiver.await.unwrap_or_else(|_| T::lost());
        self.state = FutureState::Ready(result);
    }
}
