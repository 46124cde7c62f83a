//! The error type of every `try_` call.

use std::fmt;

use crate::RpcError;
use crate::codec::DecodeError;
use crate::uri::UriError;

/// Why an RPC call did not produce a value.
///
/// The first four cases are the `rpc-error` cases Golem's executor reports; a WIT
/// `result<T, E>` returned by the remote function is *not* an `Error` but the call's value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be delivered or understood (`rpc-error.protocol-error`).
    ProtocolError(String),
    /// The caller may not invoke the target (`rpc-error.denied`).
    Denied(String),
    /// `rpc-error.not-found` (Golem's executor reports an unknown component id as a
    /// `RemoteInternalError`, `Unknown error: Could not find any component with the given id`).
    NotFound(String),
    /// The target failed: unknown function, parameter mismatch, trap (`rpc-error.remote-internal-error`).
    RemoteInternalError(String),
    /// The reply was not a value of the function's declared result type.
    Decode {
        /// The function whose reply could not be read, as sent on the wire.
        function: &'static str,
        /// What was wrong with the reply.
        error: DecodeError,
    },
    /// The worker URI given to a client is not a valid worker URI.
    InvalidUri(UriError),
    /// A blocking call to the calling worker itself, which would wait for itself forever.
    SelfCall {
        /// The function that was called, as sent on the wire.
        function: &'static str,
    },
    /// Golem 1.2: no component is deployed under this name (`resolve-component-id` found none).
    ComponentNotFound(String),
    /// The result of a future was already taken by an earlier `get`.
    AlreadyTaken {
        /// The function the future belongs to, as sent on the wire.
        function: &'static str,
    },
}

impl From<RpcError> for Error {
    /// Golem's `rpc-error` as the matching case.
    fn from(error: RpcError) -> Self {
        match error {
            RpcError::ProtocolError(msg) => Error::ProtocolError(msg),
            RpcError::Denied(msg) => Error::Denied(msg),
            RpcError::NotFound(msg) => Error::NotFound(msg),
            RpcError::RemoteInternalError(msg) => Error::RemoteInternalError(msg),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ProtocolError(msg) => write!(f, "protocol error: {msg}"),
            Error::Denied(msg) => write!(f, "denied: {msg}"),
            Error::NotFound(msg) => write!(f, "not found: {msg}"),
            Error::RemoteInternalError(msg) => write!(f, "remote internal error: {msg}"),
            Error::Decode { function, error } => {
                write!(f, "malformed reply from remote {function}: {error}")
            }
            Error::InvalidUri(error) => write!(f, "{error}"),
            Error::SelfCall { function } => write!(
                f,
                "blocking call of remote {function} on the calling worker itself would never return; \
                 use the non-blocking form or another worker"
            ),
            Error::ComponentNotFound(name) => write!(
                f,
                "no component named `{name}` is deployed (resolve-component-id found none); \
                 name it in import!'s `component` option if it is deployed under another name"
            ),
            Error::AlreadyTaken { function } => {
                write!(f, "the result of remote {function} was already taken")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { error, .. } => Some(error),
            Error::InvalidUri(error) => Some(error),
            _ => None,
        }
    }
}
