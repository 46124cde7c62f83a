//! Fake remote workers for native unit tests of a caller's own logic (not on wasm).
//!
//! Built for a native target (`cargo test` on your machine), the clients `import!` generates
//! talk to the [`Fakes`] of the current thread instead of Golem: each remote function answers
//! what the test says, typed, and every call is recorded. Time is virtual: answers that arrive
//! [`later`](Answer::after) make `join_all`, `select`, `join_all_with_timeout` and `block_on`
//! wait without sleeping — when everything waited for is pending, the clock jumps to the next
//! answer or deadline.
//!
//! ```
//! use std::time::Duration;
//! use golem_rpc::testing::Fakes;
//! use golem_rpc::{Error, Function, Uri};
//!
//! // What `import!` generates for `demo:counter/api`: `counter::api::Api::GET` and `ADD`.
//! const GET: Function<(), u64> = Function::new("demo:counter/api.{get}");
//! const ADD: Function<(u64,), ()> = Function::new("demo:counter/api.{add}");
//!
//! let fakes = Fakes::new();
//! fakes.on(GET, |()| Ok(41)).after(Duration::from_millis(20));
//! fakes.on(ADD, |(n,)| if n > 100 { Err(Error::Denied("too much".into())) } else { Ok(()) });
//!
//! // … run the code under test; it calls `Api::new(&uri).blocking_add(1)`, `api.get()`, …
//! # let _ = Uri { value: String::new() };
//!
//! let added: Vec<(u64,)> = fakes.calls_to(ADD);
//! assert!(added.is_empty());
//! ```
//!
//! A function with no answer registered fails with [`Error::ProtocolError`] (`no fake answers
//! …`), so `blocking_f` panics and `try_blocking_f` returns it. Answers can be limited to one
//! worker ([`Answer::on_worker`]); the latest matching registration answers. Fakes belong to the
//! thread that created them, so tests running in parallel do not see each other's.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use crate::codec::{DecodeError, ValueBuilder, WitEncode};
use crate::function::{Function, Params};
use crate::{Error, Uri, WitValue};

thread_local! {
    static WORLD: RefCell<Option<Rc<World>>> = const { RefCell::new(None) };
}

type Respond = Box<dyn FnMut(&[WitValue]) -> Result<WitValue, Error>>;

struct Registered {
    function: &'static str,
    worker: Option<Uri>,
    delay: Option<Duration>,
    respond: Respond,
}

#[derive(Default)]
struct World {
    answers: RefCell<Vec<Registered>>,
    calls: RefCell<Vec<Call>>,
    now: Cell<Duration>,
    self_uri: RefCell<Option<Uri>>,
    missing_components: RefCell<Vec<String>>,
    #[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
    next_ephemeral: Cell<u64>,
}

/// How a recorded call was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallKind {
    /// `blocking_f` / `try_blocking_f` (`invoke-and-await`).
    Blocking,
    /// `f` with a result (`async-invoke-and-await`).
    Async,
    /// `f` without a result (`invoke`).
    FireAndForget,
    /// `schedule_f` / `schedule_cancelable_f` (Golem 1.2): not answered, only recorded.
    Scheduled {
        /// When it was to run.
        at: SystemTime,
        /// Whether its token was cancelled.
        cancelled: bool,
    },
}

/// One call a client made.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The worker it went to.
    pub worker: Uri,
    /// The function, as sent on the wire (`demo:counter/api.{add}`).
    pub function: String,
    /// How it was made.
    pub kind: CallKind,
    /// Its parameters as sent (a method's handle first).
    pub params: Vec<WitValue>,
}

impl Call {
    /// The parameters as the typed tuple of `function`'s descriptor.
    pub fn args<P: Params, R>(&self, function: Function<P, R>) -> Result<P, DecodeError> {
        let _ = function;
        P::decode_params(&self.params)
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {} ({:?})", self.function, self.worker, self.kind)
    }
}

/// The fake remote side of the current thread's calls; see the [module docs](self). Dropping it
/// ends the fakes (later calls fail as if there were no host).
pub struct Fakes {
    world: Rc<World>,
}

/// A registered answer, to refine: when it arrives and for which worker.
pub struct Answer<'a> {
    fakes: &'a Fakes,
    index: usize,
}

