//! Calls a target through a client generated from WIT in Golem 1.0/1.1's dialect.

golem_rpc::import!("golem-1.1-wit/auction.wit");

wit_bindgen::generate!({
    path: "wit",
    world: "legacy-caller",
});

use auction::api::{Api, Auction, BidderId};

struct Caller;

impl exports::test::legacy_caller::run::Guest for Caller {
    fn auction(target: String) -> Vec<String> {
        let api = Api::new(&golem_rpc::Uri { value: target });
        let mut seen = Vec::new();
        // `-> ()` and `float32`: a function without results, an `f32` parameter.
        api.blocking_initialize(&Auction {
            name: "golem".to_string(),
            limit_price: 10.5,
            expiration: 1_700_000_000,
        });
        let bidder = |name: &str| BidderId {
            bidder_id: name.to_string(),
        };
        seen.push(format!(
            "bid(ann, 9.0) = {:?}",
            api.blocking_bid(&bidder("ann"), 9.0)
        ));
        seen.push(format!(
            "bid(bob, 12.25) = {:?}",
            api.blocking_bid(&bidder("bob"), 12.25)
        ));
        seen.push(format!(
            "bid(cid, 20.5) = {:?}",
            api.try_blocking_bid(&bidder("cid"), 20.5)
        ));
        // Named results: a tuple, blocking, try_ and through a future.
        let (count, highest): (u32, f64) = api.blocking_stats();
        seen.push(format!("stats() = ({count}, {highest})"));
        seen.push(format!("try stats() = {:?}", api.try_blocking_stats()));
        let future = api.stats();
        golem_rpc::join_all(&[&future]);
        seen.push(format!("stats() via future = {:?}", future.try_get()));
        // One named result: its type.
        let leader: String = api.blocking_leader();
        seen.push(format!("leader() = {leader}"));
        seen.push(format!(
            "close-auction() = {:?}",
            api.blocking_close_auction()
        ));
        seen.push(format!(
            "bid(dan, 99.0) = {:?}",
            api.blocking_bid(&bidder("dan"), 99.0)
        ));
        seen
    }
}

export!(Caller);
