//! The threads that run background invocations (`invoke`, `async-invoke-and-await`) — a bounded,
//! growing pool instead of a thread per call, so that 100 000 calls in flight cost queue entries,
//! not threads.
//!
//! Each job waits in its target worker's mailbox, in call order. A worker with mail is *ready*
//! until a pool thread takes it; the thread then runs the worker's jobs one after the other
//! (a batch, then the worker goes back to the end of the ready queue, so busy workers share the
//! threads fairly). A job that blocks (a nested call, a pollable, a promise) holds its thread;
//! when no thread is idle, submitting starts another, up to [`MAX_THREADS`]; idle threads end
//! after a while.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::execution::locks::WorkerKey;
use crate::execution::task::HOST_THREAD_STACK_SIZE;

/// Most pool threads at once.
pub(crate) const MAX_THREADS: usize = 256;

/// Jobs a thread runs for one worker before serving the next ready worker.
const BATCH: usize = 32;

/// How long an idle thread waits for work before it ends.
const IDLE: Duration = Duration::from_secs(5);

/// How long a thread that ran out of work watches for more before it sleeps. Waking a sleeping
/// thread takes tens of microseconds on a virtual machine (more than a whole call), so a caller
/// that makes one call after the other would otherwise pay a wake-up each time.
pub(crate) const SPIN: Duration = Duration::from_micros(50);

/// One background invocation.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct State {
    /// Queued jobs by worker; an entry exists while the worker is ready or being served.
    mailboxes: HashMap<WorkerKey, VecDeque<Job>>,
    /// Workers with mail that no thread serves yet, in the order they became ready.
    ready: VecDeque<WorkerKey>,
    threads: usize,
    /// Threads sleeping on `work`.
    idle: usize,
    /// Threads watching `has_ready` before they sleep: a submit needs neither wake-up nor thread.
    spinning: usize,
}

/// See the module docs.
#[derive(Default)]
pub(crate) struct Pool {
    state: Mutex<State>,
    work: Condvar,
    /// `!state.ready.is_empty()`, readable without the lock (for spinning threads).
    has_ready: AtomicBool,
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `job` for `worker` (behind its earlier jobs).
    pub(crate) fn submit(self: &Arc<Self>, worker: WorkerKey, job: Job) -> std::io::Result<()> {
        let mut state = self.lock();
        match state.mailboxes.get_mut(&worker) {
            Some(mailbox) => mailbox.push_back(job),
            None => {
                state.mailboxes.insert(worker, VecDeque::from([job]));
                state.ready.push_back(worker);
                self.has_ready.store(true, Ordering::Release);
            }
        }
        if state.spinning > 0 {
            // A spinning thread takes it.
        } else if state.idle > 0 {
            self.work.notify_one();
        } else if state.threads < MAX_THREADS {
            state.threads += 1;
            drop(state);
            let pool = self.clone();
            let spawned = std::thread::Builder::new()
                .name("golem-rpc-invocation".to_string())
                .stack_size(HOST_THREAD_STACK_SIZE)
                .spawn(move || pool.serve());
            if let Err(err) = spawned {
                self.lock().threads -= 1;
                return Err(err);
            }
        }
        Ok(())
    }

    /// A pool thread: serves ready workers until it has been idle for [`IDLE`].
    fn serve(&self) {
        let mut state = self.lock();
        loop {
            let next = state.ready.pop_front();
            self.has_ready
                .store(!state.ready.is_empty(), Ordering::Release);
            let Some(worker) = next else {
                state.spinning += 1;
                drop(state);
                spin_until(SPIN, || self.has_ready.load(Ordering::Acquire));
                state = self.lock();
                state.spinning -= 1;
                if !state.ready.is_empty() {
                    continue;
                }
                state.idle += 1;
                let (next, timeout) = self
                    .work
                    .wait_timeout(state, IDLE)
                    .unwrap_or_else(PoisonError::into_inner);
                state = next;
                state.idle -= 1;
                if timeout.timed_out() && state.ready.is_empty() {
                    state.threads -= 1;
                    return;
                }
                continue;
            };
            for _ in 0..BATCH {
                let Some(job) = state
                    .mailboxes
                    .get_mut(&worker)
                    .and_then(VecDeque::pop_front)
                else {
                    break;
                };
                drop(state);
                job();
                state = self.lock();
            }
            if state.mailboxes.get(&worker).is_some_and(|m| !m.is_empty()) {
                state.ready.push_back(worker);
            } else {
                state.mailboxes.remove(&worker);
            }
        }
    }
}

/// Watches `done` for up to `limit` without sleeping (yielding the core to any other runnable
/// thread); whether it became true.
pub(crate) fn spin_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() >= limit {
            return false;
        }
        for _ in 0..64 {
            std::hint::spin_loop();
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn runs_each_workers_jobs_in_order_on_few_threads() {
        let pool = Arc::new(Pool::default());
        let (sender, receiver) = mpsc::channel();
        for i in 0..2_000u64 {
            let sender = sender.clone();
            pool.submit(i % 7, Box::new(move || sender.send((i % 7, i)).unwrap()))
                .unwrap();
        }
        drop(sender);
        let mut seen: HashMap<u64, Vec<u64>> = HashMap::new();
        for (worker, i) in receiver {
            seen.entry(worker).or_default().push(i);
        }
        assert_eq!(seen.values().map(Vec::len).sum::<usize>(), 2_000);
        for jobs in seen.values() {
            assert!(jobs.windows(2).all(|w| w[0] < w[1]), "FIFO per worker");
        }
        assert!(pool.lock().threads <= MAX_THREADS);
    }
}