impl Answer<'_> {
    fn edit(&self, f: impl FnOnce(&mut Registered)) {
        f(&mut self.fakes.world.answers.borrow_mut()[self.index]);
    }

    /// The answer arrives `delay` (virtual time) after the call: a future is ready then, a
    /// blocking call returns then (advancing the clock).
    pub fn after(self, delay: Duration) -> Self {
        self.edit(|r| r.delay = Some(delay));
        self
    }

    /// The answer never arrives: futures stay pending (to test timeouts); a blocking call of it
    /// fails with [`Error::ProtocolError`] instead of hanging the test.
    pub fn never(self) -> Self {
        self.edit(|r| r.delay = None);
        self
    }

    /// Only calls to `worker` get this answer.
    pub fn on_worker(self, worker: &Uri) -> Self {
        let worker = Uri::parse(&worker.value).unwrap_or_else(|_| worker.clone());
        self.edit(|r| r.worker = Some(worker));
        self
    }
}

impl Fakes {
    /// Fakes for the calls this thread makes from now on. Panics if the thread has some already.
    #[allow(
        clippy::new_without_default,
        reason = "creating fakes installs them for the thread: not a default value"
    )]
    pub fn new() -> Self {
        let world = Rc::new(World::default());
        WORLD.with(|slot| {
            let mut slot = slot.borrow_mut();
            assert!(
                slot.is_none(),
                "golem_rpc::testing::Fakes: this thread has fakes already"
            );
            *slot = Some(world.clone());
        });
        Fakes { world }
    }

    /// Answers calls of `function` with `answer(params)`: immediately, unless refined with
    /// [`Answer::after`] or [`Answer::never`]. `Err` is what the client sees (any
    /// [`Error`], e.g. `Error::RemoteInternalError` for a trap in the callee).
    pub fn on<P, R>(
        &self,
        function: Function<P, R>,
        mut answer: impl FnMut(P) -> Result<R, Error> + 'static,
    ) -> Answer<'_>
    where
        P: Params + 'static,
        R: WitEncode + 'static,
    {
        let name = function.name();
        let respond: Respond = Box::new(move |params| {
            let params = P::decode_params(params).map_err(|e| {
                Error::ProtocolError(format!(
                    "golem_rpc::testing: the parameters of {name} do not match its descriptor: {e}"
                ))
            })?;
            answer(params).map(|result| reply(&result))
        });
        let mut answers = self.world.answers.borrow_mut();
        answers.push(Registered {
            function: name,
            worker: None,
            delay: Some(Duration::ZERO),
            respond,
        });
        Answer {
            fakes: self,
            index: answers.len() - 1,
        }
    }

    /// Every call made so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.world.calls.borrow().clone()
    }

    /// The parameters of every call of `function` so far, in order. Panics if one does not
    /// decode as `P`.
    pub fn calls_to<P: Params, R>(&self, function: Function<P, R>) -> Vec<P> {
        self.world
            .calls
            .borrow()
            .iter()
            .filter(|c| c.function == function.name())
            .map(|c| {
                c.args(function)
                    .unwrap_or_else(|e| panic!("a call of {}: {e}", function.name()))
            })
            .collect()
    }

    /// Forgets the calls recorded so far.
    pub fn clear_calls(&self) {
        self.world.calls.borrow_mut().clear();
    }

    /// The virtual time since the fakes were created.
    pub fn elapsed(&self) -> Duration {
        self.world.now.get()
    }

    /// Moves the virtual clock forward.
    pub fn advance(&self, by: Duration) {
        self.world.now.set(self.world.now.get() + by);
    }

    /// The URI this worker has (`get_self_uri`, and the self-call guard): by default
    /// `urn:worker:{a fixed id}/test-worker`.
    pub fn set_self_uri(&self, uri: &Uri) {
        *self.world.self_uri.borrow_mut() = Some(uri.clone());
    }

    /// Golem 1.2: `resolve-component-id` finds no component named `name` (by default every
    /// name resolves to an id derived from it).
    pub fn missing_component(&self, name: &str) {
        self.world
            .missing_components
            .borrow_mut()
            .push(name.to_owned());
    }
}

impl Drop for Fakes {
    fn drop(&mut self) {
        WORLD.with(|slot| slot.borrow_mut().take());
    }
}

/// A function's reply as Golem sends it: a tuple of its results.
fn reply<R: WitEncode>(result: &R) -> WitValue {
    let mut builder = ValueBuilder::new();
    builder.tuple(|items| {
        if !R::UNIT {
            items.item(result);
        }
    });
    builder.finish()
}

/// The fake counterparts of what the runtime imports from the host, with the same shapes as
/// the wit-bindgen imports they replace natively.
pub(crate) mod fake {
    use super::*;
    use crate::ComponentId;

    fn world() -> Option<Rc<World>> {
        WORLD.with(|slot| slot.borrow().clone())
    }

    fn no_fakes(function: &str) -> Error {
        Error::ProtocolError(format!(
            "golem_rpc: no Golem host here to call {function}: natively, calls go to \
             golem_rpc::testing::Fakes (create one in the test)"
        ))
    }

