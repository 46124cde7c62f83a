//! Waiting for many pending calls at once, with one `wasi:io/poll` loop.
//!
//! Each helper subscribes once per future and keeps a list of the still-pending ones, so a
//! round of polling costs time linear in the number of pending futures.

use std::fmt;
use std::time::Duration;

use crate::call::{FutureResult, RpcFuture};
use crate::codec::WitDecode;
use crate::{Error, Pollable, poll};

/// Waits until every future's result has arrived; then `get()`/`try_get()` on each returns
/// `Some` at once. Futures of different result types can be mixed:
///
/// ```ignore
/// let (a, b) = (api.get(), api.get_stats());
/// golem_rpc::join_all(&[&a, &b]);
/// let (total, stats) = (a.get().unwrap(), b.get().unwrap());
/// ```
pub fn join_all(futures: &[&dyn RpcFuture]) {
    wait(futures, None, futures.len());
}

/// Like [`join_all`], but gives up after `timeout`; the futures that have not arrived stay
/// usable.
pub fn join_all_with_timeout(futures: &[&dyn RpcFuture], timeout: Duration) -> Result<(), Elapsed> {
    let clock = crate::imports::timer(timeout);
    let pending = wait(futures, Some(&clock), futures.len());
    if pending == 0 {
        Ok(())
    } else {
        Err(Elapsed {
            pending,
            total: futures.len(),
        })
    }
}

/// Waits until at least one future's result has arrived and returns the index of the first
/// such future (in input order). Panics if `futures` is empty.
pub fn select(futures: &[&dyn RpcFuture]) -> usize {
    assert!(
        !futures.is_empty(),
        "golem_rpc::select needs at least one future"
    );
    wait(futures, None, 1);
    futures
        .iter()
        .position(|f| f.is_ready())
        .expect("wait returned with a future ready")
}

/// Waits for all `futures` and returns their results in input order.
pub fn collect<T: WitDecode>(futures: &[FutureResult<T>]) -> Vec<Result<T, Error>> {
    let dynamic: Vec<&dyn RpcFuture> = futures.iter().map(|f| f as &dyn RpcFuture).collect();
    join_all(&dynamic);
    futures
        .iter()
        .map(|f| {
            f.try_get()
                .expect("join_all returned with every result here")
        })
        .collect()
}

/// Runs `start(item)` for every item with at most `limit` calls pending at once, starting the
/// next as soon as one finishes; returns the results in input order.
///
/// For fan-outs too large to have every call in flight at once (the host bounds the number of
/// pending calls per worker). A `limit` of 0 is treated as 1.
pub fn map_concurrent<I, T, F>(items: I, limit: usize, mut start: F) -> Vec<Result<T, Error>>
where
    I: IntoIterator,
    T: WitDecode,
    F: FnMut(I::Item) -> FutureResult<T>,
{
    let limit = limit.max(1);
    let mut items = items.into_iter().enumerate();
    let mut results: Vec<Option<Result<T, Error>>> = Vec::new();
    // In flight: (input position, future, its pollable).
    let mut running: Vec<(usize, FutureResult<T>, Pollable)> = Vec::with_capacity(limit);
    loop {
        while running.len() < limit {
            let Some((position, item)) = items.next() else {
                break;
            };
            results.push(None);
            let future = start(item);
            let pollable = future.subscribe();
            running.push((position, future, pollable));
        }
        if running.is_empty() {
            break;
        }
        let list: Vec<&Pollable> = running.iter().map(|(_, _, p)| p).collect();
        let mut ready = poll(&list);
        // Remove from the back so earlier indices stay valid.
        ready.sort_unstable_by(|a, b| b.cmp(a));
        for index in ready {
            let (position, future, _) = running.swap_remove(index as usize);
            results[position] = Some(future.try_get().unwrap_or(Err(Error::AlreadyTaken {
                function: future.function_name(),
            })));
        }
    }
    results.into_iter().flatten().collect()
}

/// Polls until `enough` futures are ready or `deadline` fires; returns how many are still
/// pending.
fn wait(futures: &[&dyn RpcFuture], deadline: Option<&Pollable>, enough: usize) -> usize {
    let mut pending: Vec<(usize, Pollable)> = futures
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_ready())
        .map(|(i, f)| (i, f.pollable()))
        .collect();
    let total = futures.len();
    while !pending.is_empty() && total - pending.len() < enough {
        let mut list: Vec<&Pollable> = pending.iter().map(|(_, p)| p).collect();
        let deadline_index = list.len();
        list.extend(deadline);
        let mut done = vec![false; pending.len()];
        let mut timed_out = false;
        for index in poll(&list) {
            match done.get_mut(index as usize) {
                Some(flag) => *flag = true,
                None => timed_out |= index as usize == deadline_index,
            }
        }
        let mut done = done.into_iter();
        pending.retain(|_| !done.next().unwrap_or(false));
        if timed_out {
            break;
        }
    }
    pending.len()
}

/// Returned by [`join_all_with_timeout`] when some results did not arrive in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elapsed {
    /// How many futures were still pending.
    pub pending: usize,
    /// How many futures were waited for.
    pub total: usize,
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timed out with {} of {} calls still pending",
            self.pending, self.total
        )
    }
}

impl std::error::Error for Elapsed {}
