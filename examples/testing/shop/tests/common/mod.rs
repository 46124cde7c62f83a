//! The example's end-to-end scenario, shared with golem-rpc-host's own tests (which run it
//! against a deliberately wrong shop to show that it catches it).

use golem_rpc_host::testing::Components;

/// The scenario: an order of 2 apples (3 each) and 5 pears (4 each) from a warehouse
/// stocked with 10 apples and 5 pears. Also run by golem-rpc-host's own tests against a
/// deliberately wrong shop, which it must catch.
pub fn order_scenario(components: &Components) -> anyhow::Result<()> {
    let host = components.host()?;
    host.add_env("STOCK", "apple:10:3,pear:5:4");
    let warehouse = host.worker_uri("inventory", "w1")?;
    let lines = r#"[{item: "apple", quantity: 2}, {item: "pear", quantity: 5}]"#;
    let total = host.call_wave(
        "shop",
        "s1",
        "example:shop/orders.{place}",
        &[format!("{warehouse:?}"), lines.to_string()],
    )?;
    anyhow::ensure!(total == ["ok(26)"], "total: {total:?}");
    // The reservations reached the warehouse: 5 pears are gone, so a second order fails.
    let again = host.call_wave(
        "shop",
        "s1",
        "example:shop/orders.{place}",
        &[
            format!("{warehouse:?}"),
            r#"[{item: "pear", quantity: 1}]"#.to_string(),
        ],
    )?;
    anyhow::ensure!(
        again == [r#"err("pear: only 0 pear left, 1 wanted")"#],
        "second order: {again:?}"
    );
    let left = host.call_wave(
        "inventory",
        "w1",
        "example:inventory/stock.{available}",
        &[r#""apple""#],
    )?;
    anyhow::ensure!(left == ["8"], "apples left: {left:?}");
    let printed = String::from_utf8_lossy(&host.worker_output("shop", "s1").stdout).into_owned();
    anyhow::ensure!(
        printed.contains("order of 2 lines: 26"),
        "stdout: {printed}"
    );
    Ok(())
}
