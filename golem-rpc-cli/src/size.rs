//! A best-effort estimate of the bytes `golem_rpc::import!` adds to a caller, from the names of
//! the functions in its core modules (the `name` section).
//!
//! Code of functions whose symbol mentions the generated module (named after the target
//! package, `demo:counter` → `counter`) is counted for that import, the remaining code of
//! functions mentioning `golem_rpc` as the shared runtime. Code inlined into the caller's own
//! functions is not attributed, and a module renamed with `import!`'s `module:` option is not
//! recognised, hence "estimate".

use serde_json::json;

use crate::report::{Finding, Level, Report};
use crate::section::UsedRecord;
use crate::wasm::{Component, Function};

/// Adds the size notes (and `sizes` JSON data) for a caller to `report`.
pub(crate) fn report(component: &Component, records: &[UsedRecord], report: &mut Report) {
    let functions: Vec<&Function> = component
        .modules
        .iter()
        .flat_map(|m| m.functions.iter())
        .collect();
    let named = functions.iter().any(|f| f.name.is_some());
    let code: u64 = functions.iter().map(|f| f.code_size).sum();
    let modules: u64 = component.modules.iter().map(|m| m.size).sum();

    let mut attributed = vec![false; functions.len()];
    let mut per_record = Vec::new();
    for used in records {
        let module = module_name(&used.record.target);
        let mut bytes = 0;
        for (i, function) in functions.iter().enumerate() {
            if !attributed[i]
                && function
                    .name
                    .as_deref()
                    .is_some_and(|n| mentions(n, &module))
            {
                attributed[i] = true;
                bytes += function.code_size;
            }
        }
        per_record.push((used, module, bytes));
    }
    let runtime: u64 = functions
        .iter()
        .zip(&attributed)
        .filter(|(f, done)| !**done && f.name.as_deref().is_some_and(|n| mentions(n, "golem_rpc")))
        .map(|(f, _)| f.code_size)
        .sum();

    let mut finding = Finding::new(
        Level::Note,
        "size",
        format!(
            "size: {} bytes in all ({} bytes of core modules, {} bytes of function code)",
            component.size, modules, code
        ),
    );
    if !records.is_empty() {
        if named {
            finding = finding.note(format!(
                "golem-rpc runtime, shared by all imports: ~{runtime} bytes of code (functions under `golem_rpc::`)"
            ));
            for (used, module, bytes) in &per_record {
                finding = finding.note(format!(
                    "`{}`: ~{bytes} bytes of code (functions under its module `{module}`) + {} bytes of recorded signatures",
                    used.record.target, used.section_bytes
                ));
            }
            finding = finding.note(
                "estimate from the `name` section: code inlined into the caller's own functions is not attributed",
            );
        } else {
            finding = finding.note(
                "the core module has no `name` section (stripped?), so code cannot be attributed to imports",
            );
        }
    }
    report.push(finding);
    report.data.insert(
        "sizes".into(),
        json!({
            "estimate": true,
            "component": component.size,
            "core_modules": modules,
            "code": code,
            "named": named,
            "runtime_code": runtime,
            "imports": per_record.iter().map(|(used, module, bytes)| json!({
                "target": used.record.target,
                "module": module,
                "code": bytes,
                "section": used.section_bytes,
            })).collect::<Vec<_>>(),
        }),
    );
}

/// The module `import!` generates for a target package by default: `demo:counter@1.0.0` →
/// `counter`.
fn module_name(target: &str) -> String {
    let name = target.split_once(':').map_or(target, |(_, rest)| rest);
    let name = name.split_once('@').map_or(name, |(name, _)| name);
    golem_rpc_codegen::snake(name)
}

/// Whether a symbol has `segment` as a path segment, in a mangled (legacy `_ZN…7counter…` or
/// v0 `_R…7counter…`) or demangled (`…::counter::…`, `<…counter..api…>`) form.
fn mentions(symbol: &str, segment: &str) -> bool {
    let bytes = symbol.as_bytes();
    // `7counter`: a length-prefixed identifier, not the tail of a longer number.
    let prefixed = format!("{}{segment}", segment.len());
    let mangled = symbol
        .match_indices(&prefixed)
        .any(|(at, _)| at == 0 || !bytes[at - 1].is_ascii_digit());
    // `::counter::` or `..counter..` (legacy mangling of paths inside `<…>`), not `my_counter::`.
    let demangled = symbol.match_indices(segment).any(|(at, _)| {
        let rest = &symbol[at + segment.len()..];
        (at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_'))
            && (rest.starts_with("::") || rest.starts_with(".."))
    });
    mangled || demangled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_the_package() {
        assert_eq!(module_name("demo:counter"), "counter");
        assert_eq!(module_name("test:kitchen-sink@0.3.1"), "kitchen_sink");
    }

    #[test]
    fn symbols_mention_path_segments() {
        let yes = [
            (
                "_ZN14counter_caller7counter3api3Api12blocking_get17h873901dabf8da9efE",
                "counter",
            ),
            (
                "_ZN9golem_rpc4call16invoke_and_await17h6e2490b26fce3b52E",
                "golem_rpc",
            ),
            (
                "_ZN4core3ptr43drop_in_place$LT$golem_rpc..call..State$GT$17h8ce18b6ac7cf83bdE",
                "golem_rpc",
            ),
            ("_RNvNtCs1234_9golem_rpc4call6invoke", "golem_rpc"),
            ("counter_caller::counter::api::Api::get", "counter"),
            ("<golem_rpc::codec::Foo as Bar>::x", "golem_rpc"),
        ];
        for (symbol, segment) in yes {
            assert!(mentions(symbol, segment), "{symbol} mentions {segment}");
        }
        let no = [
            (
                "_ZN14counter_caller14counter_worker17h23f64123054f9f98E",
                "counter",
            ),
            ("_ZN9other_rpc4call17h0E", "golem_rpc"),
            ("_ZN17counterfeit_thing3get17h0E", "counter"),
            ("my_counter::x", "counter"),
            ("demo:caller/run#demo", "caller"),
        ];
        for (symbol, segment) in no {
            assert!(
                !mentions(symbol, segment),
                "{symbol} does not mention {segment}"
            );
        }
    }
}
