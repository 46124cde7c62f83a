//! Invocations scheduled for a wall-clock time (`golem:rpc/types@0.2.0`'s
//! `schedule-invocation` and `schedule-cancelable-invocation`), run by one timer thread.
//!
//! Golem's executor keeps scheduled actions in a sorted set and a background loop enqueues the
//! due ones into their target worker's invocation queue. Here the pending invocations are kept in
//! time order and one thread (started with the first schedule) sleeps until the earliest is due,
//! then hands each due one to its `fire` closure, which queues the call like a fire-and-forget
//! `invoke`. A time in the past is due at once. Cancelling removes a pending invocation; one that
//! has been handed over is not affected (a no-op, as in Golem). Nothing here keeps the host
//! alive: [`Schedules::close`] ends the thread and returns what had not run.
//!
//! (Not to be confused with `locks`, which orders the calls *on* a worker.)

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crate::model::uri::WorkerId;

/// Identifies one scheduled invocation of a host.
pub(crate) type ScheduleId = u64;

/// Most invocations pending at once (as many as background invocations may be in flight).
pub const MAX_PENDING_SCHEDULES: usize = 1 << 18;

/// The longest the timer sleeps without looking at the wall clock again (it may be set).
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// A pending scheduled invocation, as [`crate::Host::pending_schedules`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledInvocation {
    /// The function to call (as the guest named it).
    pub function: String,
    /// The worker to call it on.
    pub worker: WorkerId,
    /// When it is due.
    pub at: SystemTime,
}

impl fmt::Display for ScheduledInvocation {
    /// `{function} on worker urn:worker:… at 2025-06-01T12:00:00.250Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} on worker {} at {}",
            self.function,
            self.worker,
            utc(self.at)
        )
    }
}

/// What runs a due invocation (queues it; it must not block).
pub(crate) type Fire = Box<dyn FnOnce() + Send>;

struct Pending {
    invocation: ScheduledInvocation,
    fire: Fire,
}

#[derive(Default)]
struct State {
    /// By due time, then by id (the order they were scheduled in).
    pending: BTreeMap<(SystemTime, ScheduleId), Pending>,
    /// When each pending invocation is due, to find it by id.
    due: HashMap<ScheduleId, SystemTime>,
    next_id: ScheduleId,
    /// Invocations taken off `pending` whose `fire` has not returned yet.
    firing: usize,
    timer_started: bool,
    closed: bool,
}

/// See the module docs.
#[derive(Default)]
pub(crate) struct Schedules {
    state: Mutex<State>,
    /// Signalled on every change: a new or cancelled schedule, fired ones, closing.
    changed: Condvar,
}

/// Why an invocation could not be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScheduleError {
    Closed,
    TooMany,
    Thread(String),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Closed => f.write_str("the golem-rpc host has been shut down"),
            ScheduleError::TooMany => write!(
                f,
                "too many scheduled invocations pending (limit {MAX_PENDING_SCHEDULES})"
            ),
            ScheduleError::Thread(err) => write!(f, "failed to start the timer thread: {err}"),
        }
    }
}

impl Schedules {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Schedules `fire` for `invocation.at`.
    pub(crate) fn add(
        self: &Arc<Self>,
        invocation: ScheduledInvocation,
        fire: Fire,
    ) -> Result<ScheduleId, ScheduleError> {
        let mut state = self.lock();
        if state.closed {
            return Err(ScheduleError::Closed);
        }
        if state.pending.len() >= MAX_PENDING_SCHEDULES {
            return Err(ScheduleError::TooMany);
        }
        if !state.timer_started {
            let schedules = self.clone();
            std::thread::Builder::new()
                .name("golem-rpc-timer".to_string())
                .spawn(move || schedules.run_timer())
                .map_err(|err| ScheduleError::Thread(err.to_string()))?;
            state.timer_started = true;
        }
        state.next_id += 1;
        let id = state.next_id;
        state.due.insert(id, invocation.at);
        state
            .pending
            .insert((invocation.at, id), Pending { invocation, fire });
        self.changed.notify_all();
        Ok(id)
    }

    /// Cancels a pending invocation; `false` if it is not pending (it ran, or is running, or
    /// was cancelled).
    pub(crate) fn cancel(&self, id: ScheduleId) -> bool {
        let mut state = self.lock();
        let Some(at) = state.due.remove(&id) else {
            return false;
        };
        let removed = state.pending.remove(&(at, id));
        self.changed.notify_all();
        drop(state);
        removed.is_some()
    }

    /// The pending invocations, earliest first.
    pub(crate) fn pending(&self) -> Vec<ScheduledInvocation> {
        let state = self.lock();
        state
            .pending
            .values()
            .map(|p| p.invocation.clone())
            .collect()
    }

    /// When the earliest pending invocation is due.
    pub(crate) fn next_due(&self) -> Option<SystemTime> {
        self.lock().pending.keys().next().map(|(at, _)| *at)
    }

