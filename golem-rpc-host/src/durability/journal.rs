//! A worker instance's side of its oplog (Golem's `Durability` wrapper of every host call).
//! Live, each non-deterministic host call runs and its answer is appended to the oplog. In a
//! replay the invocation's recorded answers are handed back instead, in order, and the worker's
//! output is muted; when they run out (an invocation the host died in) the invocation goes on
//! live from there, as Golem resumes it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value as Json;

use super::oplog::OplogEntry;
use super::store::WorkerOplog;

/// The journal of one worker instance.
pub(crate) struct Journal {
    oplog: Arc<WorkerOplog>,
    /// The running invocation's key, and how many RPC calls it has made.
    invocation: Mutex<(String, u64)>,
    answers: Mutex<VecDeque<(String, Json)>>,
    /// Set while replaying: output is muted, as Golem does not print it again.
    replaying: Arc<AtomicBool>,
}

impl Journal {
    pub(crate) fn new(oplog: Arc<WorkerOplog>) -> Arc<Self> {
        Arc::new(Journal {
            oplog,
            invocation: Mutex::default(),
            answers: Mutex::default(),
            replaying: Arc::default(),
        })
    }

    /// Starts invocation `key` (live, or replayed).
    pub(crate) fn begin_invocation(&self, key: &str) {
        *self
            .invocation
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = (key.to_string(), 0);
    }

    /// The idempotency key of the invocation's next RPC call: the same in every replay of it,
    /// so that a call made again after a crash is recognised by its target (Golem derives it
    /// from the invocation's key and the oplog index).
    pub(crate) fn next_call_key(&self) -> String {
        let mut invocation = self
            .invocation
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        invocation.1 += 1;
        format!("{}/{}", invocation.0, invocation.1)
    }

    /// The flag output streams check: set while the worker replays.
    pub(crate) fn muted(&self) -> Arc<AtomicBool> {
        self.replaying.clone()
    }

    /// Starts replaying one invocation, whose host calls were answered with `answers`.
    pub(crate) fn replay(&self, answers: VecDeque<(String, Json)>) {
        *self.answers.lock().unwrap_or_else(PoisonError::into_inner) = answers;
        self.replaying.store(true, Ordering::Relaxed);
    }

    /// Ends a replay: answers the invocation did not ask for again (none, if the worker is
    /// deterministic) are dropped.
    pub(crate) fn end_replay(&self) {
        self.replaying.store(false, Ordering::Relaxed);
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The answer of host call `call`: in a replay the recorded one, else `live()`'s, recorded.
    pub(crate) fn answer(&self, call: &str, live: impl FnOnce() -> Json) -> Json {
        if let Some(recorded) = self.recorded(call) {
            return recorded;
        }
        // Nothing (more) recorded: from here on the invocation is new, and so is its output.
        self.replaying.store(false, Ordering::Relaxed);
        let response = live();
        self.oplog.append(OplogEntry::Host {
            call: call.to_string(),
            response: response.clone(),
        });
        response
    }

    /// The next recorded answer, if it is one of `call`'s. Futures' results are taken by their
    /// own call name (`…#n`), wherever they are: a replay may poll them in another order.
    fn recorded(&self, call: &str) -> Option<Json> {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        let position = if call.contains('#') {
            answers.iter().position(|(c, _)| c == call)?
        } else {
            answers.iter().position(|(c, _)| !c.contains('#'))?
        };
        if answers[position].0 != call {
            // The worker asked for something else than it did when recorded: Golem fails such
            // a replay; here the rest of the invocation runs live, and says so.
            eprintln!(
                "golem-rpc-host: replay diverged: the oplog answers {}, the worker calls {call}; \
                 going on live",
                answers[position].0
            );
            answers.clear();
            return None;
        }
        answers.remove(position).map(|(_, response)| response)
    }

    /// A number through [`Journal::answer`].
    pub(crate) fn answer_u64(&self, call: &str, live: impl FnOnce() -> u64) -> u64 {
        self.answer(call, || Json::from(live()))
            .as_u64()
            .unwrap_or_default()
    }
}

/// `wasi:clocks/wall-clock` through the journal (Golem records `now`).
pub(crate) struct WallClock(pub(crate) Arc<Journal>);

impl wasmtime_wasi::HostWallClock for WallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }

    fn now(&self) -> Duration {
        Duration::from_nanos(self.0.answer_u64("wasi:clocks/wall-clock.now", epoch_nanos))
    }
}

/// `wasi:clocks/monotonic-clock` through the journal (Golem records `now`). It counts the
/// nanoseconds since the Unix epoch, so that a worker replayed by a later host process and going
/// on live never sees it go back.
pub(crate) struct MonotonicClock(pub(crate) Arc<Journal>);

impl wasmtime_wasi::HostMonotonicClock for MonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        self.0
            .answer_u64("wasi:clocks/monotonic-clock.now", epoch_nanos)
    }
}

fn epoch_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}
