//! The calls generated clients make: encode parameters, invoke, decode the reply.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;

use crate::codec::{DecodeError, ValueReader, WitDecode};
use crate::{Error, FutureInvokeResult, Pollable, Uri, WasmRpc, WitNode, WitValue};

/// The worker a client talks to: its `wasm-rpc` connection and its URI.
pub struct Target {
    rpc: WasmRpc,
    uri: Uri,
    /// Whether `uri` is the calling worker itself; looked up on the first blocking call.
    is_self: Cell<Option<bool>>,
}

impl Target {
    /// Connects to the worker at `location` after checking (and normalising) the URI.
    #[cfg(not(feature = "golem-1-2"))]
    pub fn new(location: &Uri) -> Result<Self, Error> {
        let uri = Uri::parse(&location.value).map_err(Error::InvalidUri)?;
        Ok(Self {
            rpc: WasmRpc::new(&uri),
            uri,
            is_self: Cell::new(None),
        })
    }

    /// Connects to the worker at `location` (`urn:worker:{component-id}/{worker-name}`).
    #[cfg(feature = "golem-1-2")]
    pub fn new(location: &Uri) -> Result<Self, Error> {
        let id = crate::WorkerId::try_from(location).map_err(Error::InvalidUri)?;
        Ok(Self::worker(&id))
    }

    /// Golem 1.2: connects to the worker `id`.
    #[cfg(feature = "golem-1-2")]
    pub fn worker(id: &crate::WorkerId) -> Self {
        Self {
            rpc: WasmRpc::new(&crate::uri::worker_id(id)),
            uri: id.uri(),
            is_self: Cell::new(None),
        }
    }

    /// Golem 1.2: connects to the worker named `worker_name` of the component deployed as
    /// `component` (`resolve-component-id`, looked up once per component).
    #[cfg(feature = "golem-1-2")]
    pub fn try_named(component: &str, worker_name: &str) -> Result<Self, Error> {
        let component_id = crate::golem12::resolve_component(component)?;
        Ok(Self::worker(&crate::WorkerId::new(
            component_id,
            worker_name,
        )))
    }

