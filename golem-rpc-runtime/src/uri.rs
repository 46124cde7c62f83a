//! Worker URIs: `urn:worker:{component-id}/{form-urlencoded worker name}`, the only form Golem
//! 1.0/1.1's `wasm-rpc` constructor accepts (protocol.md §6).

use std::fmt;
use std::str::FromStr;

use crate::Uri;

/// The id of a deployed component: a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(u128);

impl ComponentId {
    /// The id with the given 128 bits.
    pub const fn from_u128(bits: u128) -> Self {
        Self(bits)
    }

    /// The id's 128 bits.
    pub const fn as_u128(self) -> u128 {
        self.0
    }

    /// Parses a UUID in its hyphenated form (`a32cabe3-5c88-58ca-9baf-e38e089d8190`) or as
    /// 32 hex digits.
    pub fn parse(text: &str) -> Result<Self, UriError> {
        let canonical = canonical_uuid(text)?;
        let hex: String = canonical.chars().filter(|c| *c != '-').collect();
        u128::from_str_radix(&hex, 16)
            .map(Self)
            .map_err(|_| UriError::InvalidComponentId(text.to_owned()))
    }
}

impl FromStr for ComponentId {
    type Err = UriError;

    fn from_str(text: &str) -> Result<Self, UriError> {
        Self::parse(text)
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// Why a text is not a worker URI.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriError {
    /// Neither `urn:worker:{component-id}/{worker-name}` nor `worker://{component-id}/{worker-name}`.
    NotAWorkerUri(String),
    /// The component id is not a UUID.
    InvalidComponentId(String),
    /// A function URN (`urn:worker:{id}/{name}/{function}`, what golem-rust's `get_self_uri`
    /// returns) where a worker URN is needed.
    FunctionUri(String),
    /// The worker name is empty.
    EmptyWorkerName(String),
    /// `urn:worker:{component-id}` without a worker name where a worker id is needed.
    MissingWorkerName(String),
}

/// Golem's own text for a URI its `wasm-rpc` constructor rejects; our detail follows it.
const GOLEM_INVALID_URI: &str = "Must be urn:worker:component-id/worker-name";

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UriError::NotAWorkerUri(uri) => write!(
                f,
                "Invalid URI: {uri}. {GOLEM_INVALID_URI} (`urn:worker:{{component-id}}/{{worker-name}}` \
                 with a UUID as the component id; build one with `Uri::worker`)"
            ),
            UriError::InvalidComponentId(id) => {
                write!(f, "`{id}` is not a component id: expected a UUID")
            }
            UriError::FunctionUri(uri) => write!(
                f,
                "Invalid URI: {uri}. {GOLEM_INVALID_URI} (it names a function, not a worker: drop \
                 the last `/…` segment; golem_rpc::get_self_uri returns the worker URI)"
            ),
            UriError::EmptyWorkerName(uri) => write!(
                f,
                "Invalid URI: {uri}. {GOLEM_INVALID_URI} (the worker name is empty)"
            ),
            UriError::MissingWorkerName(uri) => write!(
                f,
                "Invalid URI: {uri}. {GOLEM_INVALID_URI} (it names no worker)"
            ),
        }
    }
}

impl std::error::Error for UriError {}

impl Uri {
    /// `urn:worker:{component_id}/{worker_name}`, with the name form-urlencoded as Golem does.
    pub fn worker(component_id: ComponentId, worker_name: &str) -> Uri {
        Uri {
            value: format!("urn:worker:{component_id}/{}", encode_name(worker_name)),
        }
    }

