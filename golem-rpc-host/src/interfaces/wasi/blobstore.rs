//! The host side of `wasi:blobstore` (unversioned, as Golem 1.0/1.1 link it): containers of named
//! blobs shared by all workers of the host (see `services::data_store`). Errors are strings, as in the WIT.
//!
//! As in Golem's executor: `create-container` of an existing container succeeds,
//! `get-container` of a missing one fails with `Container not found`, reading a missing object
//! with `Object does not exist`; `get-data(name, start, end)` returns bytes `start..end` (end
//! exclusive, clamped to the blob's size). Unlike Golem, `clear` keeps the (now empty) container,
//! as the WIT documents, and objects are listed in name order.

use std::sync::{Arc, PoisonError};

use wasmtime::component::Resource;
use wasmtime_wasi::p2::{DynInputStream, DynOutputStream};

use crate::bindings::resources::blobstore::{
    ContainerEntry, IncomingValue, ObjectNames, OutgoingValue,
};
use crate::bindings::wasi::blobstore::container::{ObjectMetadata, ObjectName};
use crate::bindings::wasi::blobstore::types::{ContainerMetadata, ObjectId};
use crate::bindings::wasi::blobstore::{blobstore, container, types};
use crate::interfaces::wasi::streams::{append_stream, read_stream};
use crate::worker::state::WorkerState;

type Outcome<T> = wasmtime::Result<Result<T, String>>;

fn error(err: std::io::Error) -> String {
    format!("{err:?}")
}

const NO_OBJECT: &str = "Object does not exist";

impl WorkerState {
    fn container_name(&self, container: &Resource<ContainerEntry>) -> wasmtime::Result<String> {
        Ok(self.table.get(container)?.name.clone())
    }

    fn open_container(
        &mut self,
        name: String,
        created_at: u64,
    ) -> Outcome<Resource<ContainerEntry>> {
        Ok(Ok(self.table.push(ContainerEntry { name, created_at })?))
    }
}

impl types::Host for WorkerState {}

impl types::HostOutgoingValue for WorkerState {
    fn new_outgoing_value(&mut self) -> wasmtime::Result<Resource<OutgoingValue>> {
        Ok(self.table.push(OutgoingValue {
            data: Arc::default(),
        })?)
    }

    fn outgoing_value_write_body(
        &mut self,
        self_: Resource<OutgoingValue>,
    ) -> wasmtime::Result<Result<Resource<DynOutputStream>, ()>> {
        let data = self.table.get(&self_)?.data.clone();
        Ok(Ok(append_stream(self, &data)?))
    }