    /// Like [`Target::try_named`], but panics if there is no such component.
    #[cfg(feature = "golem-1-2")]
    #[track_caller]
    pub fn named(component: &str, worker_name: &str) -> Self {
        Self::try_named(component, worker_name).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Golem 1.2: connects to a new ephemeral worker of the component `component_id`; every
    /// call through this target goes to that one worker.
    #[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
    pub fn ephemeral(component_id: crate::ComponentId) -> Self {
        Self {
            rpc: WasmRpc::ephemeral(crate::uri::component_id(component_id)),
            // The host names the worker; it is never the caller itself.
            uri: Uri {
                value: format!("urn:worker:{component_id}"),
            },
            is_self: Cell::new(Some(false)),
        }
    }

    /// Golem 1.2: a new ephemeral worker of the component deployed as `component`.
    #[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
    pub fn try_ephemeral_named(component: &str) -> Result<Self, Error> {
        Ok(Self::ephemeral(crate::golem12::resolve_component(
            component,
        )?))
    }

    /// Like [`Target::try_ephemeral_named`], but panics if there is no such component.
    #[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
    #[track_caller]
    pub fn ephemeral_named(component: &str) -> Self {
        Self::try_ephemeral_named(component).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Like [`Target::new`], but panics on an invalid URI, as Golem's host traps on one.
    #[track_caller]
    pub fn connect(location: &Uri) -> Self {
        Self::new(location).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The worker's URI, normalised.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// A blocking call to the calling worker itself would wait for itself forever on Golem.
    fn check_not_self(&self, function: &'static str) -> Result<(), Error> {
        let is_self = match self.is_self.get() {
            Some(is_self) => is_self,
            None => {
                let is_self = crate::self_uri::is_self(&self.uri);
                self.is_self.set(Some(is_self));
                is_self
            }
        };
        if is_self {
            return Err(Error::SelfCall { function });
        }
        Ok(())
    }
}

/// Calls `function` on the target and waits for its result (`invoke-and-await`).
pub fn invoke_and_await<T: WitDecode>(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> Result<T, Error> {
    let reply = invoke_and_await_raw(target, function, params)?;
    decode_results(&reply).map_err(|error| Error::Decode { function, error })
}

/// Like [`invoke_and_await`], for a function whose results were named in Golem 1.0/1.1 WIT
/// (`-> (a: u32, b: string)`): `T` is the tuple of the results ([`decode_named_results`]).
pub fn invoke_and_await_named<T: WitDecode>(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> Result<T, Error> {
    let reply = invoke_and_await_raw(target, function, params)?;
    decode_named_results(&reply).map_err(|error| Error::Decode { function, error })
}

// Kept out of line: the canonical-ABI lowering of `list<wit-value>` is large, and inlined into
// every generic caller it would be copied once per call site and result type.
#[inline(never)]
fn invoke_and_await_raw(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> Result<WitValue, Error> {
    target.check_not_self(function)?;
    target
        .rpc
        .invoke_and_await(function, params)
        .map_err(from_host)
}

/// The host's error as ours: Golem's `rpc-error` in a component, already an [`Error`] from the
/// fakes of [`testing`](crate::testing).
fn from_host(error: impl Into<Error>) -> Error {
    error.into()
}

/// Calls `function` on the target without waiting for it to run (`invoke`).
#[inline(never)]
pub fn invoke(target: &Target, function: &'static str, params: &[WitValue]) -> Result<(), Error> {
    target.rpc.invoke(function, params).map_err(from_host)
}

/// Golem 1.2: runs `function` on the target at `at` (`schedule-invocation`); its result is
/// discarded.
#[cfg(feature = "golem-1-2")]
#[inline(never)]
pub fn schedule_invocation(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
    at: crate::Datetime,
) {
    target.rpc.schedule_invocation(at, function, params)
}

/// Golem 1.2: like [`schedule_invocation`], with a token that cancels it before it runs.
#[cfg(feature = "golem-1-2")]
#[inline(never)]
pub fn schedule_cancelable_invocation(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
    at: crate::Datetime,
) -> crate::CancellationToken {
    target
        .rpc
        .schedule_cancelable_invocation(at, function, params)
}

/// Starts `function` on the target and returns a handle to its pending result.
pub fn async_invoke_and_await<T: WitDecode>(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> FutureResult<T> {
    FutureResult {
        inner: async_invoke_raw(target, function, params),
        function,
        named: false,
        state: RefCell::new(State::Pending),
        _result: PhantomData,
    }
}

/// Like [`async_invoke_and_await`], for a function whose results were named in Golem 1.0/1.1
/// WIT ([`invoke_and_await_named`]).
pub fn async_invoke_and_await_named<T: WitDecode>(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> FutureResult<T> {
    FutureResult {
        named: true,
        ..async_invoke_and_await(target, function, params)
    }
}

#[inline(never)]
fn async_invoke_raw(
    target: &Target,
    function: &'static str,
    params: &[WitValue],
) -> FutureInvokeResult {
    target.rpc.async_invoke_and_await(function, params)
}

/// Reads a reply: Golem wraps a function's results in a tuple (a record when they are named).
///
/// `T` is `()` for a function without results.
pub fn decode_results<T: WitDecode>(reply: &WitValue) -> Result<T, DecodeError> {
    let reader = ValueReader::new(reply);
    let expected = if T::UNIT { 0 } else { 1 };
    let items = match reader.node(0, "a tuple of results")? {
        WitNode::TupleValue(items) | WitNode::RecordValue(items) => items,
        other => return Err(DecodeError::unexpected("a tuple of results", other)),
    };
    if items.len() != expected {
        return Err(DecodeError::new(
            format!("a tuple of {expected} results"),
            format!("{} results", items.len()),
        ));
    }
    match items.first() {
        Some(index) => reader.read(*index),
        None => T::decode(&reader, -1),
    }
}

/// Reads the reply of a function whose results were named (Golem 1.0/1.1 WIT), as the tuple `T`.
///
/// Golem's executor sends named results as the children of the root — a `record-value` (1.0.18
/// and later, 1.1) or a `tuple-value` (earlier 1.0 releases). A target rebuilt from current WIT,
/// where the results became one `tuple<…>`, sends a tuple holding that tuple: accepted as well.
pub fn decode_named_results<T: WitDecode>(reply: &WitValue) -> Result<T, DecodeError> {
    let reader = ValueReader::new(reply);
    match reader.node(0, "the named results")? {
        WitNode::TupleValue(items) if items.len() == 1 => reader.read(items[0]),
        WitNode::TupleValue(items) | WitNode::RecordValue(items) => T::decode_items(&reader, items),
        other => Err(DecodeError::unexpected("the named results", other)),
    }
}

/// Panics like Golem's generated stubs do when a call fails.
#[track_caller]
pub fn fail(call: &str, function: &str, error: &Error) -> ! {
    panic!("Failed to {call} remote {function}: {error}")
}

enum State {
    Pending,
    Arrived(Result<WitValue, Error>),
    Taken,
}

/// The pending result of a non-blocking call; generated code names it `Future{F}Result`.
///
/// Wait for it with [`FutureResult::subscribe`] and `golem_rpc::poll`, with
/// [`join_all`](crate::join_all) and friends, or `.await` it inside [`block_on`](crate::block_on).
#[must_use = "the remote call runs anyway, but its result is lost if the future is dropped"]
pub struct FutureResult<T> {
    inner: FutureInvokeResult,
    function: &'static str,
    /// The function's results were named (see [`decode_named_results`]).
    named: bool,
    state: RefCell<State>,
    _result: PhantomData<fn() -> T>,
}

impl<T: WitDecode> FutureResult<T> {
    /// A pollable that becomes ready when the result is available.
    pub fn subscribe(&self) -> Pollable {
        self.inner.subscribe()
    }

    /// The result if it has arrived, `None` while the call is still running.
    ///
    /// Panics if the call failed or its result was already taken; see [`FutureResult::try_get`].
    #[track_caller]
    pub fn get(&self) -> Option<T> {
        self.try_get()
            .map(|result| result.unwrap_or_else(|e| fail("invoke", self.function, &e)))
    }

    /// The result if it has arrived, `None` while the call is still running.
    ///
    /// It is `Some` once; later calls return [`Error::AlreadyTaken`].
    pub fn try_get(&self) -> Option<Result<T, Error>> {
        if !self.arrived() {
            return None;
        }
        let function = self.function;
        match self.state.replace(State::Taken) {
            State::Arrived(reply) => Some(reply.and_then(|reply| {
                let decoded = if self.named {
                    decode_named_results(&reply)
                } else {
                    decode_results(&reply)
                };
                decoded.map_err(|error| Error::Decode { function, error })
            })),
            State::Taken | State::Pending => Some(Err(Error::AlreadyTaken { function })),
        }
    }

    /// The function this future belongs to, as sent on the wire (`ns:pkg/iface.{f}`).
    pub fn function_name(&self) -> &'static str {
        self.function
    }
}

impl<T> FutureResult<T> {
    /// Whether the reply is here (or was taken); asks the host once it is not known yet.
    fn arrived(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if let State::Pending = *state {
            match self.inner.get() {
                Some(reply) => *state = State::Arrived(reply.map_err(from_host)),
                None => return false,
            }
        }
        true
    }
}

/// What `join_all` and the other helpers need of a pending call, whatever its result type.
///
/// Every generated `Future{F}Result` implements it, so futures of different result types
/// can be waited for together: `golem_rpc::join_all(&[&f1, &f2])`.
pub trait RpcFuture {
    /// A pollable that becomes ready when the result is available.
    fn pollable(&self) -> Pollable;
    /// Whether the result has arrived (it may already have been taken).
    fn is_ready(&self) -> bool;
}

impl<T> RpcFuture for FutureResult<T> {
    fn pollable(&self) -> Pollable {
        self.inner.subscribe()
    }

    fn is_ready(&self) -> bool {
        self.arrived()
    }
}
