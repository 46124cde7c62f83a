//! The calls generated clients make: encode parameters, invoke, decode the reply.

use std::cell::Cell;
use std::marker::PhantomData;

use crate::codec::{DecodeError, ValueReader, WitDecode};
use crate::{Error, FutureInvokeResult, Pollable, WasmRpc, WitNode, WitValue};

/// Calls `function` on the target and waits for its result (`invoke-and-await`).
pub fn invoke_and_await<T: WitDecode>(
    rpc: &WasmRpc,
    function: &'static str,
    params: &[WitValue],
) -> Result<T, Error> {
    let reply = rpc.invoke_and_await(function, params)?;
    decode_results(&reply).map_err(|error| Error::Decode { function, error })
}

/// Calls `function` on the target without waiting for it to run (`invoke`).
pub fn invoke(rpc: &WasmRpc, function: &'static str, params: &[WitValue]) -> Result<(), Error> {
    rpc.invoke(function, params).map_err(Error::from)
}

/// Starts `function` on the target and returns a handle to its pending result.
pub fn async_invoke_and_await<T: WitDecode>(
    rpc: &WasmRpc,
    function: &'static str,
    params: &[WitValue],
) -> FutureResult<T> {
    FutureResult {
        inner: rpc.async_invoke_and_await(function, params),
        function,
        taken: Cell::new(false),
        _result: PhantomData,
    }
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

/// Panics like Golem's generated stubs do when a call fails.
#[track_caller]
pub fn fail(call: &str, function: &str, error: &Error) -> ! {
    panic!("Failed to {call} remote {function}: {error}")
}

/// The pending result of a non-blocking call; generated code names it `Future{F}Result`.
#[must_use = "the remote call runs anyway, but its result is lost if the future is dropped"]
pub struct FutureResult<T> {
    inner: FutureInvokeResult,
    function: &'static str,
    taken: Cell<bool>,
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
        if self.taken.get() {
            return Some(Err(Error::AlreadyTaken {
                function: self.function,
            }));
        }
        let reply = self.inner.get()?;
        self.taken.set(true);
        Some(reply.map_err(Error::from).and_then(|reply| {
            decode_results(&reply).map_err(|error| Error::Decode {
                function: self.function,
                error,
            })
        }))
    }

    /// The function this future belongs to, as sent on the wire (`ns:pkg/iface.{f}`).
    pub fn function_name(&self) -> &'static str {
        self.function
    }
}
