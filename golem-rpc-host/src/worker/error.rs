//! How a call failed inside the host, before it becomes an `rpc-error` or an `anyhow::Error`.

use std::fmt;

use crate::bindings::golem::rpc0_1_3::types::RpcError;

/// How a call failed, before it is mapped to an `rpc-error` or an `anyhow::Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// What Golem's executor reports as `remote-internal-error`: every executor error but
    /// `WorkerNotFound` (which an RPC call, creating its target, never meets) and the
    /// permission errors an open-source executor has none of.
    Internal(String),
}

impl CallError {
    pub(crate) fn into_rpc_error(self) -> RpcError {
        match self {
            CallError::Internal(message) => RpcError::RemoteInternalError(message),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CallError {}

/// What Golem 1.2+ answers a call to a component it does not know (`GolemError::unknown`: a
/// `remote-internal-error`).
pub(crate) const UNKNOWN_COMPONENT: &str =
    "Unknown error: Could not find any component with the given id";
