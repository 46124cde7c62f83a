//! A Golem 1.0/1.1-style worker: Golem's host API through golem-rust 1.1's bindings and helpers,
//! RPC through golem-rpc, both in one component (two sets of bindings side by side).

use std::cell::Cell;

use golem_rust::bindings::golem::api::host as golem_api;
use golem_rust::bindings::golem::rpc::types as golem_rpc_types;
use golem_rust::bindings::wasi::blobstore::{blobstore as blob, types as blob_types};
use golem_rust::bindings::wasi::keyvalue::{
    eventual as kv, eventual_batch as kv_batch, types as kv_types,
};
use golem_rust::{PersistenceLevel, RetryPolicy};

golem_rpc::import!("wit/worker-probe.wit");

wit_bindgen::generate!({
    path: "wit",
    world: "worker-probe",
});

use exports::test::worker_probe::api::{Guest, Metadata, Promise};

struct Probe;

thread_local! {
    static COUNTER: Cell<u64> = const { Cell::new(0) };
}

fn own_component_id() -> golem_api::ComponentId {
    let id = std::env::var("GOLEM_COMPONENT_ID").expect("GOLEM_COMPONENT_ID is set by the host");
    parse_component_id(&id)
}

fn parse_component_id(id: &str) -> golem_api::ComponentId {
    golem_rpc::ComponentId::parse(id)
        .expect("a component id")
        .into()
}

fn worker_id(worker_name: String) -> golem_api::WorkerId {
    golem_api::WorkerId {
        component_id: own_component_id(),
        worker_name,
    }
}

fn to_promise_id(id: Promise) -> golem_api::PromiseId {
    golem_api::PromiseId {
        worker_id: golem_api::WorkerId {
            component_id: parse_component_id(&id.component_id),
            worker_name: id.worker_name,
        },
        oplog_idx: id.oplog_idx,
    }
}

fn metadata(meta: golem_api::WorkerMetadata) -> Metadata {
    Metadata {
        worker_name: meta.worker_id.worker_name,
        component_id: golem_rpc::ComponentId::from(meta.worker_id.component_id).to_string(),
        args: meta.args,
        env: meta.env,
        status: format!("{:?}", meta.status),
        component_version: meta.component_version,
        retry_count: meta.retry_count,
    }
}

fn open_bucket(name: &str) -> kv_types::Bucket {
    kv_types::Bucket::open_bucket(name).expect("open-bucket")
}

fn client(uri: golem_rpc::Uri) -> worker_probe::api::Api {
    worker_probe::api::Api::new(&uri)
}

impl Guest for Probe {
    fn environment() -> Vec<(String, String)> {
        std::env::vars().collect()
    }

    fn arguments() -> Vec<String> {
        std::env::args().collect()
    }

    fn bump(by: u64) -> u64 {
        COUNTER.with(|c| {
            c.set(c.get() + by);
            c.get()
        })
    }

    fn create_promise() -> Promise {
        let id = golem_api::create_promise();
        Promise {
            component_id: golem_rpc::ComponentId::from(id.worker_id.component_id).to_string(),
            worker_name: id.worker_id.worker_name,
            oplog_idx: id.oplog_idx,
        }
    }

    fn await_promise(id: Promise) -> Vec<u8> {
        golem_api::await_promise(&to_promise_id(id))
    }

    fn complete_promise(id: Promise, data: Vec<u8>) -> bool {
        golem_api::complete_promise(&to_promise_id(id), &data)
    }

    fn delete_promise(id: Promise) {
        golem_api::delete_promise(&to_promise_id(id));
    }

    fn oplog_index() -> u64 {
        golem_api::get_oplog_index()
    }

    fn idempotency_keys() -> (String, String) {
        let first = golem_rust::generate_idempotency_key();
        let second = golem_rust::generate_idempotency_key();
        (first.to_string(), second.to_string())
    }

    fn jump(to: u64) {
        golem_api::set_oplog_index(to);
    }

    fn self_metadata() -> Metadata {
        metadata(golem_api::get_self_metadata())
    }

    fn worker_metadata(worker_name: String) -> Option<Metadata> {
        golem_api::get_worker_metadata(&worker_id(worker_name)).map(metadata)
    }

    fn workers(name_like: Option<String>) -> Vec<String> {
        let filter = name_like.map(|value| golem_api::WorkerAnyFilter {
            filters: vec![golem_api::WorkerAllFilter {
                filters: vec![golem_api::WorkerPropertyFilter::Name(
                    golem_api::WorkerNameFilter {
                        comparator: golem_api::StringFilterComparator::Like,
                        value,
                    },
                )],
            }],
        });
        let workers = golem_api::GetWorkers::new(own_component_id(), filter.as_ref(), true);
        let mut names = Vec::new();
        while let Some(page) = workers.get_next() {
            names.extend(page.into_iter().map(|w| w.worker_id.worker_name));
        }
        names
    }

