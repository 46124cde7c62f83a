#![cfg(not(feature = "golem-1-2"))]
//! Fake remote workers (`golem_rpc::testing`) under the clients `import!` generates, natively:
//! typed answers, errors, answers that arrive later (virtual time) with `join_all`, `select`,
//! timeouts and `block_on`, recorded calls — and that a wrong caller logic is caught.

use std::time::Duration;

use golem_rpc::testing::{CallKind, Fakes};
use golem_rpc::{Error, Handle, Uri};

golem_rpc::import!("../golem-rpc-codegen/tests/codegen/counter.wit");
golem_rpc::import!("../golem-rpc-codegen/tests/codegen/resources.wit");

use counter::api::{Api, Stats};

fn worker(name: &str) -> Uri {
    Uri {
        value: format!("urn:worker:a32cabe3-5c88-58ca-9baf-e38e089d8190/{name}"),
    }
}

/// Caller logic under test: the total of all workers, each read concurrently; a worker that
/// does not answer within `timeout` counts as 0.
fn total(workers: &[Uri], timeout: Duration) -> u64 {
    let clients: Vec<Api> = workers.iter().map(Api::new).collect();
    let futures: Vec<_> = clients.iter().map(Api::get).collect();
    let dynamic: Vec<&dyn golem_rpc::RpcFuture> = futures
        .iter()
        .map(|f| f as &dyn golem_rpc::RpcFuture)
        .collect();
    let _ = golem_rpc::join_all_with_timeout(&dynamic, timeout);
    futures
        .iter()
        .map(|f| f.try_get().and_then(Result::ok).unwrap_or(0))
        .sum()
}

/// The same logic, deliberately wrong: it waits only for the first answer.
fn total_wrong(workers: &[Uri], _timeout: Duration) -> u64 {
    let clients: Vec<Api> = workers.iter().map(Api::new).collect();
    let futures: Vec<_> = clients.iter().map(Api::get).collect();
    let dynamic: Vec<&dyn golem_rpc::RpcFuture> = futures
        .iter()
        .map(|f| f as &dyn golem_rpc::RpcFuture)
        .collect();
    golem_rpc::select(&dynamic);
    futures
        .iter()
        .map(|f| f.try_get().and_then(Result::ok).unwrap_or(0))
        .sum()
}

fn three_workers(fakes: &Fakes) -> Vec<Uri> {
    let workers = vec![worker("a"), worker("b"), worker("c")];
    fakes
        .on(Api::GET, |()| Ok(1))
        .after(Duration::from_millis(10))
        .on_worker(&workers[0]);
    fakes
        .on(Api::GET, |()| Ok(20))
        .after(Duration::from_millis(50))
        .on_worker(&workers[1]);
    fakes
        .on(Api::GET, |()| Ok(300))
        .never()
        .on_worker(&workers[2]);
    workers
}

#[test]
fn blocking_calls_get_typed_answers_and_are_recorded_in_order() {
    let fakes = Fakes::new();
    let seen = std::rc::Rc::new(std::cell::Cell::new(0));
    let sum = seen.clone();
    fakes.on(Api::ADD, move |(value,)| {
        sum.set(sum.get() + value);
        Ok(())
    });
    fakes.on(Api::GET_STATS, |()| {
        Ok(Stats {
            total: 7,
            calls: 2,
            last: Some(5),
            labels: vec!["x".into()],
        })
    });
    let api = Api::new(&worker("w"));
    api.blocking_add(2);
    api.blocking_add(5);
    assert_eq!(api.blocking_get_stats().total, 7);
    assert_eq!(fakes.calls_to(Api::ADD), [(2,), (5,)]);
    assert_eq!(seen.get(), 7, "the answer saw each call's arguments");
    let calls = fakes.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[2].function, "demo:counter/api.{get-stats}");
    assert_eq!(calls[0].worker, worker("w"));
    assert_eq!(calls[0].kind, CallKind::Blocking);
}

#[test]
fn errors_reach_the_caller_as_the_test_says() {
    let fakes = Fakes::new();
    fakes.on(Api::TRY_SUB, |(n,)| Ok(Err(format!("cannot subtract {n}"))));
    fakes.on(Api::GET, |()| {
        Err(Error::RemoteInternalError("the worker trapped".into()))
    });
    let api = Api::new(&worker("w"));
    // A WIT `result` is the call's value; an `Error` is the call failing.
    assert_eq!(
        api.blocking_try_sub(3),
        Err("cannot subtract 3".to_string())
    );
    assert_eq!(
        api.try_blocking_get(),
        Err(Error::RemoteInternalError("the worker trapped".into()))
    );
    // No answer registered: an error naming the function, not a hang.
    let unknown = api.try_blocking_add_all(&[1]).unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("no fake answers demo:counter/api.{add-all}"),
        "{unknown}"
    );
    // Fire-and-forget calls are recorded too.
    fakes.on(Api::ADD, |_| Ok(()));
    api.add(4);
    assert_eq!(fakes.calls().last().unwrap().kind, CallKind::FireAndForget);
}

