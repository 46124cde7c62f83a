//! A Golem 1.2 "stubless" caller: plain wit-bindgen bindings of client interfaces shaped like
//! the ones Golem 1.2's tooling generates; the host links them (no golem-rpc, no stub component).
//! With `golem-1-3`: the same caller with Golem 1.3's client interfaces (`wit-golem-1.3`: an
//! `agent-id` where 1.2 has a worker name or `worker-id`, `golem:rpc@0.2.2`, WASI 0.2.3).

#[cfg(not(feature = "golem-1-3"))]
wit_bindgen::generate!({ path: "wit", world: "stubless-caller", generate_all });
#[cfg(feature = "golem-1-3")]
wit_bindgen::generate!({ path: "wit-golem-1.3", world: "stubless-caller", generate_all });

use std::time::{Duration, SystemTime};

use demo::counter::api::Stats;
use demo::counter_client::counter_client::Api;
use exports::test::stubless_caller::run::Guest;
#[cfg(feature = "golem-1-3")]
use golem::rpc::types::AgentId as WorkerId;
#[cfg(not(feature = "golem-1-3"))]
use golem::rpc::types::WorkerId;
use golem::rpc::types::{ComponentId, Uuid};
use test::resources_client::resource_target_client as resources;
use wasi::clocks::wall_clock::Datetime;

struct Caller;

/// `urn:worker:{component-id}/{name}` as a worker id.
fn worker_id(uri: &str) -> WorkerId {
    let rest = uri.strip_prefix("urn:worker:").expect("a worker URN");
    let (component, name) = rest.split_once('/').expect("a worker name");
    let hex: String = component.chars().filter(|c| *c != '-').collect();
    let bits = u128::from_str_radix(&hex, 16).expect("a UUID");
    WorkerId {
        component_id: ComponentId {
            uuid: Uuid {
                high_bits: (bits >> 64) as u64,
                low_bits: bits as u64,
            },
        },
        #[cfg(not(feature = "golem-1-3"))]
        worker_name: name.to_owned(),
        #[cfg(feature = "golem-1-3")]
        agent_id: name.to_owned(),
    }
}

fn at(delay_ms: u32) -> Datetime {
    let since = (SystemTime::now() + Duration::from_millis(u64::from(delay_ms)))
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap();
    Datetime {
        seconds: since.as_secs(),
        nanoseconds: since.subsec_nanos(),
    }
}

impl Guest for Caller {
    fn counter(worker: String) -> Vec<String> {
        let api = Api::new(&worker);
        let mut seen = Vec::new();
        api.blocking_add(2);
        api.add(3);
        let future = api.get();
        let pollable = future.subscribe();
        pollable.block();
        seen.push(format!("get = {:?}", future.get()));
        let stats = api.blocking_get_stats();
        seen.push(format!("stats = {} in {} calls", stats.total, stats.calls));
        seen.push(format!("try-sub(100) = {:?}", api.blocking_try_sub(100)));
        seen.push(format!("min-max = {:?}", api.blocking_min_max(&[3, -1, 7])));
        seen.push(format!("tag = {}", api.blocking_tag("a", Some("b"))));
        let restored = api.blocking_restore(&Stats {
            total: 40,
            calls: 0,
            last: None,
            labels: vec![],
        });
        seen.push(format!(
            "restore = {restored}, get = {}",
            api.blocking_get()
        ));
        seen
    }

    fn counter_by_id(uri: String) -> u64 {
        Api::custom(&worker_id(&uri)).blocking_get()
    }

    fn schedule(worker: String, value: u64, delay_ms: u32) {
        let api = Api::new(&worker);
        let _token = api.schedule_add(value, at(delay_ms));
        api.schedule_add(1000, at(delay_ms)).cancel();
    }

    fn resources(worker: String, uri: String) -> Vec<String> {
        let mut seen = Vec::new();
        let a = resources::Counter::new(&worker, "a", 10);
        a.blocking_inc_by(1);
        a.inc_by(2);
        let future = a.get();
        future.subscribe().block();
        seen.push(format!("a = {:?}", future.get()));
        let api = resources::Api::new(&worker);
        let b = api.blocking_make("b");
        b.blocking_inc_by(5);
        seen.push(format!("b.name = {}", b.blocking_name()));
        seen.push(format!("total = {}", api.blocking_total(&[&a, &b])));
        seen.push(format!("a.merge(b) = {}", a.blocking_merge(&b)));
        let c = resources::Counter::custom(&worker_id(&uri), "c", 1);
        c.blocking_inc_by(1);
        seen.push(format!("c = {}", c.blocking_get()));
        drop(b);
        seen.push(format!("after drop(b): {}", a.blocking_get()));
        seen
    }

    fn boom(worker: String) {
        resources::Api::new(&worker).blocking_boom();
    }
}

export!(Caller);
