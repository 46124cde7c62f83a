//! A target whose WIT is written in Golem 1.0/1.1's dialect (`float32`, `-> ()`, named results),
//! imported with `import!` and called end to end (`legacy-caller` → `legacy-target`).

use golem_rpc_tests::{host_with, string, strings};

#[test]
fn a_caller_built_from_golem_1_1_wit_calls_the_target() {
    let host = host_with(&["auction", "lcaller"]);
    let target = host.worker_uri("auction", "auction-1").unwrap();
    let seen = host
        .call(
            "lcaller",
            "c",
            "test:legacy-caller/run.{auction}",
            &[string(&target)],
        )
        .unwrap();
    assert_eq!(
        strings(&seen[0]),
        [
            "bid(ann, 9.0) = PriceTooLow",
            "bid(bob, 12.25) = Success",
            "bid(cid, 20.5) = Ok(Success)",
            "stats() = (2, 20.5)",
            "try stats() = Ok((2, 20.5))",
            "stats() via future = Some(Ok((2, 20.5)))",
            "leader() = cid",
            r#"close-auction() = Some(BidderId { bidder_id: "cid" })"#,
            "bid(dan, 99.0) = AuctionExpired",
        ]
    );
}