#[test]
fn later_answers_drive_timeouts_in_virtual_time() {
    let fakes = Fakes::new();
    let workers = three_workers(&fakes);
    // c never answers: the timeout decides, at 100 ms of virtual time, without sleeping.
    assert_eq!(total(&workers, Duration::from_millis(100)), 21);
    assert_eq!(fakes.elapsed(), Duration::from_millis(100));
    // A shorter timeout misses b as well.
    let fakes2_elapsed = {
        drop(fakes);
        let fakes = Fakes::new();
        let workers = three_workers(&fakes);
        assert_eq!(total(&workers, Duration::from_millis(30)), 1);
        fakes.elapsed()
    };
    assert_eq!(fakes2_elapsed, Duration::from_millis(30));
}

#[test]
fn select_and_block_on_see_the_first_answer_first() {
    let fakes = Fakes::new();
    let (a, b) = (worker("a"), worker("b"));
    fakes
        .on(Api::GET, |()| Ok(1))
        .after(Duration::from_millis(40))
        .on_worker(&a);
    fakes
        .on(Api::GET, |()| Ok(2))
        .after(Duration::from_millis(10))
        .on_worker(&b);
    let (ca, cb) = (Api::new(&a), Api::new(&b));
    let (fa, fb) = (ca.get(), cb.get());
    assert_eq!(golem_rpc::select(&[&fa, &fb]), 1);
    assert_eq!(fb.get(), Some(2));
    assert_eq!(fa.get(), None, "not yet: 10 ms of 40");
    let (x, y) = golem_rpc::block_on(async { (ca.get().await, cb.get().await) });
    assert_eq!((x, y), (Ok(1), Ok(2)));
}

#[test]
fn a_wrong_caller_logic_fails_its_test() {
    let fakes = Fakes::new();
    let workers = three_workers(&fakes);
    let wrong = total_wrong(&workers, Duration::from_millis(100));
    // The assertion the right logic passes catches the wrong one.
    let caught = std::panic::catch_unwind(|| assert_eq!(wrong, 21, "total of the workers"));
    assert!(caught.is_err(), "the wrong logic returned {wrong}");
    assert_eq!(wrong, 1);
}

#[test]
fn remote_resources_are_handles_in_fakes() {
    use resources::api::Counter;
    let fakes = Fakes::new();
    let owner = worker("r");
    let at = owner.clone();
    fakes.on(Counter::NEW, move |(name, start)| {
        assert_eq!((name.as_str(), start), ("c", 5));
        Ok(Handle::new(at.clone(), 1))
    });
    fakes.on(Counter::GET, |(handle,)| {
        Ok(if handle.id == 1 { 5 } else { 0 })
    });
    let counter = Counter::new(&owner, "c", 5);
    assert_eq!(counter.blocking_get(), 5);
    drop(counter);
    let calls: Vec<String> = fakes.calls().iter().map(|c| c.function.clone()).collect();
    assert_eq!(
        calls,
        [
            "test:resources/api.{counter.new}",
            "test:resources/api.{counter.get}",
            "test:resources/api.{counter.drop}",
        ]
    );
}

#[test]
fn without_fakes_a_call_fails_saying_why() {
    let err = Api::new(&worker("w")).try_blocking_get().unwrap_err();
    assert!(
        err.to_string().contains("golem_rpc::testing::Fakes"),
        "{err}"
    );
}

#[test]
fn an_answer_may_call_other_clients_and_register_answers() {
    let fakes = std::rc::Rc::new(Fakes::new());
    fakes.on(Api::GET, |()| Ok(2));
    let inner = fakes.clone();
    fakes.on(Api::ADD_ALL, move |(values,)| {
        // A fake standing for a worker that itself calls another.
        let other = Api::new(&worker("other")).try_blocking_get()?;
        inner.on(Api::ADD, |_| Ok(()));
        Ok(values.iter().sum::<u64>() + other)
    });
    let api = Api::new(&worker("w"));
    assert_eq!(api.blocking_add_all(&[1, 2]), 5);
    api.blocking_add(1);
    let functions: Vec<String> = fakes.calls().into_iter().map(|c| c.function).collect();
    assert_eq!(
        functions,
        [
            "demo:counter/api.{add-all}",
            "demo:counter/api.{get}",
            "demo:counter/api.{add}"
        ]
    );
}
