//! A worker's oplog, as Golem keeps one (golem-common's `OplogEntry`, the executor's
//! `durable_host` wrappers): what the worker was created with, each invocation with its
//! parameters and idempotency key, the answer of every non-deterministic host call it made, its
//! completion, and the points where the host dropped its state. Replaying the invocations with
//! the recorded answers rebuilds the worker's state in a new host process.
//!
//! Stored one entry per line as JSON: `{"create": …}`, `{"invoke": …}`, `{"host": …}`,
//! `{"complete": …}`, `{"reset": {}}`. `wit-value`s are their node lists, each node a one-key
//! object (`{"u64": 5}`, `{"record": [1, 2]}`, `{"handle": ["urn:worker:…", 3]}`).

use serde_json::{Value as Json, json};

use crate::bindings::golem::rpc0_1_3::types::{RpcError, Uri, WitNode, WitValue};

/// One entry of a worker's oplog.
#[derive(Debug, Clone, PartialEq)]
pub enum OplogEntry {
    /// The worker was created with these arguments and this environment (without Golem's own
    /// variables, which follow from its id and generation).
    Create {
        args: Vec<String>,
        env: Vec<(String, String)>,
    },
    /// An invocation of `function` (Golem's name) with one `wit-value` per parameter.
    Invoke {
        key: String,
        function: String,
        params: Vec<WitValue>,
    },
    /// The answer of the next non-deterministic host call of the invocation (`call` names it).
    Host { call: String, response: Json },
    /// The invocation `key` returned `result` (its results as one tuple `wit-value`).
    Complete { key: String, result: WitValue },
    /// The host dropped the worker's instance after a failed invocation: its state starts anew
    /// (replay starts after the last reset).
    Reset,
}

impl OplogEntry {
    /// The entry as one line of JSON (without the newline).
    pub fn to_line(&self) -> String {
        // The entries written for every call are written directly (no JSON tree in between):
        // the oplog's cost is on every invocation and host call.
        let mut line = String::with_capacity(160);
        match self {
            OplogEntry::Create { args, env } => {
                let value = json!({"create": {
                    "args": args,
                    "env": env.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                }});
                line.push_str(&value.to_string());
            }
            OplogEntry::Invoke {
                key,
                function,
                params,
            } => {
                line.push_str("{\"invoke\":{\"key\":");
                push_string(&mut line, key);
                line.push_str(",\"function\":");
                push_string(&mut line, function);
                line.push_str(",\"params\":[");
                for (i, param) in params.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    push_wit_value(&mut line, param);
                }
                line.push_str("]}}");
            }
            OplogEntry::Host { call, response } => {
                line.push_str("{\"host\":{\"call\":");
                push_string(&mut line, call);
                line.push_str(",\"response\":");
                line.push_str(&response.to_string());
                line.push_str("}}");
            }
            OplogEntry::Complete { key, result } => {
                line.push_str("{\"complete\":{\"key\":");
                push_string(&mut line, key);
                line.push_str(",\"result\":");
                push_wit_value(&mut line, result);
                line.push_str("}}");
            }
            OplogEntry::Reset => line.push_str("{\"reset\":{}}"),
        }
        line
    }

    /// Parses a line written by [`OplogEntry::to_line`].
    pub fn from_line(line: &str) -> Result<OplogEntry, String> {
        let value: Json = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let (kind, body) = value
            .as_object()
            .and_then(|o| o.iter().next())
            .ok_or("an oplog entry is an object with one key")?;
        let text = |key: &str| -> Result<String, String> {
            body[key]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("{kind}: `{key}` is not a string"))
        };
        Ok(match kind.as_str() {
            "create" => OplogEntry::Create {
                args: strings(&body["args"])?,
                env: body["env"]
                    .as_array()
                    .ok_or("create: `env` is not a list")?
                    .iter()
                    .map(|pair| match strings(pair)?.as_slice() {
                        [k, v] => Ok((k.clone(), v.clone())),
                        _ => Err("create: an `env` entry is not a pair".to_string()),
                    })
                    .collect::<Result<_, _>>()?,
            },
            "invoke" => OplogEntry::Invoke {
                key: text("key")?,
                function: text("function")?,
                params: body["params"]
                    .as_array()
                    .ok_or("invoke: `params` is not a list")?
                    .iter()
                    .map(wit_value_from_json)
                    .collect::<Result<_, _>>()?,
            },
            "host" => OplogEntry::Host {
                call: text("call")?,
                response: body["response"].clone(),
            },
            "complete" => OplogEntry::Complete {
                key: text("key")?,
                result: wit_value_from_json(&body["result"])?,
            },
            "reset" => OplogEntry::Reset,
            other => return Err(format!("unknown oplog entry `{other}`")),
        })
    }
}

