//! Measures what `import!` adds to a release component: build with no features (a minimal
//! component), `--features fmt` (one that formats and panics, like most) and `--features rpc`.

wit_bindgen::generate!({
    path: "wit",
    world: "size-probe",
});

struct SizeProbe;

#[cfg(feature = "rpc")]
golem_rpc::import!("../../../examples/counter/counter/wit/counter.wit");

#[cfg(feature = "many")]
golem_rpc::import!("wit-many");

/// Calls every function of the `many` interfaces once.
#[cfg(feature = "many")]
fn call_many(target: &golem_rpc::Uri) -> u64 {
    let mut total = 0u64;
    macro_rules! each {
        ($($module:ident :: $client:ident),*) => {$({
            use many::$module::{$client, Point};
            let api = $client::new(target);
            let p = Point { x: 1, y: 2 };
            total += api.blocking_f0(1);
            total += api.blocking_f1("x").len() as u64;
            total += api.blocking_f2(&[1, 2]);
            api.blocking_f3(true, Some("y"));
            total += api.blocking_f4(1, 2).0 as u64;
            total += api.blocking_f5(p).x as u64;
            total += api.blocking_f6().unwrap_or_default();
            total += api.blocking_f7(&[p]).len() as u64;
            total += api.blocking_f8(1.0, 2.0) as u64;
            total += api.blocking_f9('c').map_or(0, u64::from);
        })*};
    }
    each!(
        i0::I0,
        i1::I1,
        i2::I2,
        i3::I3,
        i4::I4,
        i5::I5,
        i6::I6,
        i7::I7,
        i8::I8,
        i9::I9
    );
    total
}

impl exports::test::size::run::Guest for SizeProbe {
    #[cfg(feature = "rpc")]
    fn run(target: String, values: Vec<u64>) -> u64 {
        let text = format!("{target}: {values:?}");
        assert!(!target.is_empty(), "no target in {text}");
        // Every function of the counter interface, each call form once.
        let uri = golem_rpc::Uri { value: target };
        let api = counter::api::Api::new(&uri);
        api.blocking_add(1);
        api.add(2);
        let stats = api.blocking_get_stats();
        let _ = api.blocking_restore(&stats);
        let _ = api.blocking_tag("x", Some("y"));
        let _ = api.blocking_min_max(&[1, 2]);
        let _ = api.blocking_try_sub(1);
        let pending = api.get();
        pending.subscribe().block();
        #[cfg(feature = "many")]
        let more = call_many(&uri);
        #[cfg(not(feature = "many"))]
        let more = 0;
        api.blocking_add_all(&values) + pending.get().unwrap_or_default() + more
    }

    #[cfg(all(feature = "fmt", not(feature = "rpc")))]
    fn run(target: String, values: Vec<u64>) -> u64 {
        let text = format!("{target}: {values:?}");
        assert!(!target.is_empty(), "no target in {text}");
        text.len() as u64 + values.iter().sum::<u64>()
    }

    #[cfg(not(feature = "fmt"))]
    fn run(target: String, values: Vec<u64>) -> u64 {
        target.len() as u64 + values.iter().sum::<u64>()
    }
}

export!(SizeProbe);