    fn now() -> Duration {
        world().map(|w| w.now.get()).unwrap_or_default()
    }

    /// Records the call and computes its answer: `(arrives at, result)`; `None` = never.
    fn answer(
        worker: &Uri,
        function: &str,
        params: &[WitValue],
        kind: CallKind,
    ) -> (Option<Duration>, Result<WitValue, Error>) {
        let Some(world) = world() else {
            return (Some(Duration::ZERO), Err(no_fakes(function)));
        };
        world.calls.borrow_mut().push(Call {
            worker: worker.clone(),
            function: function.to_owned(),
            kind,
            params: params.to_vec(),
        });
        let found =
            world.answers.borrow().iter().rposition(|a| {
                a.function == function && a.worker.as_ref().is_none_or(|w| w == worker)
            });
        let Some(index) = found else {
            return (
                Some(world.now.get()),
                Err(Error::ProtocolError(format!(
                    "golem_rpc::testing: no fake answers {function} on {worker} (register one \
                     with Fakes::on)"
                ))),
            );
        };
        // The answer runs without the registry borrowed: it may call other clients or register
        // answers itself.
        let busy: Respond = Box::new(|_| {
            Err(Error::ProtocolError(
                "golem_rpc::testing: a fake answer called its own function".to_string(),
            ))
        });
        let (delay, mut respond) = {
            let mut answers = world.answers.borrow_mut();
            let registered = &mut answers[index];
            (
                registered.delay,
                std::mem::replace(&mut registered.respond, busy),
            )
        };
        let result = respond(params);
        world.answers.borrow_mut()[index].respond = respond;
        (delay.map(|d| world.now.get() + d), result)
    }

    /// A pollable: ready once the virtual clock reaches its time (`None`: never).
    pub struct Pollable {
        ready_at: Option<Duration>,
    }

    impl Pollable {
        /// Whether it is ready.
        pub fn ready(&self) -> bool {
            self.ready_at.is_some_and(|at| now() >= at)
        }

        /// Waits until it is ready (advancing the virtual clock).
        pub fn block(&self) {
            poll(&[self]);
        }
    }

    /// The indices of the ready pollables; when none is, the virtual clock jumps to the
    /// earliest one. Panics if none will ever be ready (the real host would wait forever).
    pub fn poll(pollables: &[&Pollable]) -> Vec<u32> {
        loop {
            let now = now();
            let ready: Vec<u32> = (0u32..)
                .zip(pollables)
                .filter(|(_, p)| p.ready_at.is_some_and(|at| now >= at))
                .map(|(i, _)| i)
                .collect();
            if !ready.is_empty() {
                return ready;
            }
            let next = pollables.iter().filter_map(|p| p.ready_at).min();
            match (next, world()) {
                (Some(next), Some(world)) => world.now.set(next),
                _ => panic!(
                    "golem_rpc::testing: waiting for fake calls that never complete (answers \
                     registered with .never(), and no timeout)"
                ),
            }
        }
    }

    // The real ones are resources, dropped by the host: code that drops them explicitly
    // compiles the same natively.
    impl Drop for Pollable {
        fn drop(&mut self) {}
    }

    impl Drop for FutureInvokeResult {
        fn drop(&mut self) {}
    }

    impl Drop for WasmRpc {
        fn drop(&mut self) {}
    }

    /// A timer pollable (`monotonic-clock.subscribe-duration`).
    pub fn timer(duration: Duration) -> Pollable {
        Pollable {
            ready_at: Some(now().saturating_add(duration)),
        }
    }

    /// A pending call's result.
    pub struct FutureInvokeResult {
        ready_at: Option<Duration>,
        result: RefCell<Option<Result<WitValue, Error>>>,
    }

    impl FutureInvokeResult {
        /// A pollable that becomes ready when the result is here.
        pub fn subscribe(&self) -> Pollable {
            Pollable {
                ready_at: self.ready_at,
            }
        }

        /// The result once it has arrived (once).
        pub fn get(&self) -> Option<Result<WitValue, Error>> {
            let at = self.ready_at?;
            if now() < at {
                return None;
            }
            self.result.borrow_mut().take()
        }
    }

    /// The connection to one (fake) worker.
    pub struct WasmRpc {
        worker: Uri,
    }

    impl WasmRpc {
        /// Golem 1.0/1.1: the worker at `uri`.
        #[cfg(not(feature = "golem-1-2"))]
        pub fn new(uri: &Uri) -> Self {
            Self {
                worker: uri.clone(),
            }
        }

