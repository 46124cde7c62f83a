//! Every WIT shape a target can export, used through generated clients end to end: all value
//! types (kitchen sink), and resources (constructor, methods, statics, handles as `borrow` and
//! `own` parameters and as results, drop by scope and by `drop_remote`, use after the owning
//! worker lost the resource).

use golem_rpc_tests::{host_with, string, strings};

#[test]
fn every_resource_operation_through_generated_clients() {
    let host = host_with(&["resources", "rcaller"]);
    let target = host.worker_uri("resources", "r1").unwrap();
    let lines = host
        .call(
            "rcaller",
            "c1",
            "test:resource-caller/run.{script}",
            &[string(&target)],
        )
        .unwrap();
    let lines = strings(&lines[0]);
    let expected = [
        "a: new(\"a\", 5), inc_by(2), get = 7, name = \"a\"".to_owned(),
        "a.merge(&b) = 17  [borrow param]".to_owned(),
        "total(&[&a, &b]) = 27  [list of borrows]".to_owned(),
        "a.clone_named(\"c\") -> \"c\" = 17  [own result]".to_owned(),
        "count_live() = 3  [static]".to_owned(),
        "Counter::take(c) = 17  [own param: moved]".to_owned(),
        "count_live() = 2".to_owned(),
        "make(\"m\").get = 0, maybe_make(Some) is_some = true, maybe_make(None) is_some = false, count_live() = 4".to_owned(),
        "combine(m, &b) = 10  [own + borrow]".to_owned(),
        "count_live() = 2  [x dropped with its handle, m moved]".to_owned(),
        "adopt(Some(Counter::new(\"y\", 3))) = 3".to_owned(),
        "a.get() as a future = Some(17)".to_owned(),
        "d.drop_remote() = Ok(()), count_live() = 2".to_owned(),
        "try_boom() is_err = true  [the owner traps and loses its resources]".to_owned(),
    ];
    assert_eq!(lines[..expected.len()], expected[..], "{lines:#?}");
    let after = &lines[expected.len()];
    assert!(
        after.starts_with("a.try_get() after the trap = Err(remote internal error: ")
            && after.contains("resource not found: test:resources/api.{counter} with id 0"),
        "{after}"
    );
    assert_eq!(lines.len(), expected.len() + 1);
}

/// Every WIT value shape round-trips through RPC unchanged (checked inside the caller, floats
/// bit for bit), from a versioned target package (`test:kitchen@0.3.1`, sent as
/// `test:kitchen/echo@0.3.1.{f}`) whose types come from another interface and a `deps/` package.
#[test]
fn every_value_shape_round_trips() {
    let host = host_with(&["kitchen", "kcaller"]);
    let target = host.worker_uri("kitchen", "k1").unwrap();
    let lines = host
        .call(
            "kcaller",
            "c1",
            "test:kitchen-caller/run.{check-all}",
            &[string(&target)],
        )
        .unwrap();
    assert_eq!(strings(&lines[0]), ["71 round trips, 0 problems"]);
}
