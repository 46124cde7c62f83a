//! What the host talks about, independent of how it runs: worker URIs and component ids, and the
//! function-name grammar of Golem's `invoke*` calls.

pub mod function_name;
pub mod uri;
