//! The call syntax of `golem-rpc-host run` and `repl`: `NAME/WORKER FUNCTION(ARG, ARG, …)`.
//!
//! `NAME` is a loaded component, `WORKER` a worker name (left out — `NAME FUNCTION(…)` — for a
//! fresh worker named by a new UUID, as Golem does; the way to call an ephemeral component), `FUNCTION` a Golem function name
//! (`demo:counter/api.{add}` or a bare world-level name) and each `ARG` a WAVE value. Results are
//! printed as WAVE: one value as itself, none as `()`, several as a tuple `(a, b)`.

use anyhow::{anyhow, bail};

use crate::Host;

/// One parsed call line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    /// `NAME/WORKER` or `NAME`.
    pub target: String,
    /// The Golem function name.
    pub function: String,
    /// The arguments' WAVE texts.
    pub args: Vec<String>,
}

/// Parses `NAME/WORKER FUNCTION(ARG, …)`; `Ok(None)` for an empty line or a `#` comment.
pub fn parse_line(line: &str) -> anyhow::Result<Option<CallLine>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let Some((target, call)) = line.split_once(char::is_whitespace) else {
        bail!("expected `NAME/WORKER FUNCTION(ARG, …)`, got {line:?}");
    };
    let call = call.trim();
    let open = function_end(call).ok_or_else(|| {
        anyhow!("expected `FUNCTION(ARG, …)` after {target:?}, got {call:?}: the argument list is missing")
    })?;
    let Some(inner) = call[open..]
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
    else {
        bail!("the argument list of {call:?} must end the line with `)`");
    };
    let function = call[..open].trim();
    if function.is_empty() {
        bail!("no function name before `(` in {call:?}");
    }
    Ok(Some(CallLine {
        target: target.to_string(),
        function: function.to_string(),
        args: split_args(inner)?,
    }))
}

/// The byte index of the `(` that opens the argument list: the first one outside `{…}` (Golem
/// function names may contain parentheses inside braces, e.g. `api.{counter("a").get}`).
fn function_end(call: &str) -> Option<usize> {
    let mut braces = 0usize;
    for (i, c) in call.char_indices() {
        match c {
            '{' => braces += 1,
            '}' => braces = braces.saturating_sub(1),
            '(' if braces == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Splits WAVE arguments on the commas that are not inside brackets, strings or chars.
fn split_args(text: &str) -> anyhow::Result<Vec<String>> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                // Skip to the closing quote, honouring escapes.
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        d if d == c => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if !closed {
                    bail!("unterminated {c} literal in the arguments {text:?}");
                }
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| anyhow!("unbalanced `{c}` in the arguments {text:?}"))?;
            }
            ',' if depth == 0 => {
                args.push(text[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        bail!("unclosed bracket in the arguments {text:?}");
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        args.push(last.to_string());
    } else if !args.is_empty() {
        bail!("an argument is missing after the last `,` in {text:?}");
    }
    if args.iter().any(String::is_empty) {
        bail!("an argument is empty in {text:?}");
    }
    Ok(args)
}

/// Calls `function` with WAVE `args` on `target` (`NAME/WORKER`, or `NAME` for a fresh worker
/// named by a new UUID) and returns the results as WAVE, one per result.
pub fn call(
    host: &Host,
    target: &str,
    function: &str,
    args: &[impl AsRef<str>],
) -> anyhow::Result<Vec<String>> {
    let (component, worker) = match target.split_once('/') {
        Some((component, worker)) if !worker.is_empty() => (component, worker.to_string()),
        Some(_) => bail!("the worker name in {target:?} is empty"),
        // Like Golem's invocation API without a worker name: a new worker named by a UUID.
        None => (target, uuid::Uuid::new_v4().to_string()),
    };
    host.call_wave(component, &worker, function, args)
        .map_err(|err| match host.function_names(component) {
            // Golem's text, and what the component does export.
            Ok(names) if !names.iter().any(|n| n == function) => {
                anyhow::anyhow!("{err:#}; {component} exports: {}", names.join(", "))
            }
            _ => err,
        })
}

/// Runs one repl line: the results as one line of WAVE, `error: …` for a failed call, `None` for
/// an empty line or a comment.
pub fn line(host: &Host, line: &str) -> Option<String> {
    let outcome = parse_line(line).and_then(|parsed| {
        parsed
            .map(|c| call(host, &c.target, &c.function, &c.args))
            .transpose()
    });
    match outcome {
        Ok(None) => None,
        Ok(Some(results)) if results.len() == 1 => results.into_iter().next(),
        Ok(Some(results)) => Some(format!("({})", results.join(", "))),
        // One line: a trap's message spans several (the wasm backtrace).
        Err(err) => Some(format!(
            "error: {}",
            format!("{err:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> CallLine {
        parse_line(line).unwrap().unwrap()
    }

    #[test]
    fn parses_calls() {
        assert_eq!(
            parse(
                r#"counter/w1 demo:counter/api.{add-all}([1, 2], "a, b", 'x', {a: 1, b: [2, 3]})"#
            ),
            CallLine {
                target: "counter/w1".into(),
                function: "demo:counter/api.{add-all}".into(),
                args: vec![
                    "[1, 2]".into(),
                    r#""a, b""#.into(),
                    "'x'".into(),
                    "{a: 1, b: [2, 3]}".into()
                ],
            }
        );
        assert_eq!(parse("c/w  get( )").args, Vec::<String>::new());
        assert_eq!(
            parse(r#"c/w f("q\"(", some((1, 2)))"#).args,
            vec![r#""q\"(""#.to_string(), "some((1, 2))".to_string()]
        );
        assert_eq!(
            parse(r#"c/w api.{counter("a").get}()"#).function,
            r#"api.{counter("a").get}"#
        );
        assert_eq!(parse_line("  # comment").unwrap(), None);
        assert_eq!(parse_line("").unwrap(), None);
    }

    #[test]
    fn rejects_malformed_lines() {
        for line in [
            "c/w",
            "c/w get",
            "c/w get(1",
            "c/w get(1))",
            "c/w get([1)",
            "c/w get(1,)",
            "c/w get(,1)",
            r#"c/w get("x)"#,
            "c/w (1)",
        ] {
            assert!(parse_line(line).is_err(), "{line} should not parse");
        }
    }
}
