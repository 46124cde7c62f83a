//! Golem's real executor as the oracle: the scenarios of `tests/oracle/corpus.json` were run on
//! Golem's own worker executor (v1.2.0, built from its sources, through its executor test
//! framework) with components built from this repository, and what it answered is recorded in
//! `tests/oracle/golem-1.2.0.json`. Here every scenario runs again through the local host, with
//! the same components, and each step's answer must be Golem's: results as WAVE and errors as
//! Golem's text, after the stated normalisation (component ids → `{id:NAME}`, other UUIDs →
//! `{uuid}`); a step marked `"compare": "any"` only has to succeed or fail as it did on Golem
//! (an oplog index, which depends on Golem's oplog), one marked `"compare": "error"` only has to
//! fail (a trap: Golem's text is wasmtime's, with the build's backtrace offsets; the host's also
//! names the function and worker); a step marked `"divergence"` is a known difference, listed
//! with its reason in the README, and is checked to still differ. `corpus-1.1.json` and
//! `golem-1.1.16.json` are the same for Golem 1.1.16 and components built for Golem 1.0/1.1.
//!
//! With `GOLEM_RPC_ORACLE_EXPORT=DIR` the components are also copied to
//! `DIR/golem-rpc-{key}.wasm`, the names the recording used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use golem_rpc_host::Host;
use serde_json::Value as Json;

fn read_json(path: &Path) -> Json {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("oracle")
}

