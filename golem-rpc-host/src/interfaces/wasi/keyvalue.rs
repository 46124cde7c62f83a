//! The host side of `wasi:keyvalue@0.1.0` as Golem 1.0/1.1 link it: buckets shared by all
//! workers of the host (see `services::data_store`), opened by name; values written through `outgoing-value` and
//! read through `incoming-value`, whole or as wasi:io streams.
//!
//! As in Golem's executor: `open-bucket` always succeeds, `get` of a missing key is `none`,
//! `delete` of a missing key succeeds, `get-many` keeps the keys' order, `keys` lists a bucket
//! (sorted here). `atomic` (`increment`, `compare-and-swap`) and `cache` are not implemented by
//! Golem 1.0/1.1's executor either: calling them traps with a message saying so, so that a
//! component that works here works on Golem.

use std::sync::{Arc, PoisonError};

use wasmtime::component::Resource;
use wasmtime_wasi::p2::{DynInputStream, DynOutputStream};

use crate::bindings::resources::keyvalue::{
    BucketEntry, IncomingValue, KeyValueError, OutgoingValue,
};
use crate::bindings::wasi::keyvalue::wasi_keyvalue_error;
use crate::bindings::wasi::keyvalue::{atomic, eventual, eventual_batch, types};
use crate::interfaces::wasi::streams::{append_stream, read_stream};
use crate::worker::state::WorkerState;

type Outcome<T> = wasmtime::Result<Result<T, Resource<KeyValueError>>>;

impl WorkerState {
    /// `Err(error)` for a failure of the store, as Golem reports backend errors.
    fn kv_error<T>(&mut self, err: std::io::Error) -> Outcome<T> {
        let error = self.table.push(KeyValueError {
            message: format!("{err:?}"),
        })?;
        Ok(Err(error))
    }

    fn bucket_name(&self, bucket: &Resource<BucketEntry>) -> wasmtime::Result<String> {
        Ok(self.table.get(bucket)?.name.clone())
    }

    fn outgoing_bytes(&self, value: &Resource<OutgoingValue>) -> wasmtime::Result<Vec<u8>> {
        let value = self.table.get(value)?;
        Ok(value
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone())
    }

    fn incoming(
        &mut self,
        data: Option<Vec<u8>>,
    ) -> wasmtime::Result<Option<Resource<IncomingValue>>> {
        data.map(|data| Ok(self.table.push(IncomingValue { data })?))
            .transpose()
    }
}

impl types::Host for WorkerState {}

impl types::HostBucket for WorkerState {
    fn open_bucket(&mut self, name: String) -> Outcome<Resource<BucketEntry>> {
        Ok(Ok(self.table.push(BucketEntry { name })?))
    }