fn strings(value: &Json) -> Result<Vec<String>, String> {
    value
        .as_array()
        .ok_or("expected a list of strings")?
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or("expected a string"))
        .collect::<Result<_, _>>()
        .map_err(str::to_string)
}

/// One recorded invocation, as a replay needs it.
pub(crate) struct RecordedInvocation {
    pub(crate) key: String,
    pub(crate) function: String,
    pub(crate) params: Vec<WitValue>,
    /// Its host calls' answers, in order.
    pub(crate) answers: std::collections::VecDeque<(String, Json)>,
    /// Whether it completed (else the host died while it ran: a replay resumes it).
    pub(crate) completed: bool,
}

/// The invocations since the last reset, in order: what rebuilds the worker's state.
pub(crate) fn invocations_to_replay(entries: &[OplogEntry]) -> Vec<RecordedInvocation> {
    let start = entries
        .iter()
        .rposition(|e| matches!(e, OplogEntry::Reset))
        .map_or(0, |reset| reset + 1);
    let mut invocations: Vec<RecordedInvocation> = Vec::new();
    for entry in &entries[start..] {
        match entry {
            OplogEntry::Invoke {
                key,
                function,
                params,
            } => invocations.push(RecordedInvocation {
                key: key.clone(),
                function: function.clone(),
                params: params.clone(),
                answers: Default::default(),
                completed: false,
            }),
            OplogEntry::Host { call, response } => {
                if let Some(current) = invocations.last_mut() {
                    current.answers.push_back((call.clone(), response.clone()));
                }
            }
            OplogEntry::Complete { key, .. } => {
                if let Some(done) = invocations.iter_mut().rev().find(|i| &i.key == key) {
                    done.completed = true;
                }
            }
            OplogEntry::Create { .. } | OplogEntry::Reset => {}
        }
    }
    invocations
}

/// An RPC call's answer as JSON: `{"ok": wit-value}` or `{"err": {"kind": …, "message": …}}`.
pub(crate) fn rpc_result_to_json(result: &Result<WitValue, RpcError>) -> Json {
    match result {
        Ok(value) => json!({ "ok": wit_value_to_json(value) }),
        Err(err) => {
            let (kind, message) = match err {
                RpcError::ProtocolError(m) => ("protocol-error", m),
                RpcError::Denied(m) => ("denied", m),
                RpcError::NotFound(m) => ("not-found", m),
                RpcError::RemoteInternalError(m) => ("remote-internal-error", m),
            };
            json!({ "err": { "kind": kind, "message": message } })
        }
    }
}

/// The answer [`rpc_result_to_json`] wrote.
pub(crate) fn rpc_result_from_json(value: &Json) -> Result<Result<WitValue, RpcError>, String> {
    if let Some(ok) = value.get("ok") {
        return wit_value_from_json(ok).map(Ok);
    }
    let err = value.get("err").ok_or("an RPC answer is `ok` or `err`")?;
    let message = err["message"].as_str().unwrap_or_default().to_string();
    Ok(Err(match err["kind"].as_str() {
        Some("protocol-error") => RpcError::ProtocolError(message),
        Some("denied") => RpcError::Denied(message),
        Some("not-found") => RpcError::NotFound(message),
        Some("remote-internal-error") => RpcError::RemoteInternalError(message),
        other => return Err(format!("unknown RPC error kind {other:?}")),
    }))
}

/// A `wit-value` as JSON: its node list.
pub fn wit_value_to_json(value: &WitValue) -> Json {
    Json::Array(value.nodes.iter().map(node_to_json).collect())
}

/// The `wit-value` [`wit_value_to_json`] wrote.
pub fn wit_value_from_json(value: &Json) -> Result<WitValue, String> {
    let nodes = value
        .as_array()
        .ok_or("a wit-value is a list of nodes")?
        .iter()
        .map(node_from_json)
        .collect::<Result<_, _>>()?;
    Ok(WitValue { nodes })
}