    fn update_worker(worker_name: String, version: u64) {
        golem_api::update_worker(
            &worker_id(worker_name),
            version,
            golem_api::UpdateMode::Automatic,
        );
    }

    fn helpers() -> Vec<String> {
        let mut seen = Vec::new();
        let default_policy = golem_api::get_retry_policy();
        seen.push(format!(
            "retry policy: {:?}",
            RetryPolicy::from(default_policy)
        ));
        let custom = RetryPolicy {
            max_attempts: 7,
            min_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_secs(2),
            multiplier: 1.5,
        };
        golem_rust::with_retry_policy(custom, || {
            seen.push(format!(
                "inside with_retry_policy: {:?}",
                RetryPolicy::from(golem_api::get_retry_policy())
            ));
        });
        seen.push(format!(
            "after: {:?}",
            RetryPolicy::from(golem_api::get_retry_policy())
        ));
        seen.push(format!(
            "persistence level: {:?}",
            golem_api::get_oplog_persistence_level()
        ));
        golem_rust::with_persistence_level(PersistenceLevel::PersistNothing, || {
            seen.push(format!(
                "inside with_persistence_level: {:?}",
                golem_api::get_oplog_persistence_level()
            ));
        });
        seen.push(format!(
            "after: {:?}",
            golem_api::get_oplog_persistence_level()
        ));
        seen.push(format!(
            "idempotence mode: {}",
            golem_api::get_idempotence_mode()
        ));
        golem_rust::with_idempotence_mode(false, || {
            seen.push(format!(
                "inside with_idempotence_mode: {}",
                golem_api::get_idempotence_mode()
            ));
        });
        seen.push(format!("after: {}", golem_api::get_idempotence_mode()));
        let before = golem_api::get_oplog_index();
        let inside = golem_rust::atomically(golem_api::get_oplog_index);
        let after = golem_api::get_oplog_index();
        seen.push(format!(
            "atomically: oplog index {before} before, {inside} inside, {after} after"
        ));
        golem_api::oplog_commit(1);
        seen.push("oplog_commit: returned".to_string());
        seen
    }

    fn context_of(worker_name: String) -> (Vec<String>, Vec<(String, String)>) {
        let api = client(golem_rpc::Uri::from(worker_id(worker_name)));
        (api.blocking_arguments(), api.blocking_environment())
    }

    fn ephemeral_calls(component_id: String) -> Vec<(String, String)> {
        let uri = golem_rpc::Uri {
            value: format!("urn:worker:{component_id}"),
        };
        let call = |api: &worker_probe::api::Api| {
            let name = api
                .blocking_environment()
                .into_iter()
                .find(|(k, _)| k == "GOLEM_WORKER_NAME")
                .map(|(_, v)| v)
                .unwrap_or_default();
            (name, api.blocking_idempotency_keys().0)
        };
        let first = client(uri.clone());
        let second = client(uri);
        vec![call(&first), call(&first), call(&second)]
    }

    fn kv_set(bucket: String, key: String, value: Vec<u8>) {
        let value_out = kv_types::OutgoingValue::new_outgoing_value();
        value_out
            .outgoing_value_write_body_sync(&value)
            .expect("write-body-sync");
        kv::set(&open_bucket(&bucket), &key, &value_out).expect("set");
    }

    fn kv_get(bucket: String, key: String) -> Option<Vec<u8>> {
        kv::get(&open_bucket(&bucket), &key)
            .expect("get")
            .map(|v| v.incoming_value_consume_sync().expect("consume-sync"))
    }

    fn kv_delete(bucket: String, key: String) {
        kv::delete(&open_bucket(&bucket), &key).expect("delete");
    }

    fn kv_exists(bucket: String, key: String) -> bool {
        kv::exists(&open_bucket(&bucket), &key).expect("exists")
    }

    fn kv_batch(bucket: String, keys: Vec<String>) -> (Vec<String>, Vec<Option<Vec<u8>>>) {
        let bucket = open_bucket(&bucket);
        let all = kv_batch::keys(&bucket).expect("keys");
        let values = kv_batch::get_many(&bucket, &keys)
            .expect("get-many")
            .into_iter()
            .map(|v| v.map(|v| v.incoming_value_consume_sync().expect("consume-sync")))
            .collect();
        (all, values)
    }

