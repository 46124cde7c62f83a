//! An auction in the style of Golem 1.1's test components, built from current WIT.

use std::cell::RefCell;

wit_bindgen::generate!({
    path: "wit",
    world: "auction",
});

use exports::test::auction::api::{Auction, BidResult, BidderId, Guest};

#[derive(Default)]
struct State {
    auction: Option<Auction>,
    bids: Vec<(String, f32)>,
    closed: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

struct Component;

impl Guest for Component {
    fn initialize(auction: Auction) {
        STATE.with(|s| {
            *s.borrow_mut() = State {
                auction: Some(auction),
                ..State::default()
            }
        });
    }

    fn bid(bidder_id: BidderId, price: f32) -> BidResult {
        STATE.with(|s| {
            let mut state = s.borrow_mut();
            let limit = state.auction.as_ref().map_or(0.0, |a| a.limit_price);
            let highest = state.bids.iter().map(|(_, p)| *p).fold(limit, f32::max);
            if state.closed {
                BidResult::AuctionExpired
            } else if price <= highest {
                BidResult::PriceTooLow
            } else {
                state.bids.push((bidder_id.bidder_id, price));
                BidResult::Success
            }
        })
    }

    fn close_auction() -> Option<BidderId> {
        STATE.with(|s| {
            let mut state = s.borrow_mut();
            state.closed = true;
            state.bids.last().map(|(name, _)| BidderId {
                bidder_id: name.clone(),
            })
        })
    }

    fn stats() -> (u32, f64) {
        STATE.with(|s| {
            let state = s.borrow();
            let highest = state.bids.last().map_or(0.0, |(_, p)| f64::from(*p));
            (state.bids.len() as u32, highest)
        })
    }

    fn leader() -> String {
        STATE.with(|s| {
            s.borrow()
                .bids
                .last()
                .map(|(name, _)| name.clone())
                .unwrap_or_default()
        })
    }
}

export!(Component);
