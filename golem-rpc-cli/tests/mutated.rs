//! `check` and `compose` on damaged components: real `.wasm` files with bytes flipped, cut
//! short or spliced. Every run ends in a report (an error naming the file, or a result), never
//! a panic.
//!
//! `GOLEM_RPC_FUZZ_CASES=20000 cargo test --release -p golem-rpc-cli --test mutated -- --nocapture`
//! for a long run.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{component, scratch};
use golem_rpc_cli::check::{CheckOptions, check};
use golem_rpc_cli::compose::{ComposeOptions, compose};
use golem_rpc_cli::profile::Profile;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// How to damage a component.
#[derive(Debug, Clone)]
enum Damage {
    /// Set these (position, byte) pairs.
    Flip(Vec<(usize, u8)>),
    /// Keep only this many bytes.
    Truncate(usize),
    /// Copy a range of the file over another position.
    Splice { from: usize, to: usize, len: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8).prop_map(Damage::Flip),
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), any::<usize>(), 1..64usize).prop_map(|(from, to, len)| Damage::Splice {
            from,
            to,
            len
        }),
    ]
}

fn apply(original: &[u8], damage: &Damage) -> Vec<u8> {
    let mut bytes = original.to_vec();
    let len = bytes.len();
    match damage {
        Damage::Flip(changes) => {
            for (at, byte) in changes {
                bytes[at % len] = *byte;
            }
        }
        Damage::Truncate(keep) => bytes.truncate(keep % len),
        Damage::Splice { from, to, len: n } => {
            let (from, to) = (from % len, to % len);
            let n = (*n).min(len - from).min(len - to);
            let chunk = bytes[from..from + n].to_vec();
            bytes[to..to + n].copy_from_slice(&chunk);
        }
    }
    bytes
}

#[test]
fn damaged_components_are_reported_not_panics() {
    let cases: u32 = std::env::var("GOLEM_RPC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = scratch("mutated");
    let caller = std::fs::read(component("counter-caller")).unwrap();
    let target = component("counter-target").to_path_buf();
    let greeter = component("greeter").to_path_buf();
    let profile = Profile::named("golem-1.0").expect("the Golem 1.0 profile");
    let (ran, failed) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(damage(), any::<bool>()), |(damage, as_target)| {
            let damaged = dir.join("damaged.wasm");
            std::fs::write(&damaged, apply(&caller, &damage)).unwrap();
            let (check_caller, check_targets) = if as_target {
                (target.clone(), vec![damaged.clone()])
            } else {
                (damaged.clone(), vec![target.clone()])
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let checked = check(&CheckOptions {
                    caller: check_caller,
                    targets: check_targets,
                    profile: Some(profile.clone()),
                });
                let composed = compose(&ComposeOptions {
                    caller: damaged.clone(),
                    plugs: vec![("greet".to_string(), greeter.clone())],
                    output: dir.join("composed.wasm"),
                });
                (checked, composed)
            }));
            let Ok((checked, _composed)) = outcome else {
                panic!("check/compose panicked on {damage:?}");
            };
            ran.set(ran.get() + 1);
            failed.set(failed.get() + u32::from(!checked.ok()));
            Ok(())
        })
        .unwrap();
    println!(
        "damaged components: {} cases, {} reported errors, 0 panics",
        ran.get(),
        failed.get()
    );
}
