//! What the host talks about, independent of how it runs: worker URIs and component ids, the
//! function-name grammar of Golem's `invoke*` calls, and the generations of Golem's host
//! interfaces.

pub mod function_name;
pub mod generation;
pub mod uri;
pub mod uuid_text;
