//! How calls run: tasks and their call chains, per-worker locks with deadlock detection, the
//! threads of background invocations and their futures, and the timer of scheduled invocations.
//! Nothing here knows Golem's interfaces or a worker's store.

pub(crate) mod background;
pub(crate) mod locks;
pub(crate) mod pool;
pub(crate) mod task;
pub(crate) mod timers;
