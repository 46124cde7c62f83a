//! The `golem-rpc:import` custom section: what each `golem_rpc::import!` in the caller was
//! built against.
//!
//! The section is UTF-8 text, a sequence of records (the linker concatenates the records of all
//! `import!` calls into one section):
//!
//! ```text
//! golem-rpc-import 1
//! target demo:counter
//! world counter
//! wit-digest 0123456789abcdef
//! golem-api golem-1.1
//! function demo:counter/api.{add}<TAB>func(value: u64)
//! end
//! ```

use std::fmt;

/// One `import!`: the target it was generated from and the functions its clients can call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The target's package id, e.g. `demo:counter` or `test:kitchen@0.3.1`.
    pub target: String,
    /// The target world.
    pub world: String,
    /// FNV-1a 64 of the WIT sources `import!` read, as 16 lowercase hex digits.
    pub wit_digest: String,
    /// The Golem host API the clients call: `golem-1.1` (`golem:rpc@0.1.0`, also what records
    /// without the line mean) or `golem-1.2` (`golem:rpc@0.2.0`).
    pub golem_api: String,
    /// The functions, in the order recorded.
    pub functions: Vec<RecordFunction>,
}

/// A function a generated client can call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFunction {
    /// The name sent on the wire, e.g. `demo:counter/api.{add}` or `version`.
    pub wire_name: String,
    /// Its WIT signature as `golem_rpc_codegen::signature` renders it.
    pub signature: String,
}

/// A malformed part of the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionError {
    /// 1-based line in the section text.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The records of one section, and what could not be read. A malformed record is skipped up to
/// the next `golem-rpc-import` line; the others are still returned.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The well-formed records.
    pub records: Vec<Record>,
    /// One error per malformed record (or stray text).
    pub errors: Vec<SectionError>,
}

const HEADER: &str = "golem-rpc-import";
const VERSION: &str = "1";

/// Parses a section's contents. Never panics; NUL bytes and blank lines between records are
/// ignored (padding).
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let line = 1 + bytes[..err.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            parsed.errors.push(SectionError {
                line,
                message: format!("not UTF-8 (at byte {})", err.valid_up_to()),
            });
            return parsed;
        }
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_matches('\0')))
        .peekable();
    while let Some((number, line)) = lines.next() {
        if line.trim().is_empty() {
            continue;
        }
        let result = match line.split_once(' ') {
            Some((HEADER, VERSION)) => record(&mut lines, number),
            Some((HEADER, version)) => Err(SectionError {
                line: number,
                message: format!(
                    "record format version {version} is not supported (this tool reads version {VERSION}); update golem-rpc-cli"
                ),
            }),
            _ => Err(SectionError {
                line: number,
                message: format!("expected `{HEADER} {VERSION}`, found `{}`", excerpt(line)),
            }),
        };
        match result {
            Ok(record) => parsed.records.push(record),
            Err(err) => {
                parsed.errors.push(err);
                // Resynchronise on the next record.
                while lines
                    .next_if(|(_, line)| !line.starts_with(HEADER))
                    .is_some()
                {}
            }
        }
    }
    parsed
}

fn record<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    header: usize,
) -> Result<Record, SectionError> {
    let mut field = |key: &str| -> Result<String, SectionError> {
        match lines.next() {
            Some((number, line)) => match line.split_once(' ') {
                Some((k, value)) if k == key && !value.is_empty() => Ok(value.to_owned()),
                _ => Err(SectionError {
                    line: number,
                    message: format!("expected `{key} …`, found `{}`", excerpt(line)),
                }),
            },
            None => Err(SectionError {
                line: header,
                message: format!("record ends before its `{key}` line"),
            }),
        }
    };
    let target = field("target")?;
    let world = field("world")?;
    let wit_digest = field("wit-digest")?;
    let mut golem_api = None;
    let mut functions = Vec::new();
    for (number, line) in lines.by_ref() {
        if line == "end" {
            return Ok(Record {
                target,
                world,
                wit_digest,
                golem_api: golem_api.unwrap_or_else(|| "golem-1.1".to_owned()),
                functions,
            });
        }
        if let Some(api) = line.strip_prefix("golem-api ") {
            if golem_api.is_some() || !functions.is_empty() || api.is_empty() {
                return Err(SectionError {
                    line: number,
                    message: "`golem-api` must come once, before the functions".to_owned(),
                });
            }
            golem_api = Some(api.to_owned());
            continue;
        }
        let function = line
            .strip_prefix("function ")
            .and_then(|rest| rest.split_once('\t'))
            .filter(|(wire, signature)| !wire.is_empty() && signature.starts_with("func("));
        match function {
            Some((wire_name, signature)) => functions.push(RecordFunction {
                wire_name: wire_name.to_owned(),
                signature: signature.to_owned(),
            }),
            None => {
                return Err(SectionError {
                    line: number,
                    message: format!(
                        "expected `function <wire name><TAB>func(…)` or `end`, found `{}`",
                        excerpt(line)
                    ),
                });
            }
        }
    }
    Err(SectionError {
        line: header,
        message: format!("the record of `{target}` has no `end` line"),
    })
}

