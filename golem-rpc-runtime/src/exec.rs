//! `async` support: RPC futures implement [`std::future::Future`], and [`block_on`] drives any
//! future inside a component by polling the `wasi:io` pollables the pending calls registered.

use std::cell::RefCell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use crate::call::FutureResult;
use crate::codec::WitDecode;
use crate::{Error, Pollable, poll};

thread_local! {
    /// Pollables that pending RPC futures are waiting on, with the waker of the task to wake.
    static WAITING: RefCell<Vec<(Pollable, Waker)>> = const { RefCell::new(Vec::new()) };
}

impl<T: WitDecode> Future for FutureResult<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.try_get() {
            Some(result) => Poll::Ready(result),
            None => {
                let pollable = self.subscribe();
                WAITING.with(|waiting| waiting.borrow_mut().push((pollable, cx.waker().clone())));
                Poll::Pending
            }
        }
    }
}

/// Runs `future` to completion in this component, e.g. to use `async` code and
/// `futures::join!` over RPC futures:
///
/// ```ignore
/// let (a, b) = golem_rpc::block_on(async { futures::join!(api1.get(), api2.get()) });
/// ```
///
/// While the future is pending, it waits on the pollables of the RPC futures it awaits, with
/// one `wasi:io/poll` call per round. Panics if the future is pending without waiting on any
/// RPC future (nothing could ever wake it).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let woken = Arc::new(Flag::default());
    let waker = Waker::from(woken.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        woken.0.store(false, Ordering::Relaxed);
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            WAITING.with(|waiting| waiting.borrow_mut().clear());
            return output;
        }
        let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
        if waiting.is_empty() {
            assert!(
                woken.0.load(Ordering::Relaxed),
                "golem_rpc::block_on: the future is pending but waits on no golem-rpc call, so nothing can wake it"
            );
            continue;
        }
        let pollables: Vec<&Pollable> = waiting.iter().map(|(p, _)| p).collect();
        poll(&pollables);
        // Wake every waiting task, not only the ready ones: a task that is re-polled while its
        // call is still pending registers again, and executors that only re-poll woken tasks
        // (like `FuturesUnordered`) never lose one.
        for (_, waker) in waiting {
            waker.wake();
        }
    }
}

#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}
