//! The WIT dialect of Golem 1.0/1.1 targets, rewritten to what current wit-parser accepts.
//!
//! WIT written in 2024 (wit-parser ≤ 0.225, which Golem 1.0/1.1, cargo-component 0.13–0.15 and
//! stubgen used) allowed spellings that later parsers reject:
//! - `float32` / `float64` (now `f32` / `f64`; refused since wit-parser 0.245);
//! - `-> ()`, an empty result list (now no `->` at all; refused since 0.226);
//! - named results `-> (a: u32, b: string)` (refused since 0.226): one named result becomes its
//!   type; several become `tuple<u32, string>`, and the function is reported in
//!   [`Rewritten::named_results`] because Golem's executor sends such results as a record of the
//!   values (its root has one child per result), not as one tuple result.
//!
//! Nothing else that wit-parser dropped since then occurs in Golem 1.0/1.1's WIT (checked across
//! golem, golem-rust, golem-examples and wasm-rpc at every 1.0/1.1 tag). The rewrite keeps every
//! byte offset on lines without named results (each replacement is padded with spaces to the
//! original length) and the line of every item, so wit-parser's `file:line:col` still point at
//! the user's text. Comments (`//`, nested `/* */`) and `%`-escaped names are left alone.

/// The result of [`rewrite`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// WIT in the current dialect.
    pub text: String,
    /// Whether anything was rewritten.
    pub changed: bool,
    /// `(line, column)` (1-based, as wit-parser reports them) of the name of each function whose
    /// results were named and are now one `tuple<…>`.
    pub named_results: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// An identifier or keyword (`%`-escaped ones included), at this byte range.
    Word(usize, usize),
    /// Any other single character.
    Punct(usize, char),
}

/// Byte offsets of the tokens of `text`, without whitespace and comments.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if bytes[i..].starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if bytes[i..].starts_with(b"/*") {
            // Block comments nest in WIT.
            let mut depth = 0usize;
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b == b'%' || b.is_ascii_alphanumeric() {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
                if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'>') {
                    break;
                }
                i += 1;
            }
            tokens.push(Token::Word(start, i));
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            tokens.push(Token::Punct(i, c));
            i += c.len_utf8();
        }
    }
    tokens
}

/// 1-based `(line, column)` of byte `offset`, columns in bytes as wit-parser counts them.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = offset - before.rfind('\n').map_or(0, |at| at + 1) + 1;
    (line, col)
}

/// `replacement`, then spaces (and the newlines of `original`) to make it as long as `original`
/// where it fits; only named results, which can be longer, change the length of a line.
fn fit(replacement: &str, original: &str) -> String {
    let newlines = original.matches('\n').count();
    let mut out = replacement.to_string();
    let width = original.len() - newlines;
    if newlines == 0 && out.len() < width {
        out.extend(std::iter::repeat_n(' ', width - out.len()));
    }
    out.extend(std::iter::repeat_n('\n', newlines));
    out
}

