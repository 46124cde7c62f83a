//! The target of the testing example: a warehouse worker holding stock.

use std::cell::RefCell;
use std::collections::HashMap;

wit_bindgen::generate!({ path: "wit", world: "inventory" });

use exports::example::inventory::stock::Guest;

/// Count and price per item, read from `STOCK` on first use.
struct Stock(HashMap<String, (u32, u32)>);

thread_local! {
    static STOCK: RefCell<Option<Stock>> = const { RefCell::new(None) };
}

fn with_stock<R>(f: impl FnOnce(&mut Stock) -> R) -> R {
    STOCK.with(|stock| {
        let mut stock = stock.borrow_mut();
        let stock = stock.get_or_insert_with(|| {
            let spec = std::env::var("STOCK").unwrap_or_default();
            Stock(
                spec.split(',')
                    .filter_map(|entry| {
                        let mut parts = entry.split(':');
                        let item = parts.next()?.to_owned();
                        let count = parts.next()?.parse().ok()?;
                        let price = parts.next()?.parse().ok()?;
                        Some((item, (count, price)))
                    })
                    .collect(),
            )
        });
        f(stock)
    })
}

struct Inventory;

impl Guest for Inventory {
    fn reserve(item: String, quantity: u32) -> Result<u32, String> {
        with_stock(|stock| match stock.0.get_mut(&item) {
            None => Err(format!("no {item} in this warehouse")),
            Some((count, _)) if *count < quantity => {
                Err(format!("only {count} {item} left, {quantity} wanted"))
            }
            Some((count, price)) => {
                *count -= quantity;
                Ok(*price)
            }
        })
    }

    fn available(item: String) -> u32 {
        with_stock(|stock| stock.0.get(&item).map_or(0, |(count, _)| *count))
    }
}

export!(Inventory);
