//! Worker URIs and component ids.
//!
//! Golem 1.0 addresses a worker as `urn:worker:{component-uuid}/{form-urlencoded worker name}`
//! (protocol.md §6). Parsing follows `golem-common`'s `WorkerOrFunctionUrn`: the `urn:` prefix is
//! required, the resource type (`worker`) is case-insensitive, the name is split on the first `/`,
//! the component part must be a UUID and the worker name is form-urlencoded (`+` is a space). A
//! function URN (a third `/` segment, as returned by `get-self-uri`) and the pre-1.0 `worker://`
//! form are rejected. A URN without a worker name addresses an ephemeral component (Golem 1.1,
//! [`parse_target_uri`]).

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// The UUID namespace under which component ids are derived from component names.
pub const COMPONENT_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6f2a_4c1e_3b7d_4e0a_9c55_1d2e_8f7a_9b30);

/// The component id this host gives a component loaded under `name`: UUID v5 of the name.
pub fn component_id(name: &str) -> Uuid {
    Uuid::new_v5(&COMPONENT_ID_NAMESPACE, name.as_bytes())
}

/// The environment variable that carries the id of component `name` (`{NAME}_COMPONENT_ID`).
pub fn component_id_env_var(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{upper}_COMPONENT_ID")
}

/// The identity of a worker: its component and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId {
    /// The id of the component the worker runs.
    pub component_id: Uuid,
    /// The worker's name (decoded, not urlencoded).
    pub worker_name: String,
}

impl WorkerId {
    /// A worker id from its parts.
    pub fn new(component_id: Uuid, worker_name: impl Into<String>) -> Self {
        Self {
            component_id,
            worker_name: worker_name.into(),
        }
    }

    /// The worker's URI: `urn:worker:{component-uuid}/{form-urlencoded name}`.
    pub fn uri(&self) -> String {
        format!(
            "urn:worker:{}/{}",
            self.component_id,
            urlencode(&self.worker_name)
        )
    }

    /// The URN of function `function_name` of this worker, as Golem 1.0's `get-self-uri` returns
    /// it: `urn:worker:{component-uuid}/{form-urlencoded name}/{form-urlencoded function name}`.
    ///
    /// It names a function, so it cannot be used as an RPC target ([`parse_worker_uri`] rejects
    /// it, as Golem's `wasm-rpc` constructor does).
    pub fn function_uri(&self, function_name: &str) -> String {
        format!("{}/{}", self.uri(), urlencode(function_name))
    }
}

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri())
    }
}

impl FromStr for WorkerId {
    type Err = InvalidUri;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_worker_uri(s)
    }
}

/// A location that is not a Golem 1.0 worker URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUri {
    /// The rejected text.
    pub uri: String,
    /// Why it was rejected (printed after Golem's error text).
    pub reason: String,
}

impl fmt::Display for InvalidUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Golem's text, then why.
        write!(
            f,
            "Invalid URI: {}. Must be urn:worker:component-id/worker-name ({})",
            self.uri, self.reason
        )
    }
}

impl std::error::Error for InvalidUri {}

/// Parses a worker URN the way Golem 1.0's `wasm-rpc` constructor does.
pub fn parse_worker_uri(uri: &str) -> Result<WorkerId, InvalidUri> {
    match parse_target_uri(uri)? {
        (component_id, Some(worker_name)) => Ok(WorkerId {
            component_id,
            worker_name,
        }),
        (_, None) => Err(InvalidUri {
            uri: uri.to_string(),
            reason: "worker name expected".to_string(),
        }),
    }
}

/// Parses an RPC target the way Golem 1.1's `wasm-rpc` constructor does: a worker URN, or
/// `urn:worker:{component-id}` without a worker name (an ephemeral component), which gives
/// `(component-id, None)`.
pub fn parse_target_uri(uri: &str) -> Result<(Uuid, Option<String>), InvalidUri> {
    let invalid = |reason: &str| InvalidUri {
        uri: uri.to_string(),
        reason: reason.to_string(),
    };
    let rest = uri
        .strip_prefix("urn:")
        .ok_or_else(|| invalid("'urn:' prefix expected"))?;
    let (resource_type, resource_name) = rest
        .split_once(':')
        .ok_or_else(|| invalid("resource name expected"))?;
    if resource_type.is_empty() {
        return Err(invalid("empty resource type"));
    }
    if !resource_type.eq_ignore_ascii_case("worker") {
        return Err(invalid("URN of type worker expected"));
    }
    let (component, worker) = match resource_name.split_once('/') {
        Some((component, worker)) => (component, Some(worker)),
        None => (resource_name, None),
    };
    if worker.is_some_and(|worker| worker.contains('/')) {
        return Err(invalid("function URNs cannot be used as RPC targets"));
    }
    let component_id =
        Uuid::parse_str(component).map_err(|err| invalid(&format!("can't parse UUID: {err}")))?;
    let worker_name = match worker.map(urldecode) {
        Some(name) if name.is_empty() => return Err(invalid("worker name expected")),
        name => name,
    };
    Ok((component_id, worker_name))
}