    /// Checks that `text` is a worker URI and returns it in the form Golem accepts.
    ///
    /// Also accepts the pre-1.0 `worker://{component-id}/{worker-name}` form from older docs
    /// (Golem 1.0 rejects it) and normalises it to a URN. `urn:worker:{component-id}` without a
    /// name (Golem 1.1 picks a fresh worker) is accepted as is.
    pub fn parse(text: &str) -> Result<Uri, UriError> {
        let (old_form, rest) = match text.strip_prefix("urn:worker:") {
            Some(rest) => (false, rest),
            None => match text.strip_prefix("worker://") {
                Some(rest) => (true, rest),
                None => return Err(UriError::NotAWorkerUri(text.to_owned())),
            },
        };
        let (component, name) = match rest.split_once('/') {
            Some((component, name)) => (component, Some(name)),
            None => (rest, None),
        };
        // Checked as text (no u128 round trip): this runs for every client a caller creates.
        let component =
            canonical_uuid(component).map_err(|_| UriError::NotAWorkerUri(text.to_owned()))?;
        match name {
            None => Ok(Uri {
                value: format!("urn:worker:{component}"),
            }),
            Some("") => Err(UriError::EmptyWorkerName(text.to_owned())),
            Some(name) if name.contains('/') => Err(UriError::FunctionUri(text.to_owned())),
            // The old form carried the name as is; the URN form carries it form-urlencoded.
            Some(name) if old_form => Ok(Uri {
                value: format!("urn:worker:{component}/{}", encode_name(name)),
            }),
            Some(name) => Ok(Uri {
                value: format!("urn:worker:{component}/{name}"),
            }),
        }
    }

    /// The component id of a worker URI.
    pub fn component_id(&self) -> Result<ComponentId, UriError> {
        let parsed = Uri::parse(&self.value)?;
        let rest = &parsed.value["urn:worker:".len()..];
        ComponentId::parse(rest.split('/').next().unwrap_or_default())
    }

    /// The (decoded) worker name of a worker URI; `None` for `urn:worker:{component-id}`.
    pub fn worker_name(&self) -> Result<Option<String>, UriError> {
        let parsed = Uri::parse(&self.value)?;
        Ok(parsed
            .value
            .split_once('/')
            .map(|(_, name)| decode_name(name)))
    }
}

/// A worker: the id of its component and its name (Golem 1.2's `worker-id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId {
    /// The component the worker runs.
    pub component_id: ComponentId,
    /// The worker's name, unique within its component.
    pub worker_name: String,
}

impl WorkerId {
    /// The worker `worker_name` of component `component_id`.
    pub fn new(component_id: ComponentId, worker_name: &str) -> Self {
        Self {
            component_id,
            worker_name: worker_name.to_owned(),
        }
    }

    /// The worker's URI, `urn:worker:{component-id}/{worker-name}`.
    pub fn uri(&self) -> Uri {
        Uri::worker(self.component_id, &self.worker_name)
    }
}

impl TryFrom<&Uri> for WorkerId {
    type Error = UriError;

    /// The worker a worker URI names.
    fn try_from(uri: &Uri) -> Result<Self, UriError> {
        let component_id = uri.component_id()?;
        let worker_name = uri
            .worker_name()?
            .ok_or_else(|| UriError::MissingWorkerName(uri.value.clone()))?;
        Ok(Self {
            component_id,
            worker_name,
        })
    }
}

