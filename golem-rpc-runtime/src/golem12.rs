//! Golem 1.2's host API (feature `golem-1-2`): components found by name (the records of worker
//! and component ids convert in `uri`), and wall-clock times for scheduled calls.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::{ComponentId, Error};

thread_local! {
    /// Components resolved by name so far: a client per worker costs no host call.
    static COMPONENTS: RefCell<HashMap<String, ComponentId>> = RefCell::new(HashMap::new());
}

/// The id of the component deployed as `name` (`resolve-component-id`), asked once per name.
pub(crate) fn resolve_component(name: &str) -> Result<ComponentId, Error> {
    // Natively the answer comes from the test's fakes, which may change it: not remembered.
    let cached = cfg!(target_family = "wasm");
    if let Some(id) = COMPONENTS.with(|c| c.borrow().get(name).copied())
        && cached
    {
        return Ok(id);
    }
    let id = crate::imports::resolve_component_id(name)
        .ok_or_else(|| Error::ComponentNotFound(name.to_owned()))?;
    if cached {
        COMPONENTS.with(|c| c.borrow_mut().insert(name.to_owned(), id));
    }
    Ok(id)
}

impl From<std::time::SystemTime> for crate::Datetime {
    /// The wall-clock time `time` (before 1970 counts as 1970).
    fn from(time: std::time::SystemTime) -> Self {
        let since = time
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        crate::Datetime {
            seconds: since.as_secs(),
            nanoseconds: since.subsec_nanos(),
        }
    }
}