/// Form-urlencodes a worker name, as Golem does when it prints URNs.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Decodes a form-urlencoded worker name exactly like `golem-common`'s `urldecode`
/// (`&`-separated pairs are re-joined without the `&`; `k=v` keeps its `=` unless `v` is empty).
pub fn urldecode(s: &str) -> String {
    form_urlencoded::parse(s.as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "679ae459-8700-41d9-920c-7e2887459c94";

    #[test]
    fn parses_worker_urn() {
        let id = parse_worker_uri(&format!("urn:worker:{ID}/my-worker")).unwrap();
        assert_eq!(id.component_id.to_string(), ID);
        assert_eq!(id.worker_name, "my-worker");
    }

    #[test]
    fn resource_type_is_case_insensitive() {
        let id = parse_worker_uri(&format!("urn:Worker:{ID}/w")).unwrap();
        assert_eq!(id.worker_name, "w");
    }

    #[test]
    fn decodes_form_urlencoded_names() {
        let id = parse_worker_uri(&format!("urn:worker:{ID}/a+b%2Fc%26d")).unwrap();
        assert_eq!(id.worker_name, "a b/c&d");
        // A literal `&` separates form pairs and is lost, as in Golem.
        let id = parse_worker_uri(&format!("urn:worker:{ID}/a&b")).unwrap();
        assert_eq!(id.worker_name, "ab");
    }

    #[test]
    fn round_trips_through_uri() {
        let id = WorkerId::new(Uuid::parse_str(ID).unwrap(), "name with spaces/and+slash");
        let uri = id.uri();
        assert_eq!(
            uri,
            format!("urn:worker:{ID}/name+with+spaces%2Fand%2Bslash")
        );
        assert_eq!(parse_worker_uri(&uri).unwrap(), id);
    }

    #[test]
    fn function_uri_encodes_both_names() {
        let id = WorkerId::new(Uuid::parse_str(ID).unwrap(), "w 1");
        assert_eq!(
            id.function_uri("test:trap/api.{ok}"),
            format!("urn:worker:{ID}/w+1/test%3Atrap%2Fapi.%7Bok%7D")
        );
        assert!(parse_worker_uri(&id.function_uri("f")).is_err());
    }

    #[test]
    fn a_target_may_omit_the_worker_name() {
        let id = Uuid::parse_str(ID).unwrap();
        assert_eq!(
            parse_target_uri(&format!("urn:worker:{ID}")).unwrap(),
            (id, None)
        );
        assert_eq!(
            parse_target_uri(&format!("urn:worker:{ID}/a+b")).unwrap(),
            (id, Some("a b".to_string()))
        );
        assert!(parse_target_uri(&format!("urn:worker:{ID}/")).is_err());
    }

    #[test]
    fn rejects_other_forms() {
        for uri in [
            format!("worker://{ID}/w"),
            format!("urn:worker:{ID}/w/fn"),
            format!("urn:worker:{ID}"),
            format!("urn:worker:{ID}/"),
            format!("urn:component:{ID}/w"),
            "urn:worker:not-a-uuid/w".to_string(),
            "urn:worker".to_string(),
            "urn::x/w".to_string(),
            String::new(),
        ] {
            let err = parse_worker_uri(&uri).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!(
                    "Invalid URI: {uri}. Must be urn:worker:component-id/worker-name ("
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn component_ids_are_stable_v5() {
        let a = component_id("counter");
        assert_eq!(a, component_id("counter"));
        assert_ne!(a, component_id("other"));
        assert_eq!(a.get_version_num(), 5);
        assert_eq!(
            component_id_env_var("my-counter"),
            "MY_COUNTER_COMPONENT_ID"
        );
    }
}