impl fmt::Display for WorkerId {
    /// `{component-id}/{worker-name}`, as Golem prints worker ids.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.component_id, self.worker_name)
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// A UUID in its lowercase hyphenated form, from hyphenated or 32-hex-digit text.
fn canonical_uuid(text: &str) -> Result<String, UriError> {
    let invalid = || UriError::InvalidComponentId(text.to_owned());
    let hex: String = match text.len() {
        36 if text
            .char_indices()
            .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-')) =>
        {
            text.chars().filter(|c| *c != '-').collect()
        }
        32 => text.to_owned(),
        _ => return Err(invalid()),
    };
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let hex = hex.to_ascii_lowercase();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// `application/x-www-form-urlencoded` encoding, byte for byte as the `form_urlencoded` crate
/// (which Golem uses) does it: alphanumerics and `*-._` stay, space becomes `+`.
fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The inverse of [`encode_name`]: `+` is a space, `%XX` a byte; invalid escapes stay as they
/// are and invalid UTF-8 is replaced, as `form_urlencoded::parse` does.
fn decode_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `urn:worker:{id}/{name}/{function}` → `urn:worker:{id}/{name}`, normalised.
#[cfg_attr(
    any(feature = "golem-1-2", not(target_family = "wasm")),
    allow(
        dead_code,
        reason = "only Golem 1.0/1.1's get-self-uri returns function URNs"
    )
)]
pub(crate) fn worker_of(function_uri: Uri) -> Uri {
    let worker = match function_uri.value.rsplit_once('/') {
        Some((worker, _)) if worker.matches('/').count() == 1 => worker.to_owned(),
        _ => function_uri.value,
    };
    Uri::parse(&worker).unwrap_or(Uri { value: worker })
}

/// Golem 1.2's and 1.3's records of component and worker ids (`golem:rpc/types@0.2.0`,
/// `@0.2.2`).
#[cfg(feature = "golem-1-2")]
mod golem12 {
    use super::{ComponentId, WorkerId};
    use crate::bindings::golem::rpc::types as rpc;

    pub(crate) fn component_id(id: ComponentId) -> rpc::ComponentId {
        let bits = id.as_u128();
        rpc::ComponentId {
            uuid: rpc::Uuid {
                high_bits: (bits >> 64) as u64,
                low_bits: bits as u64,
            },
        }
    }

    pub(crate) fn from_component_id(id: &rpc::ComponentId) -> ComponentId {
        ComponentId::from_u128((u128::from(id.uuid.high_bits) << 64) | u128::from(id.uuid.low_bits))
    }

    /// What `wasm-rpc`'s constructor takes: Golem 1.2's `worker-id`.
    #[cfg(not(feature = "golem-1-3"))]
    pub(crate) type RpcWorkerId = rpc::WorkerId;

    /// What `wasm-rpc`'s constructor takes: Golem 1.3's `agent-id`, whose agent id is the worker
    /// name for a WIT component.
    #[cfg(feature = "golem-1-3")]
    pub(crate) type RpcWorkerId = rpc::AgentId;

    #[cfg(not(feature = "golem-1-3"))]
    pub(crate) fn worker_id(id: &WorkerId) -> RpcWorkerId {
        rpc::WorkerId {
            component_id: component_id(id.component_id),
            worker_name: id.worker_name.clone(),
        }
    }

    #[cfg(feature = "golem-1-3")]
    pub(crate) fn worker_id(id: &WorkerId) -> RpcWorkerId {
        rpc::AgentId {
            component_id: component_id(id.component_id),
            agent_id: id.worker_name.clone(),
        }
    }

    /// The worker a `wasm-rpc` constructor's record names.
    #[cfg_attr(
        target_family = "wasm",
        allow(dead_code, reason = "the test fakes read it natively")
    )]
    pub(crate) fn from_worker_id(id: &RpcWorkerId) -> WorkerId {
        #[cfg(not(feature = "golem-1-3"))]
        let name = &id.worker_name;
        #[cfg(feature = "golem-1-3")]
        let name = &id.agent_id;
        WorkerId::new(from_component_id(&id.component_id), name)
    }
}