/// Rewrites Golem 1.0/1.1 WIT into the current dialect (see the module docs).
pub fn rewrite(text: &str) -> Rewritten {
    let tokens = tokens(text);
    // (start, end, replacement), in order and not overlapping.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut named_results = Vec::new();
    // The name of the function being declared: the word before the last `:` before `func`.
    let mut before_colon = None;
    let mut function_name = None;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Word(start, end) => match &text[start..end] {
                "float32" => edits.push((start, end, fit("f32", &text[start..end]))),
                "float64" => edits.push((start, end, fit("f64", &text[start..end]))),
                "func" => function_name = before_colon,
                _ => {}
            },
            Token::Punct(_, ':') => {
                before_colon = i.checked_sub(1).and_then(|p| match tokens[p] {
                    Token::Word(start, _) => Some(start),
                    Token::Punct(..) => None,
                });
            }
            Token::Punct(arrow, '-')
                if matches!(tokens.get(i + 1), Some(Token::Punct(_, '>')))
                    && matches!(tokens.get(i + 2), Some(Token::Punct(_, '('))) =>
            {
                let Some(close) = tokens[i + 3..]
                    .iter()
                    .position(|t| matches!(t, Token::Punct(_, ')')))
                    .map(|p| i + 3 + p)
                else {
                    // Unbalanced: left to wit-parser to report.
                    i += 1;
                    continue;
                };
                let Token::Punct(open, _) = tokens[i + 2] else {
                    unreachable!("matched above")
                };
                let Token::Punct(end, _) = tokens[close] else {
                    unreachable!("matched above")
                };
                let inner = &tokens[i + 3..close];
                if inner.is_empty() {
                    // `-> ()`: no results.
                    edits.push((arrow, end + 1, fit("", &text[arrow..end + 1])));
                } else if let Some(types) = named_result_types(text, inner) {
                    let replacement = if types.len() == 1 {
                        types[0].to_string()
                    } else {
                        if let Some(name) = function_name {
                            named_results.push(line_col(text, name));
                        }
                        format!("tuple<{}>", types.join(", "))
                    };
                    edits.push((open, end + 1, fit(&replacement, &text[open..end + 1])));
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    let changed = !edits.is_empty();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.push_str(&text[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Rewritten {
        text: out,
        changed,
        named_results,
    }
}

/// The types of a named result list `a: T, b: U` (as source text, `float32` already spelled
/// `f32`), or `None` if the tokens are not one.
fn named_result_types(text: &str, inner: &[Token]) -> Option<Vec<String>> {
    let mut types = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let [Token::Word(..), Token::Punct(_, ':'), ty @ ..] = rest else {
            return None;
        };
        // The type runs to the next `,` outside `<…>`.
        let mut depth = 0usize;
        let len = ty
            .iter()
            .position(|t| match t {
                Token::Punct(_, '<') => {
                    depth += 1;
                    false
                }
                Token::Punct(_, '>') => {
                    depth = depth.saturating_sub(1);
                    false
                }
                Token::Punct(_, ',') => depth == 0,
                _ => false,
            })
            .unwrap_or(ty.len());
        let (first, last) = (ty.first()?, ty[..len].last()?);
        let start = match *first {
            Token::Word(start, _) | Token::Punct(start, _) => start,
        };
        let end = match *last {
            Token::Word(_, end) => end,
            Token::Punct(at, c) => at + c.len_utf8(),
        };
        types.push(compact(&rewrite(&text[start..end]).text));
        rest = ty.get(len + 1..).unwrap_or(&[]);
    }
    Some(types)
}

/// A type's text on one line with single spaces, none before `,` or `>` (the padding of a
/// respelled `float32` included).
fn compact(ty: &str) -> String {
    let mut out = String::with_capacity(ty.len());
    for part in ty.split_whitespace() {
        if !out.is_empty() && !part.starts_with([',', '>']) {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_types_keep_every_position() {
        let legacy = "record r { a: float32, b: list<float64>, %float32: u8, prim-float32: u8 }\n";
        let out = rewrite(legacy);
        assert!(out.changed);
        assert_eq!(out.text.len(), legacy.len());
        assert_eq!(
            out.text,
            "record r { a: f32    , b: list<f64    >, %float32: u8, prim-float32: u8 }\n"
        );
    }

    #[test]
    fn empty_result_lists_disappear() {
        let out = rewrite("f: func(a: u32) -> ();\ng: func() -> ( /* none */ ) ;\n");
        assert_eq!(
            out.text,
            "f: func(a: u32)      ;\ng: func()                   ;\n"
        );
        assert!(out.named_results.is_empty());
    }

    #[test]
    fn named_results_become_a_tuple_and_are_reported() {
        let legacy = "interface i {\n  pair: func(x: u32) -> (a: u32, b: list<tuple<string, float32>>);\n  one: func() -> (only: string);\n}\n";
        let out = rewrite(legacy);
        assert_eq!(out.text.len(), legacy.len());
        assert_eq!(
            out.text,
            "interface i {\n  pair: func(x: u32) -> tuple<u32, list<tuple<string, f32>>>     ;\n  one: func() -> string        ;\n}\n"
        );
        assert_eq!(out.named_results, vec![(2, 3)]);
    }

    #[test]
    fn comments_and_modern_wit_are_untouched() {
        let modern = "// -> () float32\n/* /* nested -> (a: u32) */ float64 */\nf: func() -> result<f32, string>;\n";
        let out = rewrite(modern);
        assert!(!out.changed);
        assert_eq!(out.text, modern);
    }

    #[test]
    fn multi_line_named_results_keep_the_line_count() {
        let legacy = "m: static func() -> (\n  a: u8,\n  b: u8,\n);\nnext: func();\n";
        let out = rewrite(legacy);
        assert_eq!(
            out.text,
            "m: static func() -> tuple<u8, u8>\n\n\n;\nnext: func();\n"
        );
        assert_eq!(out.named_results, vec![(1, 1)]);
    }
}