/// At most 60 characters of `line`, for messages.
fn excerpt(line: &str) -> String {
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

/// An `import!` record and which of its functions the caller's code refers to.
pub(crate) struct UsedRecord {
    pub record: Record,
    /// Indices into `record.functions` whose wire name occurs in the module's data.
    pub referenced: Vec<usize>,
    /// The bytes the record takes in the custom section (its text), roughly.
    pub section_bytes: usize,
}

impl UsedRecord {
    pub(crate) fn referenced(&self) -> impl Iterator<Item = &RecordFunction> {
        self.referenced.iter().map(|i| &self.record.functions[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "golem-rpc-import 1\ntarget demo:counter\nworld counter\nwit-digest 00000000000000ff\nfunction demo:counter/api.{add}\tfunc(value: u64)\nfunction demo:counter/api.{get}\tfunc() -> u64\nend\ngolem-rpc-import 1\ntarget test:kitchen@0.3.1\nworld kitchen\nwit-digest 0000000000000001\nfunction version\tfunc() -> string\nend\n";

    #[test]
    fn reads_concatenated_records() {
        let parsed = parse(TWO.as_bytes());
        assert_eq!(parsed.errors, []);
        assert_eq!(parsed.records.len(), 2);
        let counter = &parsed.records[0];
        assert_eq!(counter.target, "demo:counter");
        assert_eq!(counter.world, "counter");
        assert_eq!(counter.wit_digest, "00000000000000ff");
        assert_eq!(
            counter.functions[1],
            RecordFunction {
                wire_name: "demo:counter/api.{get}".into(),
                signature: "func() -> u64".into()
            }
        );
        assert_eq!(parsed.records[1].target, "test:kitchen@0.3.1");
        assert_eq!(parsed.records[1].functions[0].wire_name, "version");
    }

    #[test]
    fn the_golem_api_line_is_read_and_optional() {
        let text = "golem-rpc-import 1\ntarget demo:counter\nworld counter\nwit-digest 00000000000000ff\ngolem-api golem-1.2\nfunction demo:counter/api.{get}\tfunc() -> u64\nend\n";
        let parsed = parse(text.as_bytes());
        assert_eq!(parsed.errors, []);
        assert_eq!(parsed.records[0].golem_api, "golem-1.2");
        assert_eq!(parsed.records[0].functions.len(), 1);
        // Records written before the line existed are Golem 1.0/1.1 clients.
        assert_eq!(parse(TWO.as_bytes()).records[0].golem_api, "golem-1.1");
        let late = "golem-rpc-import 1\ntarget a:b\nworld w\nwit-digest 00000000000000ff\nfunction f\tfunc()\ngolem-api golem-1.2\nend\n";
        let parsed = parse(late.as_bytes());
        assert_eq!(parsed.records, []);
        assert_eq!(parsed.errors[0].line, 6);
    }

    #[test]
    fn padding_between_records_is_ignored() {
        let padded = TWO.replace("end\ngolem", "end\n\0\0\n\ngolem");
        assert_eq!(parse(padded.as_bytes()), parse(TWO.as_bytes()));
    }

    #[test]
    fn malformed_records_are_reported_and_skipped() {
        let bad = TWO.replacen("world counter\n", "", 1);
        let parsed = parse(bad.as_bytes());
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].target, "test:kitchen@0.3.1");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 3);
        assert!(parsed.errors[0].message.contains("expected `world …`"));

        let cases: &[(&[u8], &str)] = &[
            (b"golem-rpc-import 2\n", "version 2 is not supported"),
            (b"hello", "expected `golem-rpc-import 1`"),
            (b"golem-rpc-import 1\ntarget a:b", "before its `world` line"),
            (
                b"golem-rpc-import 1\ntarget a:b\nworld w\nwit-digest 0\n",
                "no `end` line",
            ),
            (
                b"golem-rpc-import 1\ntarget a:b\nworld w\nwit-digest 0\nfunction f func()\nend\n",
                "expected `function",
            ),
            (b"golem-rpc-import 1\n\xff\xfe", "not UTF-8"),
        ];
        for (input, expected) in cases {
            let parsed = parse(input);
            assert!(parsed.records.is_empty());
            assert!(
                parsed.errors[0].message.contains(expected),
                "{:?}: {:?}",
                String::from_utf8_lossy(input),
                parsed.errors
            );
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 0x1234_5678_u32;
        for _ in 0..2000 {
            let len = (seed % 97) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    b"golem-rpc-import 1\ntarget world wit-digest function end\t\0\xff"
                        [(seed % 57) as usize]
                })
                .collect();
            let _ = parse(&bytes);
        }
    }
}