/// The corpus's components, built once: key → `.wasm`.
fn components(corpus: &Json) -> BTreeMap<String, PathBuf> {
    let mut built = BTreeMap::new();
    for (key, spec) in corpus["components"].as_object().expect("components") {
        let package = spec["package"].as_str().expect("package");
        let features: Vec<&str> = spec["features"]
            .as_array()
            .map(|f| f.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let path = if features.is_empty() {
            golem_rpc_host::build::build_component(package, true)
        } else {
            golem_rpc_host::build::build_component_with_features(package, &features)
        }
        .unwrap_or_else(|e| panic!("building {package}: {e:#}"));
        built.insert(key.clone(), path);
    }
    if let Some(dir) = std::env::var_os("GOLEM_RPC_ORACLE_EXPORT") {
        for (key, path) in &built {
            let to = Path::new(&dir).join(format!("golem-rpc-{key}.wasm"));
            std::fs::copy(path, &to).unwrap_or_else(|e| panic!("copying to {}: {e}", to.display()));
        }
    }
    built
}

/// Component ids and names, saved results: what a scenario's text refers to.
#[derive(Default)]
struct Names {
    ids: BTreeMap<String, String>,
    names: BTreeMap<String, String>,
    vars: BTreeMap<String, String>,
}

impl Names {
    fn substitute(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (alias, id) in &self.ids {
            text = text.replace(&format!("{{id:{alias}}}"), id);
        }
        for (alias, name) in &self.names {
            text = text.replace(&format!("{{name:{alias}}}"), name);
        }
        for (var, value) in &self.vars {
            text = text.replace(&format!("{{var:{var}}}"), value);
        }
        text
    }

    /// The recording's normalisation: known component ids by name, any other UUID as `{uuid}`.
    fn normalise(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (alias, id) in &self.ids {
            text = text.replace(id.as_str(), &format!("{{id:{alias}}}"));
        }
        replace_uuids(&text)
    }
}

/// Every UUID-shaped substring (8-4-4-4-12 hex digits) replaced by `{uuid}`.
fn replace_uuids(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_uuid = |i: usize| {
        bytes.len() >= i + 36
            && bytes[i..i + 36].iter().enumerate().all(|(j, b)| match j {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if is_uuid(i) {
            out.push_str("{uuid}");
            i += 36;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// One step through the local host: `{"ok": WAVE or null}` or `{"error": text}`, as recorded.
fn run_step(host: &Host, names: &mut Names, step: &Json) -> Json {
    let strings = |key: &str| -> Vec<String> {
        step[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| names.substitute(v.as_str().expect("a string")))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(ms) = step.get("sleep-ms") {
        std::thread::sleep(std::time::Duration::from_millis(ms.as_u64().unwrap()));
        return serde_json::json!({"ok": null});
    }
    if let Some(target) = step.get("start").and_then(Json::as_str) {
        let (alias, worker) = target.split_once('/').expect("component/worker");
        let env: Vec<(String, String)> = step["env"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), names.substitute(v.as_str().unwrap())))
                    .collect()
            })
            .unwrap_or_default();
        return match host.start_worker(&names.names[alias], worker, &strings("args"), &env) {
            Ok(()) => serde_json::json!({"ok": null}),
            Err(e) => serde_json::json!({"error": names.normalise(&format!("{e:#}"))}),
        };
    }
    let target = step["invoke"].as_str().expect("invoke");
    let (alias, worker) = target.split_once('/').expect("component/worker");
    let function = step["function"].as_str().expect("function");
    match host.call_wave(&names.names[alias], worker, function, &strings("params")) {
        Ok(results) => {
            if let (Some(var), [one]) = (step.get("save").and_then(Json::as_str), &results[..]) {
                names.vars.insert(var.to_string(), one.clone());
            }
            // Golem's typed answer: the tuple of the function's results.
            serde_json::json!({"ok": names.normalise(&format!("({})", results.join(", ")))})
        }
        Err(e) => serde_json::json!({"error": names.normalise(&format!("{e:#}"))}),
    }
}

#[test]
fn every_recorded_step_answers_as_golem_1_2_0_did() {
    replay("corpus.json", "golem-1.2.0.json");
}

/// Golem 1.1.16's executor, with components built for Golem 1.0/1.1 (`golem:rpc@0.1.0`).
#[test]
fn every_recorded_step_answers_as_golem_1_1_16_did() {
    replay("corpus-1.1.json", "golem-1.1.16.json");
}

/// Runs the scenarios of `corpus` through the local host and compares each step's answer with
/// the one `transcript` recorded.
fn replay(corpus: &str, transcript: &str) {
    let corpus = read_json(&oracle_dir().join(corpus));
    let transcript = read_json(&oracle_dir().join(transcript));
    let built = components(&corpus);
    let recorded: BTreeMap<&str, &Json> = transcript["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s))
        .collect();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for scenario in corpus["scenarios"].as_array().expect("scenarios") {
        let name = scenario["name"].as_str().unwrap();
        let golem = recorded
            .get(name)
            .unwrap_or_else(|| panic!("scenario {name} has no recording"));
        let host = Host::new().unwrap();
        host.set_output(golem_rpc_host::Output::Capture);
        let mut names = Names::default();
        for load in scenario["load"].as_array().unwrap() {
            let alias = load["as"].as_str().unwrap();
            // Loaded under the name Golem's test framework stored it under.
            let stored = golem["components"][alias].as_str().unwrap_or(alias);
            let wasm = &built[load["component"].as_str().unwrap()];
            let id = if load["ephemeral"].as_bool().unwrap_or(false) {
                host.add_ephemeral_component_file(stored, wasm)
            } else {
                host.add_component_file(stored, wasm)
            }
            .unwrap_or_else(|e| panic!("{name}: loading {alias}: {e:#}"));
            names.ids.insert(alias.to_string(), id.to_string());
            names.names.insert(alias.to_string(), stored.to_string());
        }
        let steps = scenario["steps"].as_array().unwrap();
        let answers = golem["steps"].as_array().unwrap();
        assert_eq!(steps.len(), answers.len(), "{name}: recorded steps");
        for (i, (step, expected)) in steps.iter().zip(answers).enumerate() {
            let actual = run_step(&host, &mut names, step);
            let same = match step.get("compare").and_then(Json::as_str) {
                Some("any") => actual.get("ok").is_some() == expected.get("ok").is_some(),
                Some("error") => actual.get("error").is_some() && expected.get("error").is_some(),
                _ => actual == *expected,
            };
            compared += 1;
            let diverges = step.get("divergence").is_some();
            if same == diverges {
                mismatches.push(format!(
                    "{name} step {i} {step}:\n    golem: {expected}\n    local: {actual}{}",
                    if diverges {
                        " (listed as a divergence, but now the same: drop the mark)"
                    } else {
                        ""
                    }
                ));
            }
        }
        host.shutdown(std::time::Duration::from_secs(1));
    }
    assert!(compared >= 60, "only {compared} steps compared");
    println!("{compared} steps compared");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} steps differ from Golem's answers:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