fn push_string(line: &mut String, text: &str) {
    line.push_str(&Json::from(text).to_string());
}

/// [`wit_value_to_json`]'s text, written directly.
fn push_wit_value(line: &mut String, value: &WitValue) {
    use std::fmt::Write as _;
    line.push('[');
    for (i, node) in value.nodes.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        // Writing to a String cannot fail.
        let _ = match node {
            WitNode::PrimU8(v) => write!(line, "{{\"u8\":{v}}}"),
            WitNode::PrimU16(v) => write!(line, "{{\"u16\":{v}}}"),
            WitNode::PrimU32(v) => write!(line, "{{\"u32\":{v}}}"),
            WitNode::PrimU64(v) => write!(line, "{{\"u64\":{v}}}"),
            WitNode::PrimS8(v) => write!(line, "{{\"s8\":{v}}}"),
            WitNode::PrimS16(v) => write!(line, "{{\"s16\":{v}}}"),
            WitNode::PrimS32(v) => write!(line, "{{\"s32\":{v}}}"),
            WitNode::PrimS64(v) => write!(line, "{{\"s64\":{v}}}"),
            WitNode::PrimBool(v) => write!(line, "{{\"bool\":{v}}}"),
            WitNode::TupleValue(children) if children.is_empty() => {
                line.push_str("{\"tuple\":[]}");
                Ok(())
            }
            other => {
                line.push_str(&node_to_json(other).to_string());
                Ok(())
            }
        };
    }
    line.push(']');
}

fn node_to_json(node: &WitNode) -> Json {
    match node {
        WitNode::RecordValue(children) => json!({ "record": children }),
        WitNode::VariantValue((case, child)) => json!({ "variant": [case, child] }),
        WitNode::EnumValue(case) => json!({ "enum": case }),
        WitNode::FlagsValue(flags) => json!({ "flags": flags }),
        WitNode::TupleValue(children) => json!({ "tuple": children }),
        WitNode::ListValue(children) => json!({ "list": children }),
        WitNode::OptionValue(child) => json!({ "option": child }),
        WitNode::ResultValue(Ok(child)) => json!({ "ok": child }),
        WitNode::ResultValue(Err(child)) => json!({ "err": child }),
        WitNode::PrimU8(v) => json!({ "u8": v }),
        WitNode::PrimU16(v) => json!({ "u16": v }),
        WitNode::PrimU32(v) => json!({ "u32": v }),
        WitNode::PrimU64(v) => json!({ "u64": v }),
        WitNode::PrimS8(v) => json!({ "s8": v }),
        WitNode::PrimS16(v) => json!({ "s16": v }),
        WitNode::PrimS32(v) => json!({ "s32": v }),
        WitNode::PrimS64(v) => json!({ "s64": v }),
        // Floats by their bits: NaN payloads and -0.0 survive.
        WitNode::PrimFloat32(v) => json!({ "f32": v.to_bits() }),
        WitNode::PrimFloat64(v) => json!({ "f64": v.to_bits() }),
        WitNode::PrimChar(v) => json!({ "char": u32::from(*v) }),
        WitNode::PrimBool(v) => json!({ "bool": v }),
        WitNode::PrimString(v) => json!({ "string": v }),
        WitNode::Handle((uri, id)) => json!({ "handle": [uri.value, id] }),
    }
}