    /// Waits until every invocation due by `at` has been handed over (and its `fire` returned),
    /// or until `until`; whether that happened.
    pub(crate) fn wait_fired(&self, at: SystemTime, until: Option<Instant>) -> bool {
        let mut state = self.lock();
        loop {
            let due = state.pending.keys().next().is_some_and(|(t, _)| *t <= at);
            if !due && state.firing == 0 {
                return true;
            }
            state = match until {
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(until) => {
                    let left = until.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    self.changed
                        .wait_timeout(state, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }

    /// Stops the timer: nothing pending runs any more, and nothing can be scheduled. Returns
    /// what was pending, earliest first. (Invocations being handed over still are: see
    /// [`Schedules::wait_fired`].)
    pub(crate) fn close(&self) -> Vec<ScheduledInvocation> {
        let mut state = self.lock();
        state.closed = true;
        state.due.clear();
        let pending = std::mem::take(&mut state.pending);
        self.changed.notify_all();
        drop(state);
        pending.into_values().map(|p| p.invocation).collect()
    }

    /// The timer thread: hands over due invocations, sleeps until the next one is due.
    fn run_timer(&self) {
        let mut state = self.lock();
        loop {
            if state.closed {
                return;
            }
            let now = SystemTime::now();
            let mut due = Vec::new();
            while let Some(entry) = state.pending.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                let ((_, id), pending) = entry.remove_entry();
                state.due.remove(&id);
                due.push(pending.fire);
            }
            if !due.is_empty() {
                state.firing += due.len();
                drop(state);
                let fired = due.len();
                for fire in due {
                    fire();
                }
                state = self.lock();
                state.firing -= fired;
                self.changed.notify_all();
                continue;
            }
            let sleep = state.pending.keys().next().map_or(MAX_SLEEP, |(at, _)| {
                at.duration_since(now).unwrap_or_default().min(MAX_SLEEP)
            });
            state = self
                .changed
                .wait_timeout(state, sleep)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// `time` as RFC 3339 UTC with milliseconds (`2025-06-01T12:00:00.250Z`).
pub(crate) fn utc(time: SystemTime) -> String {
    let Ok(since_epoch) = time.duration_since(SystemTime::UNIX_EPOCH) else {
        return format!("{time:?}");
    };
    let secs = since_epoch.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's `civil_from_days`, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600,
        rest / 60 % 60,
        rest % 60,
        since_epoch.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn invocation(function: &str, at: SystemTime) -> ScheduledInvocation {
        ScheduledInvocation {
            function: function.to_string(),
            worker: WorkerId::new(uuid::Uuid::nil(), "w"),
            at,
        }
    }

    fn schedule(
        schedules: &Arc<Schedules>,
        name: &'static str,
        at: SystemTime,
        fired: &mpsc::Sender<&'static str>,
    ) -> ScheduleId {
        let fired = fired.clone();
        schedules
            .add(
                invocation(name, at),
                Box::new(move || fired.send(name).unwrap()),
            )
            .unwrap()
    }

    #[test]
    fn runs_due_invocations_in_time_order_once_and_not_cancelled_ones() {
        let schedules = Arc::new(Schedules::default());
        let (sender, fired) = mpsc::channel();
        let now = SystemTime::now();
        let ms = Duration::from_millis;
        schedule(&schedules, "late", now + ms(150), &sender);
        let cancelled = schedule(&schedules, "cancelled", now + ms(100), &sender);
        schedule(&schedules, "past", now - ms(5_000), &sender);
        schedule(&schedules, "early", now + ms(50), &sender);
        assert!(schedules.cancel(cancelled));
        assert!(!schedules.cancel(cancelled), "a second cancel is a no-op");
        let order: Vec<&str> = (0..3)
            .map(|_| fired.recv_timeout(Duration::from_secs(5)).unwrap())
            .collect();
        assert_eq!(order, ["past", "early", "late"]);
        assert!(fired.recv_timeout(ms(300)).is_err(), "nothing else runs");
        assert!(schedules.pending().is_empty());
    }

    #[test]
    fn cancelling_after_it_ran_is_a_no_op() {
        let schedules = Arc::new(Schedules::default());
        let (sender, fired) = mpsc::channel();
        let id = schedule(&schedules, "now", SystemTime::now(), &sender);
        assert_eq!(fired.recv_timeout(Duration::from_secs(5)), Ok("now"));
        assert!(schedules.wait_fired(SystemTime::now(), None));
        assert!(!schedules.cancel(id));
    }

    #[test]
    fn close_returns_what_is_pending_and_refuses_more() {
        let schedules = Arc::new(Schedules::default());
        let (sender, fired) = mpsc::channel();
        let now = SystemTime::now();
        let hour = Duration::from_secs(3_600);
        schedule(&schedules, "b", now + 2 * hour, &sender);
        schedule(&schedules, "a", now + hour, &sender);
        assert_eq!(schedules.next_due(), Some(now + hour));
        let pending: Vec<String> = schedules
            .pending()
            .into_iter()
            .map(|i| i.function)
            .collect();
        assert_eq!(pending, ["a", "b"]);
        let left: Vec<String> = schedules.close().into_iter().map(|i| i.function).collect();
        assert_eq!(left, ["a", "b"]);
        assert!(schedules.pending().is_empty());
        assert_eq!(
            schedules.add(invocation("c", now), Box::new(|| {})),
            Err(ScheduleError::Closed)
        );
        assert!(fired.try_recv().is_err());
    }

    #[test]
    fn wait_fired_gives_up_at_its_deadline() {
        let schedules = Arc::new(Schedules::default());
        let (sender, _fired) = mpsc::channel();
        let at = SystemTime::now() + Duration::from_secs(3_600);
        schedule(&schedules, "later", at, &sender);
        let until = Instant::now() + Duration::from_millis(50);
        assert!(!schedules.wait_fired(at, Some(until)));
        assert!(schedules.wait_fired(at - Duration::from_secs(1), Some(until)));
    }

    #[test]
    fn formats_utc_times() {
        let at = |secs: u64, millis: u64| {
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis)
        };
        assert_eq!(utc(at(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc(at(951_782_400, 5)), "2000-02-29T00:00:00.005Z");
        assert_eq!(utc(at(1_748_779_200, 250)), "2025-06-01T12:00:00.250Z");
        assert_eq!(utc(at(4_102_444_799, 999)), "2099-12-31T23:59:59.999Z");
    }
}