        /// Golem 1.2 / 1.3: the worker `id`.
        #[cfg(feature = "golem-1-2")]
        pub fn new(id: &crate::uri::RpcWorkerId) -> Self {
            Self {
                worker: crate::uri::from_worker_id(id).uri(),
            }
        }

        /// Golem 1.2: a fresh ephemeral worker (named `ephemeral-{n}` here).
        #[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
        pub fn ephemeral(id: crate::bindings::golem::rpc::types::ComponentId) -> Self {
            let component = crate::uri::from_component_id(&id);
            let n = world().map_or(0, |w| {
                let n = w.next_ephemeral.get() + 1;
                w.next_ephemeral.set(n);
                n
            });
            Self {
                worker: Uri::worker(component, &format!("ephemeral-{n}")),
            }
        }

        /// A blocking call: answered now, or after its delay (advancing the clock).
        pub fn invoke_and_await(
            &self,
            function: &str,
            params: &[WitValue],
        ) -> Result<WitValue, Error> {
            let (at, result) = answer(&self.worker, function, params, CallKind::Blocking);
            match (at, world()) {
                (Some(at), Some(world)) => {
                    world.now.set(world.now.get().max(at));
                    result
                }
                (Some(_), None) => result,
                (None, _) => Err(Error::ProtocolError(format!(
                    "golem_rpc::testing: the fake answer of {function} never arrives, so a \
                     blocking call of it would wait forever"
                ))),
            }
        }

        /// A fire-and-forget call.
        pub fn invoke(&self, function: &str, params: &[WitValue]) -> Result<(), Error> {
            answer(&self.worker, function, params, CallKind::FireAndForget)
                .1
                .map(drop)
        }

        /// A call whose result arrives later.
        pub fn async_invoke_and_await(
            &self,
            function: &str,
            params: &[WitValue],
        ) -> FutureInvokeResult {
            let (ready_at, result) = answer(&self.worker, function, params, CallKind::Async);
            FutureInvokeResult {
                ready_at,
                result: RefCell::new(Some(result)),
            }
        }

        /// Golem 1.2: records the schedule (it is not run).
        #[cfg(feature = "golem-1-2")]
        pub fn schedule_invocation(
            &self,
            at: crate::Datetime,
            function: &str,
            params: &[WitValue],
        ) {
            let _token = self.schedule_cancelable_invocation(at, function, params);
        }

        /// Golem 1.2: records the schedule; the token marks it cancelled.
        #[cfg(feature = "golem-1-2")]
        pub fn schedule_cancelable_invocation(
            &self,
            at: crate::Datetime,
            function: &str,
            params: &[WitValue],
        ) -> CancellationToken {
            let at = SystemTime::UNIX_EPOCH + Duration::new(at.seconds, at.nanoseconds);
            let kind = CallKind::Scheduled {
                at,
                cancelled: false,
            };
            let Some(world) = world() else {
                return CancellationToken { call: None };
            };
            world.calls.borrow_mut().push(Call {
                worker: self.worker.clone(),
                function: function.to_owned(),
                kind,
                params: params.to_vec(),
            });
            CancellationToken {
                call: Some(world.calls.borrow().len() - 1),
            }
        }
    }

    /// Golem 1.2: the token of a scheduled call.
    #[cfg(feature = "golem-1-2")]
    pub struct CancellationToken {
        call: Option<usize>,
    }

    #[cfg(feature = "golem-1-2")]
    impl CancellationToken {
        /// Marks the scheduled call cancelled.
        pub fn cancel(&self) {
            if let (Some(index), Some(world)) = (self.call, world())
                && let Some(call) = world.calls.borrow_mut().get_mut(index)
                && let CallKind::Scheduled { cancelled, .. } = &mut call.kind
            {
                *cancelled = true;
            }
        }
    }

    /// The calling worker's URI.
    pub fn self_uri() -> Uri {
        world()
            .and_then(|w| w.self_uri.borrow().clone())
            .unwrap_or_else(|| Uri::worker(derived_id("test"), "test-worker"))
    }

    /// Golem 1.2's `resolve-component-id`: an id derived from the name, unless the test made
    /// it missing.
    #[cfg(feature = "golem-1-2")]
    pub fn resolve_component_id(name: &str) -> Option<ComponentId> {
        let missing =
            world().is_some_and(|w| w.missing_components.borrow().iter().any(|m| m == name));
        (!missing).then(|| derived_id(name))
    }

    /// A stable component id for `name` (two FNV-1a 64 hashes).
    fn derived_id(name: &str) -> ComponentId {
        let hash = |seed: u64| {
            name.bytes().fold(seed, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        let (high, low) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
        ComponentId::from_u128((u128::from(high) << 64) | u128::from(low))
    }
}
