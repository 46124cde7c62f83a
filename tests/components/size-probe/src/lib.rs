//! Measures what `import!` adds to a release component: build with no features (a minimal
//! component), `--features fmt` (one that formats and panics, like most) and `--features rpc`.

wit_bindgen::generate!({
    path: "wit",
    world: "size-probe",
});

struct SizeProbe;

#[cfg(feature = "rpc")]
golem_rpc::import!("../../../examples/counter/counter/wit/counter.wit");

impl exports::test::size::run::Guest for SizeProbe {
    #[cfg(feature = "rpc")]
    fn run(target: String, values: Vec<u64>) -> u64 {
        let text = format!("{target}: {values:?}");
        assert!(!target.is_empty(), "no target in {text}");
        // Every function of the counter interface, each call form once.
        let api = counter::api::Api::new(&golem_rpc::Uri { value: target });
        api.blocking_add(1);
        api.add(2);
        let stats = api.blocking_get_stats();
        let _ = api.blocking_restore(&stats);
        let _ = api.blocking_tag("x", Some("y"));
        let _ = api.blocking_min_max(&[1, 2]);
        let _ = api.blocking_try_sub(1);
        let pending = api.get();
        pending.subscribe().block();
        api.blocking_add_all(&values) + pending.get().unwrap_or_default()
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
