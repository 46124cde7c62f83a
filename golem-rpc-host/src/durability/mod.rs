//! Durable workers: each worker's oplog (`oplog`), where oplogs are kept (`store`), and an
//! instance's view of its oplog while it runs or replays (`journal`). See the README's "Durable
//! workers".

pub(crate) mod journal;
pub(crate) mod oplog;
pub(crate) mod store;
