//! The caller of the testing example: its logic ([`place_order`]) is unit-tested natively
//! against fakes (below) and the component end to end through the host (`tests/`).

wit_bindgen::generate!({ path: "wit", world: "shop" });

golem_rpc::import!("../inventory/wit/inventory.wit");

use exports::example::shop::orders::{Guest, Line};
use golem_rpc::Uri;
use inventory::stock::Stock;

/// Reserves every line concurrently and sums `price × quantity`; the first failed line (in
/// order) fails the order.
pub fn place_order(warehouse: &Stock, lines: &[Line]) -> Result<u32, String> {
    let reservations: Vec<_> = lines
        .iter()
        .map(|line| warehouse.reserve(&line.item, line.quantity))
        .collect();
    let pending: Vec<&dyn golem_rpc::RpcFuture> = reservations
        .iter()
        .map(|r| r as &dyn golem_rpc::RpcFuture)
        .collect();
    golem_rpc::join_all(&pending);
    let mut total = 0;
    for (line, reservation) in lines.iter().zip(&reservations) {
        let price = reservation
            .try_get()
            .expect("join_all waited for every reservation")
            .map_err(|e| format!("{}: {e}", line.item))?
            .map_err(|why| format!("{}: {why}", line.item))?;
        total += if cfg!(feature = "wrong-total") {
            price
        } else {
            price * line.quantity
        };
    }
    Ok(total)
}

struct Shop;

impl Guest for Shop {
    fn place(warehouse: String, lines: Vec<Line>) -> Result<u32, String> {
        let stock = Stock::try_new(&Uri { value: warehouse }).map_err(|e| e.to_string())?;
        let total = place_order(&stock, &lines)?;
        println!("order of {} lines: {total}", lines.len());
        Ok(total)
    }
}

export!(Shop);

/// Unit tests of the logic, natively: the inventory is a fake (`golem_rpc::testing`).
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use golem_rpc::testing::{CallKind, Fakes};
    use golem_rpc::{Error, Uri};

    use super::*;

    fn warehouse() -> Stock {
        Stock::new(&Uri {
            value: "urn:worker:4e4a1d5c-2a41-4d55-9b6b-0c1f3a1e0b7d/w1".to_string(),
        })
    }

    fn line(item: &str, quantity: u32) -> Line {
        Line {
            item: item.to_string(),
            quantity,
        }
    }

    #[test]
    fn the_total_is_price_times_quantity_per_line() {
        let fakes = Fakes::new();
        fakes.on(Stock::RESERVE, |(item, _)| match item.as_str() {
            "apple" => Ok(Ok(3)),
            _ => Ok(Ok(4)),
        });
        let total = place_order(&warehouse(), &[line("apple", 2), line("pear", 5)]);
        assert_eq!(total, Ok(26));
        // Both reservations were sent, concurrently (non-blocking), in order.
        assert_eq!(
            fakes.calls_to(Stock::RESERVE),
            [("apple".to_string(), 2), ("pear".to_string(), 5)]
        );
        assert!(fakes.calls().iter().all(|c| c.kind == CallKind::Async));
    }

    #[test]
    fn lines_are_reserved_at_once_not_one_after_the_other() {
        let fakes = Fakes::new();
        fakes
            .on(Stock::RESERVE, |_| Ok(Ok(1)))
            .after(Duration::from_millis(100));
        place_order(&warehouse(), &[line("a", 1), line("b", 1), line("c", 1)]).unwrap();
        // Three reservations of 100 ms each took 100 ms of (virtual) time, not 300.
        assert_eq!(fakes.elapsed(), Duration::from_millis(100));
    }

    #[test]
    fn the_first_failed_line_fails_the_order() {
        let fakes = Fakes::new();
        fakes.on(Stock::RESERVE, |(item, quantity)| {
            if item == "pear" {
                Ok(Err(format!("only 1 pear left, {quantity} wanted")))
            } else {
                Ok(Ok(3))
            }
        });
        let result = place_order(&warehouse(), &[line("apple", 1), line("pear", 2)]);
        assert_eq!(result, Err("pear: only 1 pear left, 2 wanted".to_string()));
    }

    #[test]
    fn an_unreachable_warehouse_is_an_error_not_a_panic() {
        let fakes = Fakes::new();
        fakes.on(Stock::RESERVE, |_| {
            Err(Error::NotFound("worker w1 not found".to_string()))
        });
        let result = place_order(&warehouse(), &[line("apple", 1)]);
        assert_eq!(
            result,
            Err("apple: not found: worker w1 not found".to_string())
        );
    }
}
