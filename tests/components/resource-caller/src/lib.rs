//! A caller of remote resources: constructors, methods, statics, handles as parameters
//! (`own` and `borrow`) and results, drops, and use after the owner lost the resource.

use golem_rpc::Uri;

golem_rpc::import!("../../../golem-rpc-host/tests/components/resource-target/wit");

wit_bindgen::generate!({
    path: "wit",
    world: "resource-caller",
});

use resources::api::{Api, Counter};

struct Caller;

impl exports::test::resource_caller::run::Guest for Caller {
    fn script(target: String) -> Vec<String> {
        let location = Uri { value: target };
        let api = Api::new(&location);
        let live = || Counter::blocking_count_live(&location);
        let mut log = Vec::new();

        let a = Counter::new(&location, "a", 5);
        a.blocking_inc_by(2);
        log.push(format!(
            "a: new(\"a\", 5), inc_by(2), get = {}, name = {:?}",
            a.blocking_get(),
            a.blocking_name()
        ));
        let b = Counter::new(&location, "b", 10);
        log.push(format!(
            "a.merge(&b) = {}  [borrow param]",
            a.blocking_merge(&b)
        ));
        log.push(format!(
            "total(&[&a, &b]) = {}  [list of borrows]",
            api.blocking_total(&[&a, &b])
        ));
        let c = a.blocking_clone_named("c");
        log.push(format!(
            "a.clone_named(\"c\") -> {:?} = {}  [own result]",
            c.blocking_name(),
            c.blocking_get()
        ));
        log.push(format!("count_live() = {}  [static]", live()));
        log.push(format!(
            "Counter::take(c) = {}  [own param: moved]",
            Counter::blocking_take(&location, c)
        ));
        log.push(format!("count_live() = {}", live()));
        {
            let m = api.blocking_make("m");
            let x = api.blocking_maybe_make(Some("x"));
            let none = api.blocking_maybe_make(None);
            log.push(format!(
                "make(\"m\").get = {}, maybe_make(Some) is_some = {}, maybe_make(None) is_some = {}, count_live() = {}",
                m.blocking_get(),
                x.is_some(),
                none.is_some(),
                live()
            ));
            log.push(format!(
                "combine(m, &b) = {}  [own + borrow]",
                api.blocking_combine(m, &b)
            ));
        }
        log.push(format!(
            "count_live() = {}  [x dropped with its handle, m moved]",
            live()
        ));
        log.push(format!(
            "adopt(Some(Counter::new(\"y\", 3))) = {}",
            api.blocking_adopt(Some(Counter::new(&location, "y", 3)))
        ));
        let pending = a.get();
        pending.subscribe().block();
        log.push(format!("a.get() as a future = {:?}", pending.get()));
        let d = Counter::new(&location, "d", 1);
        log.push(format!(
            "d.drop_remote() = {:?}, count_live() = {}",
            d.drop_remote(),
            live()
        ));
        log.push(format!(
            "try_boom() is_err = {}  [the owner traps and loses its resources]",
            api.try_blocking_boom().is_err()
        ));
        match a.try_blocking_get() {
            Ok(value) => log.push(format!("a.try_get() after the trap = Ok({value})")),
            Err(e) => log.push(format!("a.try_get() after the trap = Err({e})")),
        }
        log
    }
}

export!(Caller);