    fn drop(&mut self, rep: Resource<OutgoingValue>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl types::HostIncomingValue for WorkerState {
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

    fn size(&mut self, self_: Resource<IncomingValue>) -> wasmtime::Result<u64> {
        Ok(self.table.get(&self_)?.data.len() as u64)
    }

    fn drop(&mut self, rep: Resource<IncomingValue>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl container::Host for WorkerState {}

impl container::HostContainer for WorkerState {
    fn name(&mut self, self_: Resource<ContainerEntry>) -> Outcome<String> {
        Ok(Ok(self.container_name(&self_)?))
    }

    fn info(&mut self, self_: Resource<ContainerEntry>) -> Outcome<ContainerMetadata> {
        let entry = self.table.get(&self_)?;
        Ok(Ok(ContainerMetadata {
            name: entry.name.clone(),
            created_at: entry.created_at,
        }))
    }

    fn get_data(
        &mut self,
        self_: Resource<ContainerEntry>,
        name: ObjectName,
        start: u64,
        end: u64,
    ) -> Outcome<Resource<IncomingValue>> {
        let container = self.container_name(&self_)?;
        let data = match self.data.blob(&container, &name) {
            Ok(Some(data)) => data,
            Ok(None) => return Ok(Err(NO_OBJECT.to_string())),
            Err(err) => return Ok(Err(error(err))),
        };
        let len = data.len() as u64;
        let (start, end) = (start.min(len) as usize, end.min(len) as usize);
        let slice = data.get(start..end.max(start)).unwrap_or_default().to_vec();
        Ok(Ok(self.table.push(IncomingValue { data: slice })?))
    }

    fn write_data(
        &mut self,
        self_: Resource<ContainerEntry>,
        name: ObjectName,
        data: Resource<OutgoingValue>,
    ) -> Outcome<()> {
        let container = self.container_name(&self_)?;
        let bytes = self
            .table
            .get(&data)?
            .data
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Ok(self.data.put_blob(&container, &name, bytes).map_err(error))
    }

    fn list_objects(&mut self, self_: Resource<ContainerEntry>) -> Outcome<Resource<ObjectNames>> {
        let container = self.container_name(&self_)?;
        match self.data.blob_names(&container) {
            Ok(names) => Ok(Ok(self.table.push(ObjectNames {
                names: names.into(),
            })?)),
            Err(err) => Ok(Err(error(err))),
        }
    }

    fn delete_object(&mut self, self_: Resource<ContainerEntry>, name: ObjectName) -> Outcome<()> {
        let container = self.container_name(&self_)?;
        Ok(self.data.delete_blob(&container, &name).map_err(error))
    }

    fn delete_objects(
        &mut self,
        self_: Resource<ContainerEntry>,
        names: Vec<ObjectName>,
    ) -> Outcome<()> {
        let container = self.container_name(&self_)?;
        for name in names {
            if let Err(err) = self.data.delete_blob(&container, &name) {
                return Ok(Err(error(err)));
            }
        }
        Ok(Ok(()))
    }

    fn has_object(&mut self, self_: Resource<ContainerEntry>, name: ObjectName) -> Outcome<bool> {
        let container = self.container_name(&self_)?;
        Ok(self
            .data
            .blob_info(&container, &name)
            .map(|info| info.is_some())
            .map_err(error))
    }

    fn object_info(
        &mut self,
        self_: Resource<ContainerEntry>,
        name: ObjectName,
    ) -> Outcome<ObjectMetadata> {
        let container = self.container_name(&self_)?;
        Ok(match self.data.blob_info(&container, &name) {
            Ok(Some(info)) => Ok(ObjectMetadata {
                name,
                container,
                created_at: info.created_at,
                size: info.size,
            }),
            Ok(None) => Err(NO_OBJECT.to_string()),
            Err(err) => Err(error(err)),
        })
    }

    fn clear(&mut self, self_: Resource<ContainerEntry>) -> Outcome<()> {
        let container = self.container_name(&self_)?;
        Ok(self.data.clear(&container).map_err(error))
    }

    fn drop(&mut self, rep: Resource<ContainerEntry>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl container::HostStreamObjectNames for WorkerState {
    /// Up to `len` names, and whether the list ended.
    fn read_stream_object_names(
        &mut self,
        self_: Resource<ObjectNames>,
        len: u64,
    ) -> Outcome<(Vec<ObjectName>, bool)> {
        let names = &mut self.table.get_mut(&self_)?.names;
        let count = names.len().min(usize::try_from(len).unwrap_or(usize::MAX));
        let read: Vec<String> = names.drain(..count).collect();
        Ok(Ok((read, names.is_empty())))
    }

    fn skip_stream_object_names(
        &mut self,
        self_: Resource<ObjectNames>,
        num: u64,
    ) -> Outcome<(u64, bool)> {
        let names = &mut self.table.get_mut(&self_)?.names;
        let count = names.len().min(usize::try_from(num).unwrap_or(usize::MAX));
        names.drain(..count);
        Ok(Ok((count as u64, names.is_empty())))
    }

    fn drop(&mut self, rep: Resource<ObjectNames>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl blobstore::Host for WorkerState {
    fn create_container(&mut self, name: String) -> Outcome<Resource<ContainerEntry>> {
        match self.data.create_container(&name) {
            Ok(created_at) => self.open_container(name, created_at),
            Err(err) => Ok(Err(error(err))),
        }
    }

    fn get_container(&mut self, name: String) -> Outcome<Resource<ContainerEntry>> {
        match self.data.container(&name) {
            Ok(Some(created_at)) => self.open_container(name, created_at),
            Ok(None) => Ok(Err("Container not found".to_string())),
            Err(err) => Ok(Err(error(err))),
        }
    }

    fn delete_container(&mut self, name: String) -> Outcome<()> {
        Ok(self.data.delete_container(&name).map_err(error))
    }

    fn container_exists(&mut self, name: String) -> Outcome<bool> {
        Ok(self
            .data
            .container(&name)
            .map(|c| c.is_some())
            .map_err(error))
    }

    fn copy_object(&mut self, src: ObjectId, dest: ObjectId) -> Outcome<()> {
        Ok(match self.data.blob(&src.container, &src.object) {
            Ok(Some(data)) => self
                .data
                .put_blob(&dest.container, &dest.object, data)
                .map_err(error),
            Ok(None) => Err(NO_OBJECT.to_string()),
            Err(err) => Err(error(err)),
        })
    }

    fn move_object(&mut self, src: ObjectId, dest: ObjectId) -> Outcome<()> {
        if let Err(err) = self.copy_object(src.clone(), dest)? {
            return Ok(Err(err));
        }
        Ok(self
            .data
            .delete_blob(&src.container, &src.object)
            .map_err(error))
    }
}