#[cfg(feature = "golem-1-2")]
pub(crate) use golem12::{from_worker_id, worker_id};
// Golem 1.2's ephemeral workers (`Target::ephemeral`, and its fake).
#[cfg(all(feature = "golem-1-2", not(feature = "golem-1-3")))]
pub(crate) use golem12::component_id;
// `resolve-component-id` in a component; natively, 1.2's ephemeral fake.
#[cfg(all(
    feature = "golem-1-2",
    any(target_family = "wasm", not(feature = "golem-1-3"))
))]
pub(crate) use golem12::from_component_id;
// The fakes' `wasm-rpc` constructor.
#[cfg(all(feature = "golem-1-2", not(target_family = "wasm")))]
pub(crate) use golem12::RpcWorkerId;

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "a32cabe3-5c88-58ca-9baf-e38e089d8190";

    #[test]
    fn component_ids_parse_and_print() {
        let id = ComponentId::parse(ID).unwrap();
        assert_eq!(id.to_string(), ID);
        assert_eq!(ComponentId::parse(&ID.replace('-', "")).unwrap(), id);
        assert_eq!(ComponentId::parse(&ID.to_uppercase()).unwrap(), id);
        for bad in [
            "",
            "a32cabe3",
            "a32cabe3-5c88-58ca-9baf-e38e089d819g",
            "a32cabe35-c88-58ca-9baf-e38e089d8190",
        ] {
            assert!(ComponentId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn worker_uris_encode_names_like_golem() {
        let id = ComponentId::parse(ID).unwrap();
        assert_eq!(
            Uri::worker(id, "counter-1").value,
            format!("urn:worker:{ID}/counter-1")
        );
        assert_eq!(
            Uri::worker(id, "a b/c&d=é~").value,
            format!("urn:worker:{ID}/a+b%2Fc%26d%3D%C3%A9%7E")
        );
        let uri = Uri::worker(id, "a b/c&d=é~");
        assert_eq!(uri.worker_name().unwrap().as_deref(), Some("a b/c&d=é~"));
        assert_eq!(uri.component_id().unwrap(), id);
    }

    #[test]
    fn parse_normalises_and_validates() {
        let urn = format!("urn:worker:{ID}/w1");
        assert_eq!(Uri::parse(&urn).unwrap().value, urn);
        assert_eq!(Uri::parse(&format!("worker://{ID}/w1")).unwrap().value, urn);
        assert_eq!(
            Uri::parse(&format!("worker://{ID}/my worker"))
                .unwrap()
                .value,
            format!("urn:worker:{ID}/my+worker")
        );
        assert_eq!(
            Uri::parse(&format!("urn:worker:{ID}")).unwrap().value,
            format!("urn:worker:{ID}")
        );
        assert!(matches!(
            Uri::parse("http://x"),
            Err(UriError::NotAWorkerUri(_))
        ));
        assert!(matches!(
            Uri::parse("urn:worker:nope/w"),
            Err(UriError::NotAWorkerUri(_))
        ));
        assert!(matches!(
            Uri::parse(&format!("urn:worker:{ID}/w/f")),
            Err(UriError::FunctionUri(_))
        ));
        assert!(matches!(
            Uri::parse(&format!("urn:worker:{ID}/")),
            Err(UriError::EmptyWorkerName(_))
        ));
        // Golem's text first, so that searches for it find ours.
        let message = Uri::parse("worker:/x").unwrap_err().to_string();
        assert!(
            message.starts_with(
                "Invalid URI: worker:/x. Must be urn:worker:component-id/worker-name ("
            ),
            "{message}"
        );
    }

    #[test]
    fn decoding_tolerates_bad_escapes() {
        assert_eq!(decode_name("100%"), "100%");
        assert_eq!(decode_name("%zz+%41"), "%zz A");
        assert_eq!(decode_name("%C3%A9"), "é");
        assert_eq!(decode_name("%C3"), "\u{fffd}");
    }

    #[test]
    fn function_urns_become_worker_urns() {
        let id = "a32cabe3-5c88-58ca-9baf-e38e089d8190";
        let uri = |value: String| Uri { value };
        assert_eq!(
            worker_of(uri(format!("urn:worker:{id}/my+worker/golem-rpc"))).value,
            format!("urn:worker:{id}/my+worker")
        );
        assert_eq!(
            worker_of(uri(format!("urn:worker:{id}/w"))).value,
            format!("urn:worker:{id}/w")
        );
    }
}
