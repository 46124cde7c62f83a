//! Resources that live in a remote worker, held through `handle(uri, id)` values.

use std::cell::Cell;

use crate::call::{Target, invoke_and_await};
use crate::codec::{DecodeError, ValueBuilder, ValueReader, WitDecode, WitEncode};
use crate::{Error, NodeIndex, Uri, WitNode, WitValue};

/// A handle to a resource owned by a remote worker: the connection to that worker, the
/// handle's `uri` (the owner's self URI) and `id`, and the function that drops it.
///
/// Dropping it calls the remote `{R.drop}` and ignores any error, so `Drop` never panics; use
/// [`RemoteResource::drop_remote`] to see the outcome.
pub struct RemoteResource {
    target: Target,
    uri: Uri,
    id: u64,
    drop_function: &'static str,
    /// Dropped remotely already, or ownership moved to another worker.
    released: Cell<bool>,
}

/// The `(uri, id)` of a `handle` node.
#[derive(Debug, Clone, PartialEq)]
pub struct Handle {
    /// The owning worker's URI.
    pub uri: Uri,
    /// The resource's id in that worker.
    pub id: u64,
}

impl WitDecode for Handle {
    fn decode(reader: &ValueReader<'_>, index: NodeIndex) -> Result<Self, DecodeError> {
        match reader.node(index, "handle")? {
            WitNode::Handle((uri, id)) => Ok(Handle {
                uri: uri.clone(),
                id: *id,
            }),
            other => Err(DecodeError::unexpected("handle", other)),
        }
    }
}

impl Handle {
    /// The handle of resource `id` owned by the worker at `uri`.
    pub fn new(uri: Uri, id: u64) -> Self {
        Self { uri, id }
    }
}

impl WitEncode for Handle {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.push(WitNode::Handle((self.uri.clone(), self.id)));
    }
}

impl RemoteResource {
    /// Calls the constructor `function` (`ns:pkg/iface.{R.new}`) on the worker at `location`.
    pub fn construct(
        location: &Uri,
        function: &'static str,
        drop_function: &'static str,
        params: &[WitValue],
    ) -> Result<Self, Error> {
        Self::construct_on(Target::new(location)?, function, drop_function, params)
    }

    /// Calls the constructor `function` (`ns:pkg/iface.{R.new}`) on `target`.
    pub fn construct_on(
        target: Target,
        function: &'static str,
        drop_function: &'static str,
        params: &[WitValue],
    ) -> Result<Self, Error> {
        let handle: Handle = invoke_and_await(&target, function, params)?;
        Ok(Self::new(target, handle, drop_function))
    }

    /// Wraps a handle received from a remote worker, connecting to the worker that owns it.
    pub fn from_handle(handle: Handle, drop_function: &'static str) -> Result<Self, Error> {
        let target = Target::new(&handle.uri)?;
        Ok(Self::new(target, handle, drop_function))
    }

    fn new(target: Target, handle: Handle, drop_function: &'static str) -> Self {
        Self {
            target,
            uri: handle.uri,
            id: handle.id,
            drop_function,
            released: Cell::new(false),
        }
    }

    /// The connection to the owning worker.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The handle as a `wit-value`: the first parameter of every method call.
    pub fn handle(&self) -> WitValue {
        crate::codec::encode(self)
    }

    /// The resource's id in its owning worker.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The URI of the worker that owns the resource.
    pub fn owner(&self) -> &Uri {
        &self.uri
    }

    /// Drops the resource in its owning worker now (`{R.drop}`); later calls are no-ops.
    pub fn drop_remote(&self) -> Result<(), Error> {
        if self.released.replace(true) {
            return Ok(());
        }
        invoke_and_await::<()>(&self.target, self.drop_function, &[self.handle()])
    }

    /// Ownership moved to the remote side (the resource was passed as `own<R>`): dropping this
    /// handle must not drop the resource there.
    pub fn release(&self) {
        self.released.set(true);
    }
}

impl Drop for RemoteResource {
    fn drop(&mut self) {
        // Like a local drop, a remote drop cannot report failure; `drop_remote` can.
        let _ = self.drop_remote();
    }
}

impl WitEncode for RemoteResource {
    fn encode(&self, builder: &mut ValueBuilder) {
        builder.push(WitNode::Handle((self.uri.clone(), self.id)));
    }
}

/// Decodes a `handle` node into a [`RemoteResource`], connecting to its owner.
pub fn decode_resource(
    reader: &ValueReader<'_>,
    index: NodeIndex,
    drop_function: &'static str,
) -> Result<RemoteResource, DecodeError> {
    let handle = Handle::decode(reader, index)?;
    RemoteResource::from_handle(handle, drop_function)
        .map_err(|e| DecodeError::new("a handle with a worker URI", e.to_string()))
}
