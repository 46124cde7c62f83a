//! `golem_rpc_host::testing` on the testing example (`examples/testing`): the harness builds a
//! workspace's components and runs them, and its scenario catches a wrong caller.

#[path = "../../examples/testing/shop/tests/common/mod.rs"]
mod scenario;

use golem_rpc_host::testing::Components;

#[test]
fn the_example_scenario_passes_with_the_right_shop_and_fails_with_a_wrong_one() {
    let root = golem_rpc_host::build::workspace_root();
    let right = Components::builder(&["inventory", "shop"])
        .workspace(&root)
        .build()
        .unwrap();
    scenario::order_scenario(&right).unwrap();

    // The same shop built with its `wrong-total` bug: the scenario must fail, naming the total.
    let wrong = Components::builder(&["inventory", "shop"])
        .workspace(&root)
        .features(&["shop/wrong-total"])
        .build()
        .unwrap();
    assert_ne!(right.path("shop").unwrap(), wrong.path("shop").unwrap());
    let failure = scenario::order_scenario(&wrong).unwrap_err().to_string();
    assert!(failure.starts_with("total: [\"ok(7)\"]"), "{failure}");
    // The wrong build did not replace the right one: what a build returned stays what it built.
    scenario::order_scenario(&right).unwrap();
    let again = Components::builder(&["inventory", "shop"])
        .workspace(&root)
        .build()
        .unwrap();
    scenario::order_scenario(&again).unwrap();
}

#[test]
fn asking_for_a_package_that_was_not_built_says_so() {
    let components = Components::builder(&["inventory"])
        .workspace(golem_rpc_host::build::workspace_root())
        .build()
        .unwrap();
    let err = components.path("shop").unwrap_err().to_string();
    assert!(err.contains("shop was not built"), "{err}");
    let err = Components::builder(&["no-such-package"])
        .workspace(golem_rpc_host::build::workspace_root())
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("no-such-package"), "{err}");
}