fn node_from_json(value: &Json) -> Result<WitNode, String> {
    let (kind, body) = value
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or("a wit-value node is an object with one key")?;
    let bad = || format!("bad `{kind}` node: {body}");
    let u64_of = |v: &Json| v.as_u64().ok_or_else(bad);
    let i64_of = |v: &Json| v.as_i64().ok_or_else(bad);
    let index = |v: &Json| -> Result<i32, String> {
        v.as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(bad)
    };
    let indices = |v: &Json| -> Result<Vec<i32>, String> {
        v.as_array().ok_or_else(bad)?.iter().map(index).collect()
    };
    let optional = |v: &Json| -> Result<Option<i32>, String> {
        if v.is_null() {
            Ok(None)
        } else {
            index(v).map(Some)
        }
    };
    let narrow = |v: &Json| -> Result<u64, String> { u64_of(v) };
    Ok(match kind.as_str() {
        "record" => WitNode::RecordValue(indices(body)?),
        "variant" => match body.as_array().map(Vec::as_slice) {
            Some([case, child]) => WitNode::VariantValue((
                u32::try_from(u64_of(case)?).map_err(|_| bad())?,
                optional(child)?,
            )),
            _ => return Err(bad()),
        },
        "enum" => WitNode::EnumValue(u32::try_from(u64_of(body)?).map_err(|_| bad())?),
        "flags" => WitNode::FlagsValue(
            body.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|f| f.as_bool().ok_or_else(bad))
                .collect::<Result<_, _>>()?,
        ),
        "tuple" => WitNode::TupleValue(indices(body)?),
        "list" => WitNode::ListValue(indices(body)?),
        "option" => WitNode::OptionValue(optional(body)?),
        "ok" => WitNode::ResultValue(Ok(optional(body)?)),
        "err" => WitNode::ResultValue(Err(optional(body)?)),
        "u8" => WitNode::PrimU8(u8::try_from(narrow(body)?).map_err(|_| bad())?),
        "u16" => WitNode::PrimU16(u16::try_from(narrow(body)?).map_err(|_| bad())?),
        "u32" => WitNode::PrimU32(u32::try_from(narrow(body)?).map_err(|_| bad())?),
        "u64" => WitNode::PrimU64(u64_of(body)?),
        "s8" => WitNode::PrimS8(i8::try_from(i64_of(body)?).map_err(|_| bad())?),
        "s16" => WitNode::PrimS16(i16::try_from(i64_of(body)?).map_err(|_| bad())?),
        "s32" => WitNode::PrimS32(i32::try_from(i64_of(body)?).map_err(|_| bad())?),
        "s64" => WitNode::PrimS64(i64_of(body)?),
        "f32" => WitNode::PrimFloat32(f32::from_bits(
            u32::try_from(u64_of(body)?).map_err(|_| bad())?,
        )),
        "f64" => WitNode::PrimFloat64(f64::from_bits(u64_of(body)?)),
        "char" => WitNode::PrimChar(
            u32::try_from(u64_of(body)?)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(bad)?,
        ),
        "bool" => WitNode::PrimBool(body.as_bool().ok_or_else(bad)?),
        "string" => WitNode::PrimString(body.as_str().ok_or_else(bad)?.to_string()),
        "handle" => match body.as_array().map(Vec::as_slice) {
            Some([uri, id]) => WitNode::Handle((
                Uri {
                    value: uri.as_str().ok_or_else(bad)?.to_string(),
                },
                u64_of(id)?,
            )),
            _ => return Err(bad()),
        },
        other => return Err(format!("unknown wit-value node `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_and_node_survives_a_line() {
        let value = WitValue {
            nodes: vec![
                WitNode::TupleValue(vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
                WitNode::PrimFloat64(-0.0),
                WitNode::PrimFloat32(f32::NAN),
                WitNode::PrimChar('é'),
                WitNode::PrimString("line\nbreak \"q\"".into()),
                WitNode::ResultValue(Err(None)),
                WitNode::VariantValue((2, Some(7))),
                WitNode::PrimS64(i64::MIN),
                WitNode::FlagsValue(vec![true, false]),
                WitNode::OptionValue(None),
                WitNode::Handle((
                    Uri {
                        value: "urn:worker:x/y".into(),
                    },
                    u64::MAX,
                )),
                WitNode::EnumValue(3),
                WitNode::PrimU8(255),
            ],
        };
        for entry in [
            OplogEntry::Create {
                args: vec!["a".into()],
                env: vec![("K".into(), "V".into())],
            },
            OplogEntry::Invoke {
                key: "k".into(),
                function: "a:b/c.{d}".into(),
                params: vec![value.clone()],
            },
            OplogEntry::Host {
                call: "wasi:random/random.get-random-u64".into(),
                response: json!(42),
            },
            OplogEntry::Complete {
                key: "k".into(),
                result: value.clone(),
            },
            OplogEntry::Reset,
        ] {
            let line = entry.to_line();
            assert!(!line.contains('\n'), "{line}");
            let back = OplogEntry::from_line(&line).unwrap();
            // NaN is not equal to itself: compare the lines.
            assert_eq!(back.to_line(), line);
        }
    }
}
