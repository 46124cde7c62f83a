//! The `legacy-probe` world: `golem:api/host@1.1.5`, served by the host's 1.1.6 definitions.

wit_bindgen::generate!({
    path: "wit",
    world: "legacy-probe",
    generate_all,
});

use exports::test::api12::legacy::Guest;
use golem::api1_1_5::host;

struct Component;

impl Guest for Component {
    fn legacy_self() -> (String, String) {
        let worker_id = host::get_self_metadata().worker_id;
        let uri = host::worker_uri(&worker_id).value;
        (worker_id.worker_name, uri)
    }
}

export!(Component);
