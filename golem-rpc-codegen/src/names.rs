//! The one place WIT names become Rust identifiers.
//!
//! The rules are wit-bindgen's, so code written against wit-bindgen or Golem's stubs reads the
//! same: kebab-case → `snake_case` for functions, parameters, fields and modules, `UpperCamel`
//! for types; a Rust keyword gets a trailing `_` (`type` → `type_`, `self` → `self_`).

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span};

/// Rust keywords (2015–2024 editions, strict and reserved) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

fn escape(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// `get-stats` → `get_stats`; keywords get a trailing `_`.
pub fn snake(wit: &str) -> String {
    escape(wit.replace('-', "_").to_lowercase())
}

/// `get-stats` → `GetStats`, `HTTP-request` → `HttpRequest`; keywords get a trailing `_`.
pub fn camel(wit: &str) -> String {
    escape(
        wit.split('-')
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first
                        .to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                }
            })
            .collect(),
    )
}

/// `write-all` → `WRITE_ALL`.
pub fn shouty(wit: &str) -> String {
    wit.replace('-', "_").to_uppercase()
}

/// An identifier with call-site hygiene, so users can name what the macro generates.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The names already taken in one Rust namespace (a module's types, an impl's methods),
/// each with the WIT item that took it, so a collision can name both items.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, String>,
}

impl Namespace {
    /// Claims `name` for `item`; on a collision, returns the item that already has it.
    pub fn claim(&mut self, name: &str, item: impl Into<String>) -> Result<(), String> {
        match self.taken.get(name) {
            Some(previous) => Err(previous.clone()),
            None => {
                self.taken.insert(name.to_owned(), item.into());
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_wit_bindgen() {
        assert_eq!(snake("get-stats"), "get_stats");
        assert_eq!(snake("add"), "add");
        assert_eq!(snake("URL"), "url");
        assert_eq!(snake("max-size2"), "max_size2");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("gen"), "gen_");
        assert_eq!(snake("result"), "result");
    }

    #[test]
    fn camel_case_matches_wit_bindgen() {
        assert_eq!(camel("api"), "Api");
        assert_eq!(camel("green-ish"), "GreenIsh");
        assert_eq!(camel("HTTP-request-v2"), "HttpRequestV2");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("get"), "Get");
    }

    #[test]
    fn shouty_case() {
        assert_eq!(shouty("write-all"), "WRITE_ALL");
        assert_eq!(shouty("read"), "READ");
    }

    #[test]
    fn namespace_reports_the_first_owner() {
        let mut ns = Namespace::default();
        ns.claim("new", "the constructor").unwrap();
        assert_eq!(
            ns.claim("new", "function `new`"),
            Err("the constructor".to_owned())
        );
        assert!(ns.claim("other", "x").is_ok());
    }
}
