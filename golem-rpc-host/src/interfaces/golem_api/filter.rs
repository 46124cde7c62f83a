//! `get-workers` / `get-agents` filters, once for every version: each version's adapter converts
//! its filter records to these, and the matching happens here (behaviour of `golem-common`'s
//! worker filters).

use crate::worker::context::{COMPONENT_VERSION, WorkerContext};

/// An ordering comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Equal,
    NotEqual,
    GreaterEqual,
    Greater,
    LessEqual,
    Less,
}

/// A string comparison (`starts-with` from `golem:api@1.1.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StringComparator {
    Equal,
    NotEqual,
    Like,
    NotLike,
    StartsWith,
}

/// One property filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PropertyFilter {
    Name(StringComparator, String),
    /// A status by its rank in Golem's `worker-status` (running … exited).
    Status(Comparator, u8),
    Version(Comparator, u64),
    CreatedAt(Comparator, u64),
    Env(String, StringComparator, String),
    /// A WASI config variable (`golem:api@1.1.7`): the local host gives workers none.
    ConfigVar(String, StringComparator, String),
}

/// Any of the lists matches when all filters of that list do (no filter: every worker).
pub(crate) type AnyFilter = Vec<Vec<PropertyFilter>>;

fn compare<T: PartialOrd>(comparator: Comparator, value: &T, expected: &T) -> bool {
    match comparator {
        Comparator::Equal => value == expected,
        Comparator::NotEqual => value != expected,
        Comparator::GreaterEqual => value >= expected,
        Comparator::Greater => value > expected,
        Comparator::LessEqual => value <= expected,
        Comparator::Less => value < expected,
    }
}

/// Golem's string comparators; `like` is a substring match, as in `golem-common`.
fn compare_str(comparator: StringComparator, value: &str, expected: &str) -> bool {
    match comparator {
        StringComparator::Equal => value == expected,
        StringComparator::NotEqual => value != expected,
        StringComparator::Like => value.contains(expected),
        StringComparator::NotLike => !value.contains(expected),
        StringComparator::StartsWith => value.starts_with(expected),
    }
}

fn matches(filter: &PropertyFilter, worker: &WorkerContext) -> bool {
    match filter {
        PropertyFilter::Name(comparator, value) => {
            compare_str(*comparator, &worker.id.worker_name, value)
        }
        PropertyFilter::Status(comparator, rank) => {
            compare(*comparator, &(worker.api().status as u8), rank)
        }
        PropertyFilter::Version(comparator, value) => {
            compare(*comparator, &COMPONENT_VERSION, value)
        }
        PropertyFilter::CreatedAt(comparator, value) => {
            compare(*comparator, &worker.created_at, value)
        }
        PropertyFilter::Env(name, comparator, value) => worker
            .startup
            .env
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .is_some_and(|(_, v)| compare_str(*comparator, v, value)),
        PropertyFilter::ConfigVar(..) => false,
    }
}

/// Whether `worker` matches `filter`.
pub(crate) fn matches_any(filter: Option<&AnyFilter>, worker: &WorkerContext) -> bool {
    filter.is_none_or(|any| any.iter().any(|all| all.iter().all(|f| matches(f, worker))))
}
