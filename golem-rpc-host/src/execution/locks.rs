//! Exclusive, first-come-first-served access to workers, with deadlock detection.
//!
//! Every worker has a FIFO queue of tickets. A call first *reserves* a ticket (a fire-and-forget
//! or async invocation reserves it at call time, so invocations from one caller run in the order
//! they were made, as in Golem's per-worker invocation queue) and then *acquires* the worker once
//! its ticket is at the front. The front ticket's task is the one that runs (or is about to run)
//! the worker.
//!
//! Waiting is tracked as a wait-for graph between tasks: a task waits either for a worker (that
//! is, for the task at the front of its queue) or for another task (a guest blocked on the
//! pollable of a `future-invoke-result` waits for the background task computing it). Before a
//! task blocks on a worker it follows the graph from the worker's current holder; reaching itself
//! means the call can never proceed (A→A, A→B→A, or A polling a future whose call needs A), and
//! the acquisition fails instead of hanging. Waiters re-check whenever the graph changes, so a
//! cycle closed by a pollable wait (which cannot fail) is broken by the task waiting on a worker.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::execution::task::TaskId;

/// A worker's key in the locks (its serial number).
pub(crate) type WorkerKey = u64;

#[derive(Debug, Clone, Copy)]
struct Ticket {
    number: u64,
    task: TaskId,
}

#[derive(Debug, Clone, Copy)]
enum WaitFor {
    Worker(WorkerKey),
    Task(TaskId),
}

#[derive(Default)]
struct State {
    next_ticket: u64,
    /// Queues are kept when empty: one per worker ever used, and no allocation per call.
    queues: HashMap<WorkerKey, VecDeque<Ticket>>,
    waits: HashMap<TaskId, WaitFor>,
    /// Threads blocked in [`WorkerLocks::acquire`]; nobody needs waking when it is zero.
    sleepers: usize,
}

impl State {
    fn front(&self, worker: WorkerKey) -> Option<Ticket> {
        self.queues.get(&worker).and_then(|q| q.front().copied())
    }

    /// Follows the wait-for graph from `blocker`; true if it leads back to `me`.
    fn leads_to(&self, me: TaskId, blocker: TaskId) -> bool {
        let mut visited = HashSet::new();
        let mut current = blocker;
        loop {
            if current == me {
                return true;
            }
            if !visited.insert(current) {
                return false;
            }
            current = match self.waits.get(&current) {
                None => return false,
                Some(WaitFor::Task(task)) => *task,
                Some(WaitFor::Worker(worker)) => match self.front(*worker) {
                    Some(ticket) => ticket.task,
                    None => return false,
                },
            };
        }
    }

    fn remove_ticket(&mut self, worker: WorkerKey, number: u64) {
        if let Some(queue) = self.queues.get_mut(&worker) {
            if queue.front().is_some_and(|t| t.number == number) {
                queue.pop_front();
            } else {
                queue.retain(|t| t.number != number);
            }
        }
    }
}

/// Why a worker could not be acquired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadlock {
    /// The task itself is already running the worker (A→A, A→B→A).
    Reentrant,
    /// The worker's holder is (transitively) waiting for this task.
    Cycle,
}

/// See the module documentation.
#[derive(Default)]
pub(crate) struct WorkerLocks {
    state: Mutex<State>,
    changed: Condvar,
}

impl WorkerLocks {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes the waiters in [`WorkerLocks::acquire`] so they re-check the queues and the graph.
    fn changed(&self, state: &State) {
        if state.sleepers > 0 {
            self.changed.notify_all();
        }
    }

    /// Queues `task` for `worker`; the returned ticket keeps its place until acquired or dropped.
    pub(crate) fn reserve(self: &Arc<Self>, worker: WorkerKey, task: TaskId) -> Reservation {
        let mut state = self.lock();
        let number = state.next_ticket;
        state.next_ticket += 1;
        state
            .queues
            .entry(worker)
            .or_default()
            .push_back(Ticket { number, task });
        Reservation {
            locks: Some(self.clone()),
            worker,
            number,
            task,
        }
    }

    /// Like [`WorkerLocks::reserve`], for a task that waits in a queue (a background invocation)
    /// before it acquires: it counts as waiting for the worker from now on, so that a cycle
    /// through it is seen while it is still queued.
    pub(crate) fn reserve_queued(self: &Arc<Self>, worker: WorkerKey, task: TaskId) -> Reservation {
        let reservation = self.reserve(worker, task);
        self.lock().waits.insert(task, WaitFor::Worker(worker));
        reservation
    }

