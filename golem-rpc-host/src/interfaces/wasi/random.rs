//! `wasi:random/random` through the worker's journal: Golem records what it answers, so a
//! replayed worker draws the same numbers (`insecure` and `insecure-seed` stay wasmtime-wasi's,
//! as Golem leaves them unrecorded).

use wasmtime_wasi::p2::bindings::random::random::Host;

use crate::worker::state::WorkerState;

/// The most bytes one call may ask for (wasmtime-wasi's default limit).
const MAX_BYTES: u64 = 64 << 20;

impl Host for WorkerState {
    fn get_random_bytes(&mut self, len: u64) -> wasmtime::Result<Vec<u8>> {
        if len > MAX_BYTES {
            wasmtime::bail!("requested len {len:?} exceeds limit {MAX_BYTES}");
        }
        let live = || -> Vec<u8> {
            let mut bytes = vec![0; usize::try_from(len).unwrap_or(0)];
            getrandom::fill(&mut bytes).expect("the operating system's random source");
            bytes
        };
        let Some(journal) = &self.journal else {
            return Ok(live());
        };
        let answer = journal.answer("wasi:random/random.get-random-bytes", || {
            serde_json::Value::from(live())
        });
        Ok(answer
            .as_array()
            .map(|bytes| {
                bytes
                    .iter()
                    .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect()
            })
            .unwrap_or_default())
    }

    fn get_random_u64(&mut self) -> wasmtime::Result<u64> {
        let live = || getrandom::u64().expect("the operating system's random source");
        Ok(match &self.journal {
            Some(journal) => journal.answer_u64("wasi:random/random.get-random-u64", live),
            None => live(),
        })
    }
}