    fn drop(&mut self, rep: Resource<BucketEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl types::HostOutgoingValue for WorkerState {
    fn new_outgoing_value(&mut self) -> wasmtime::Result<Resource<OutgoingValue>> {
        Ok(self.table.push(OutgoingValue {
            data: Arc::default(),
        })?)
    }

    fn outgoing_value_write_body_async(
        &mut self,
        self_: Resource<OutgoingValue>,
    ) -> Outcome<Resource<DynOutputStream>> {
        let data = self.table.get(&self_)?.data.clone();
        Ok(Ok(append_stream(self, &data)?))
    }

    /// Appends, as Golem's executor does.
    fn outgoing_value_write_body_sync(
        &mut self,
        self_: Resource<OutgoingValue>,
        value: Vec<u8>,
    ) -> Outcome<()> {
        self.table
            .get(&self_)?
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(&value);
        Ok(Ok(()))
    }

    fn drop(&mut self, rep: Resource<OutgoingValue>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl types::HostIncomingValue for WorkerState {
    /// Takes the value (a second call returns the empty rest), as Golem's executor does.
    fn incoming_value_consume_sync(&mut self, self_: Resource<IncomingValue>) -> Outcome<Vec<u8>> {
        Ok(Ok(std::mem::take(&mut self.table.get_mut(&self_)?.data)))
    }

    fn incoming_value_consume_async(
        &mut self,
        self_: Resource<IncomingValue>,
    ) -> Outcome<Resource<DynInputStream>> {
        let data = std::mem::take(&mut self.table.get_mut(&self_)?.data);
        Ok(Ok(read_stream(self, data)?))
    }

    fn incoming_value_size(&mut self, self_: Resource<IncomingValue>) -> Outcome<u64> {
        Ok(Ok(self.table.get(&self_)?.data.len() as u64))
    }

    fn drop(&mut self, rep: Resource<IncomingValue>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl wasi_keyvalue_error::Host for WorkerState {}

impl wasi_keyvalue_error::HostError for WorkerState {
    fn trace(&mut self, self_: Resource<KeyValueError>) -> wasmtime::Result<String> {
        Ok(self.table.get(&self_)?.message.clone())
    }

    fn drop(&mut self, rep: Resource<KeyValueError>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl eventual::Host for WorkerState {
    fn get(
        &mut self,
        bucket: Resource<BucketEntry>,
        key: String,
    ) -> Outcome<Option<Resource<IncomingValue>>> {
        let name = self.bucket_name(&bucket)?;
        match self.data.get(&name, &key) {
            Ok(data) => Ok(Ok(self.incoming(data)?)),
            Err(err) => self.kv_error(err),
        }
    }

    fn set(
        &mut self,
        bucket: Resource<BucketEntry>,
        key: String,
        outgoing_value: Resource<OutgoingValue>,
    ) -> Outcome<()> {
        let name = self.bucket_name(&bucket)?;
        let value = self.outgoing_bytes(&outgoing_value)?;
        match self.data.set(&name, &key, value) {
            Ok(()) => Ok(Ok(())),
            Err(err) => self.kv_error(err),
        }
    }

    fn delete(&mut self, bucket: Resource<BucketEntry>, key: String) -> Outcome<()> {
        let name = self.bucket_name(&bucket)?;
        match self.data.delete(&name, &key) {
            Ok(()) => Ok(Ok(())),
            Err(err) => self.kv_error(err),
        }
    }

    fn exists(&mut self, bucket: Resource<BucketEntry>, key: String) -> Outcome<bool> {
        let name = self.bucket_name(&bucket)?;
        match self.data.exists(&name, &key) {
            Ok(exists) => Ok(Ok(exists)),
            Err(err) => self.kv_error(err),
        }
    }
}

impl eventual_batch::Host for WorkerState {
    fn get_many(
        &mut self,
        bucket: Resource<BucketEntry>,
        keys: Vec<String>,
    ) -> Outcome<Vec<Option<Resource<IncomingValue>>>> {
        let name = self.bucket_name(&bucket)?;
        let mut values = Vec::with_capacity(keys.len());
        for key in keys {
            match self.data.get(&name, &key) {
                Ok(data) => values.push(self.incoming(data)?),
                Err(err) => return self.kv_error(err),
            }
        }
        Ok(Ok(values))
    }

    fn keys(&mut self, bucket: Resource<BucketEntry>) -> Outcome<Vec<String>> {
        let name = self.bucket_name(&bucket)?;
        match self.data.keys(&name) {
            Ok(keys) => Ok(Ok(keys)),
            Err(err) => self.kv_error(err),
        }
    }

    fn set_many(
        &mut self,
        bucket: Resource<BucketEntry>,
        key_values: Vec<(String, Resource<OutgoingValue>)>,
    ) -> Outcome<()> {
        let name = self.bucket_name(&bucket)?;
        for (key, value) in key_values {
            let value = self.outgoing_bytes(&value)?;
            if let Err(err) = self.data.set(&name, &key, value) {
                return self.kv_error(err);
            }
        }
        Ok(Ok(()))
    }

    fn delete_many(&mut self, bucket: Resource<BucketEntry>, keys: Vec<String>) -> Outcome<()> {
        let name = self.bucket_name(&bucket)?;
        for key in keys {
            if let Err(err) = self.data.delete(&name, &key) {
                return self.kv_error(err);
            }
        }
        Ok(Ok(()))
    }
}

/// The trap for what Golem 1.0/1.1's executor does not implement either.
fn unsupported(what: &str) -> wasmtime::Error {
    wasmtime::format_err!(
        "wasi:keyvalue {what} is not implemented by Golem 1.0/1.1's executor (it traps there \
         too), so the local host does not offer it either"
    )
}

impl atomic::Host for WorkerState {
    fn increment(
        &mut self,
        _bucket: Resource<BucketEntry>,
        _key: String,
        _delta: u64,
    ) -> Outcome<u64> {
        Err(unsupported("atomic.increment"))
    }

    fn compare_and_swap(
        &mut self,
        _bucket: Resource<BucketEntry>,
        _key: String,
        _old: u64,
        _new: u64,
    ) -> Outcome<bool> {
        Err(unsupported("atomic.compare-and-swap"))
    }
}

/// `wasi:keyvalue/cache`: linked so that components importing it load, as in Golem 1.0/1.1,
/// whose executor does not implement it either (every function traps).
mod cache_interface {
    use wasmtime::component::Resource;
    use wasmtime_wasi::p2::DynPollable;

    use super::{IncomingValue, KeyValueError, OutgoingValue, unsupported};
    use crate::bindings::wasi::keyvalue::cache::{
        self, FutureExistsResult, FutureGetOrSetResult, FutureGetResult, FutureResult,
        GetOrSetEntry, Vacancy,
    };
    use crate::worker::state::WorkerState;

    type Outcome<T> = Option<Result<T, Resource<KeyValueError>>>;

    impl cache::Host for WorkerState {
        fn get(&mut self, _k: String) -> wasmtime::Result<Resource<FutureGetResult>> {
            Err(unsupported("cache.get"))
        }

        fn exists(&mut self, _k: String) -> wasmtime::Result<Resource<FutureExistsResult>> {
            Err(unsupported("cache.exists"))
        }

        fn set(
            &mut self,
            _k: String,
            _v: Resource<OutgoingValue>,
            _ttl_ms: Option<u32>,
        ) -> wasmtime::Result<Resource<FutureResult>> {
            Err(unsupported("cache.set"))
        }

        fn get_or_set(&mut self, _k: String) -> wasmtime::Result<Resource<FutureGetOrSetResult>> {
            Err(unsupported("cache.get-or-set"))
        }

        fn delete(&mut self, _k: String) -> wasmtime::Result<Resource<FutureResult>> {
            Err(unsupported("cache.delete"))
        }
    }

    impl cache::HostFutureGetResult for WorkerState {
        fn future_get_result_get(
            &mut self,
            _self_: Resource<FutureGetResult>,
        ) -> wasmtime::Result<Outcome<Option<Resource<IncomingValue>>>> {
            Err(unsupported("cache"))
        }

        fn listen_to_future_get_result(
            &mut self,
            _self_: Resource<FutureGetResult>,
        ) -> wasmtime::Result<Resource<DynPollable>> {
            Err(unsupported("cache"))
        }

        fn drop(&mut self, _rep: Resource<FutureGetResult>) -> wasmtime::Result<()> {
            Err(unsupported("cache"))
        }
    }

    impl cache::HostFutureExistsResult for WorkerState {
        fn future_exists_result_get(
            &mut self,
            _self_: Resource<FutureExistsResult>,
        ) -> wasmtime::Result<Outcome<bool>> {
            Err(unsupported("cache"))
        }

        fn listen_to_future_exists_result(
            &mut self,
            _self_: Resource<FutureExistsResult>,
        ) -> wasmtime::Result<Resource<DynPollable>> {
            Err(unsupported("cache"))
        }

        fn drop(&mut self, _rep: Resource<FutureExistsResult>) -> wasmtime::Result<()> {
            Err(unsupported("cache"))
        }
    }

    impl cache::HostFutureResult for WorkerState {
        fn future_result_get(
            &mut self,
            _self_: Resource<FutureResult>,
        ) -> wasmtime::Result<Outcome<()>> {
            Err(unsupported("cache"))
        }

        fn listen_to_future_result(
            &mut self,
            _self_: Resource<FutureResult>,
        ) -> wasmtime::Result<Resource<DynPollable>> {
            Err(unsupported("cache"))
        }

        fn drop(&mut self, _rep: Resource<FutureResult>) -> wasmtime::Result<()> {
            Err(unsupported("cache"))
        }
    }

    impl cache::HostFutureGetOrSetResult for WorkerState {
        fn future_get_or_set_result_get(
            &mut self,
            _self_: Resource<FutureGetOrSetResult>,
        ) -> wasmtime::Result<Outcome<GetOrSetEntry>> {
            Err(unsupported("cache"))
        }

        fn listen_to_future_get_or_set_result(
            &mut self,
            _self_: Resource<FutureGetOrSetResult>,
        ) -> wasmtime::Result<Resource<DynPollable>> {
            Err(unsupported("cache"))
        }

        fn drop(&mut self, _rep: Resource<FutureGetOrSetResult>) -> wasmtime::Result<()> {
            Err(unsupported("cache"))
        }
    }

    impl cache::HostVacancy for WorkerState {
        fn vacancy_fill(
            &mut self,
            _self_: Resource<Vacancy>,
            _ttl_ms: Option<u32>,
        ) -> wasmtime::Result<Resource<OutgoingValue>> {
            Err(unsupported("cache"))
        }

        fn drop(&mut self, _rep: Resource<Vacancy>) -> wasmtime::Result<()> {
            Err(unsupported("cache"))
        }
    }
}
