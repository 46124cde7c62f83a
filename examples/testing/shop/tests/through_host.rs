//! The shop and the inventory as components, end to end through the local host
//! (`golem_rpc_host::testing`): the same calls Golem would make.

mod common;

use golem_rpc_host::testing::Components;

#[test]
fn an_order_through_the_host() -> anyhow::Result<()> {
    let components = Components::build(&["inventory", "shop"])?;
    common::order_scenario(&components)
}
