//! What the host keeps for all its workers and the interfaces reach through `Services`:
//! promises, key-value buckets and blob containers, and the client that sends outgoing HTTP.

pub(crate) mod data_store;
pub(crate) mod outgoing_http;
pub(crate) mod promises;
