//! Fakes under Golem 1.2 clients (`golem-1-2` feature): worker names resolved through the fake
//! `resolve-component-id`, ephemeral workers, schedules recorded and cancelled; with `golem-1-3`
//! the same but ephemeral workers (Golem 1.3 has no `ephemeral`).
//! `cargo test -p golem-rpc --features golem-1-2 --test fakes12` (and `--features golem-1-3`)
#![cfg(feature = "golem-1-2")]

use std::time::{Duration, SystemTime};

use golem_rpc::Error;
use golem_rpc::testing::{CallKind, Fakes};

golem_rpc::import!({
    path: "../golem-rpc-codegen/tests/codegen/counter.wit",
    component: "counter",
});

use counter::api::Api;

#[test]
fn golem_1_2_clients_against_fakes() {
    let fakes = Fakes::new();
    fakes.on(Api::GET, |()| Ok(3));
    let api = Api::new("w1");
    assert_eq!(api.blocking_get(), 3);
    let worker = &fakes.calls()[0].worker;
    assert!(worker.value.ends_with("/w1"), "{worker}");

    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
    api.schedule_add(5, at);
    api.schedule_cancelable_add(6, at).cancel();
    let calls = fakes.calls();
    assert_eq!(
        calls[1].kind,
        CallKind::Scheduled {
            at,
            cancelled: false
        }
    );
    assert_eq!(
        calls[2].kind,
        CallKind::Scheduled {
            at,
            cancelled: true
        }
    );
    assert_eq!(fakes.calls_to(Api::ADD), [(5,), (6,)]);

    #[cfg(not(feature = "golem-1-3"))]
    {
        let (e1, e2) = (Api::ephemeral(), Api::ephemeral());
        e1.blocking_get();
        e2.blocking_get();
        let calls = fakes.calls();
        assert_ne!(calls[3].worker, calls[4].worker, "two ephemeral workers");
    }

    fakes.missing_component("counter");
    assert!(matches!(Api::try_new("w"), Err(Error::ComponentNotFound(name)) if name == "counter"));
}