    fn blob_demo(container: String) -> Vec<String> {
        let mut seen = Vec::new();
        seen.push(format!(
            "exists before: {:?}",
            blob::container_exists(&container)
        ));
        let created = blob::create_container(&container).expect("create-container");
        let write = |name: &str, data: &[u8]| {
            let value = blob_types::OutgoingValue::new_outgoing_value();
            let stream = value.outgoing_value_write_body().expect("write-body");
            stream.blocking_write_and_flush(data).expect("write");
            drop(stream);
            created
                .write_data(&name.to_string(), &value)
                .expect("write-data");
        };
        write("a.txt", b"hello blob");
        write("b.txt", b"second");
        seen.push(format!("name: {:?}", created.name()));
        let names = created.list_objects().expect("list-objects");
        seen.push(format!("objects: {:?}", names.read_stream_object_names(10)));
        let part = created
            .get_data(&"a.txt".to_string(), 6, 100)
            .expect("get-data");
        seen.push(format!(
            "a.txt[6..]: {:?}",
            String::from_utf8(part.incoming_value_consume_sync().expect("consume")).unwrap()
        ));
        seen.push(format!(
            "b.txt size: {:?}",
            created.object_info(&"b.txt".to_string()).map(|i| i.size)
        ));
        seen.push(format!(
            "missing: {:?}",
            created.get_data(&"nope".to_string(), 0, 1).err()
        ));
        let id = |object: &str| blob_types::ObjectId {
            container: container.clone(),
            object: object.to_string(),
        };
        blob::copy_object(&id("a.txt"), &id("c.txt")).expect("copy");
        blob::move_object(&id("b.txt"), &id("d.txt")).expect("move");
        created
            .delete_object(&"a.txt".to_string())
            .expect("delete-object");
        let names = created.list_objects().expect("list-objects");
        seen.push(format!(
            "after copy, move, delete: {:?}",
            names.read_stream_object_names(10)
        ));
        seen.push(format!(
            "get-container of a missing one: {:?}",
            blob::get_container(&format!("{container}-missing")).err()
        ));
        seen
    }

    fn blob_get(container: String, object: String) -> Option<Vec<u8>> {
        let container = blob::get_container(&container).ok()?;
        let value = container.get_data(&object, 0, u64::MAX).ok()?;
        Some(value.incoming_value_consume_sync().expect("consume"))
    }

    fn log(level: String, context: String, message: String) {
        use golem_rust::bindings::wasi::logging::logging::{Level, log};
        let level = match level.as_str() {
            "trace" => Level::Trace,
            "debug" => Level::Debug,
            "info" => Level::Info,
            "warn" => Level::Warn,
            "error" => Level::Error,
            _ => Level::Critical,
        };
        log(level, &context, &message);
    }

    fn print(out: String, err: String) {
        println!("{out}");
        eprintln!("{err}");
    }

    fn http_get(url: String) -> Result<(u16, String), String> {
        use golem_rust::bindings::wasi::http::outgoing_handler;
        use golem_rust::bindings::wasi::http::types as http;
        use golem_rust::bindings::wasi::io::streams::StreamError;
        let (scheme, rest) = url.split_once("://").ok_or("no scheme in the URL")?;
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let request = http::OutgoingRequest::new(http::Fields::new());
        let scheme = if scheme == "https" {
            http::Scheme::Https
        } else {
            http::Scheme::Http
        };
        request.set_scheme(Some(&scheme)).map_err(|()| "scheme")?;
        request
            .set_authority(Some(authority))
            .map_err(|()| "authority")?;
        request
            .set_path_with_query(Some(path))
            .map_err(|()| "path")?;
        let response = outgoing_handler::handle(request, None).map_err(|e| format!("{e:?}"))?;
        response.subscribe().block();
        let response = response
            .get()
            .ok_or("no response")?
            .map_err(|()| "response taken")?
            .map_err(|e| format!("{e:?}"))?;
        let status = response.status();
        let body = response.consume().map_err(|()| "body")?;
        let stream = body.stream().map_err(|()| "stream")?;
        let mut bytes = Vec::new();
        loop {
            match stream.blocking_read(64 * 1024) {
                Ok(chunk) => bytes.extend(chunk),
                Err(StreamError::Closed) => break,
                Err(e) => return Err(format!("{e:?}")),
            }
        }
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn uri_round_trip() -> (String, String) {
        let golem_uri: golem_rpc_types::Uri = golem_api::get_self_uri("api.{bump}");
        let ours = golem_rpc::Uri::from(golem_uri);
        let worker = golem_api::WorkerId::try_from(golem_rpc::get_self_uri())
            .expect("this worker's URI names a worker");
        let back: golem_rpc_types::Uri = golem_rpc::Uri::from(&worker).into();
        (ours.value, back.value)
    }
}

export!(Probe);