    /// Waits until `reservation` is at the front of its worker's queue, unless that would deadlock.
    pub(crate) fn acquire(
        self: &Arc<Self>,
        mut reservation: Reservation,
    ) -> Result<WorkerLock, Deadlock> {
        let (worker, number, task) = (reservation.worker, reservation.number, reservation.task);
        let mut state = self.lock();
        loop {
            let Some(front) = state.front(worker) else {
                // Cannot happen while the reservation is alive; fail safe rather than hang.
                return Err(Deadlock::Cycle);
            };
            if front.number == number {
                state.waits.remove(&task);
                reservation.locks = None;
                return Ok(WorkerLock {
                    locks: self.clone(),
                    worker,
                    number,
                });
            }
            if state.leads_to(task, front.task) {
                state.waits.remove(&task);
                state.remove_ticket(worker, number);
                reservation.locks = None;
                self.changed(&state);
                return Err(if front.task == task {
                    Deadlock::Reentrant
                } else {
                    Deadlock::Cycle
                });
            }
            state.waits.insert(task, WaitFor::Worker(worker));
            state.sleepers += 1;
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.sleepers -= 1;
        }
    }

    /// Records that `waiter` is blocked until task `target` finishes (a pollable wait), and
    /// whether that wait closes a cycle (`target` waits, transitively, for `waiter`).
    pub(crate) fn wait_for_task(
        self: &Arc<Self>,
        waiter: TaskId,
        target: TaskId,
    ) -> (TaskWait, bool) {
        let mut state = self.lock();
        state.waits.insert(waiter, WaitFor::Task(target));
        let cycle = state.leads_to(waiter, target);
        self.changed(&state);
        let wait = TaskWait {
            locks: self.clone(),
            waiter,
        };
        (wait, cycle)
    }
}

/// A place in a worker's queue (see [`WorkerLocks::reserve`]).
pub(crate) struct Reservation {
    locks: Option<Arc<WorkerLocks>>,
    worker: WorkerKey,
    number: u64,
    task: TaskId,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if let Some(locks) = self.locks.take() {
            let mut state = locks.lock();
            state.remove_ticket(self.worker, self.number);
            // A queued task that never acquired no longer waits.
            if matches!(state.waits.get(&self.task), Some(WaitFor::Worker(w)) if *w == self.worker)
            {
                state.waits.remove(&self.task);
            }
            locks.changed(&state);
        }
    }
}

/// Exclusive use of a worker; released when dropped.
pub(crate) struct WorkerLock {
    locks: Arc<WorkerLocks>,
    worker: WorkerKey,
    number: u64,
}

impl Drop for WorkerLock {
    fn drop(&mut self) {
        let mut state = self.locks.lock();
        state.remove_ticket(self.worker, self.number);
        self.locks.changed(&state);
    }
}

/// A registered pollable wait; removed when dropped.
pub(crate) struct TaskWait {
    locks: Arc<WorkerLocks>,
    waiter: TaskId,
}

impl Drop for TaskWait {
    fn drop(&mut self) {
        let mut state = self.locks.lock();
        state.waits.remove(&self.waiter);
        self.locks.changed(&state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn reentrant_acquire_is_a_deadlock() {
        let locks = Arc::new(WorkerLocks::default());
        let held = locks.acquire(locks.reserve(1, 10)).unwrap();
        let again = locks.acquire(locks.reserve(1, 10));
        assert_eq!(again.err(), Some(Deadlock::Reentrant));
        drop(held);
        // The failed reservation left no trace: the worker is free again.
        let _held = locks.acquire(locks.reserve(1, 10)).unwrap();
    }

    #[test]
    fn tickets_are_served_in_order() {
        let locks = Arc::new(WorkerLocks::default());
        let first = locks.reserve(1, 1);
        let second = locks.reserve(1, 2);
        let (tx, rx) = mpsc::channel();
        let s = locks.clone();
        let waiter = std::thread::spawn(move || {
            let _lock = s.acquire(second).unwrap();
            tx.send(()).unwrap();
        });
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        let lock = locks.acquire(first).unwrap();
        drop(lock);
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        waiter.join().unwrap();
    }

    #[test]
    fn cycle_through_another_worker_is_detected() {
        let locks = Arc::new(WorkerLocks::default());
        // Task 1 holds worker A and waits for worker B, held by task 2.
        let _a = locks.acquire(locks.reserve(1, 1)).unwrap();
        let b = locks.acquire(locks.reserve(2, 2)).unwrap();
        let s = locks.clone();
        let waiter = std::thread::spawn(move || s.acquire(s.reserve(2, 1)).map(|_| ()));
        std::thread::sleep(Duration::from_millis(50));
        // Task 2 now wants A: 2 → A(1) → B(2) is a cycle.
        assert_eq!(
            locks.acquire(locks.reserve(1, 2)).err(),
            Some(Deadlock::Cycle)
        );
        drop(b);
        assert!(waiter.join().unwrap().is_ok());
    }

    #[test]
    fn pollable_wait_breaks_the_waiting_call() {
        let locks = Arc::new(WorkerLocks::default());
        // Task 1 holds A; background task 2 waits for A; then task 1 polls task 2.
        let _a = locks.acquire(locks.reserve(1, 1)).unwrap();
        let s = locks.clone();
        let background = std::thread::spawn(move || s.acquire(s.reserve(1, 2)).map(|_| ()));
        std::thread::sleep(Duration::from_millis(50));
        let _wait = locks.wait_for_task(1, 2);
        assert_eq!(background.join().unwrap().err(), Some(Deadlock::Cycle));
    }
}
