//! Why a text is not a UUID, in the words Golem's executor answers `golem:rpc`'s `parse-uuid`
//! with: the diagnostics of the uuid crate Golem 1.2 is built with (recorded from Golem 1.2.0,
//! `tests/oracle`). Newer uuid releases word them differently and count from 0.

/// The five groups of a hyphenated UUID: where each starts, and how long it is.
const GROUP_STARTS: [usize; 5] = [0, 9, 14, 19, 24];
const GROUP_LENGTHS: [usize; 5] = [8, 4, 4, 4, 12];

/// Golem's message for `text`, which does not parse as a UUID.
pub fn parse_error(text: &str) -> String {
    // An optional `{…}` or `urn:uuid:` around it; positions are counted in the whole text, from 1.
    let (body, offset, simple) = if let Some(body) = text
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
    {
        (body, 1, false)
    } else if let Some(body) = text.strip_prefix("urn:uuid:") {
        (body, "urn:uuid:".len(), false)
    } else {
        (text, 0, true)
    };
    let mut hyphens = Vec::new();
    for (index, character) in body.char_indices() {
        if character == '-' {
            hyphens.push(index);
        } else if !character.is_ascii_hexdigit() {
            return format!(
                "invalid character: expected an optional prefix of `urn:uuid:` followed by \
                 [0-9a-fA-F-], found `{character}` at {}",
                index + offset + 1
            );
        }
    }
    if hyphens.is_empty() && simple {
        return format!(
            "invalid length: expected length 32 for simple format, found {}",
            text.len()
        );
    }
    if hyphens.len() != 4 {
        return format!(
            "invalid group count: expected 5, found {}",
            hyphens.len() + 1
        );
    }
    let group_length = |group: usize, len: usize| {
        format!(
            "invalid group length in group {group}: expected {}, found {len}",
            GROUP_LENGTHS[group]
        )
    };
    for (group, hyphen) in hyphens.iter().enumerate() {
        if *hyphen != GROUP_STARTS[group + 1] - 1 {
            return group_length(group, hyphen - GROUP_STARTS[group]);
        }
    }
    // The groups before it are right: the last one is too long or short (counted, as Golem
    // does, on the whole text).
    group_length(4, text.len().saturating_sub(GROUP_STARTS[4]))
}

#[cfg(test)]
mod tests {
    use super::parse_error;

    #[test]
    fn golems_words_for_each_way_a_uuid_is_wrong() {
        for (text, message) in [
            (
                "not-a-uuid",
                // Recorded from Golem 1.2.0 (tests/oracle/golem-1.2.0.json).
                "invalid character: expected an optional prefix of `urn:uuid:` followed by \
                 [0-9a-fA-F-], found `n` at 1",
            ),
            (
                "urn:uuid:67e5504410b1426f9247bb680e5fe0cg",
                "invalid character: expected an optional prefix of `urn:uuid:` followed by \
                 [0-9a-fA-F-], found `g` at 41",
            ),
            (
                "67e5504410b1426f9247bb680e5fe0c",
                "invalid length: expected length 32 for simple format, found 31",
            ),
            (
                "67e55044-10b1-426f-9247",
                "invalid group count: expected 5, found 4",
            ),
            (
                "67e5504-10b1-426f-9247-bb680e5fe0c8",
                "invalid group length in group 0: expected 8, found 7",
            ),
            (
                "67e55044-10b1-426f-9247-bb680e5fe0c88",
                "invalid group length in group 4: expected 12, found 13",
            ),
        ] {
            assert!(uuid::Uuid::parse_str(text).is_err(), "{text}");
            assert_eq!(parse_error(text), message, "{text}");
        }
    }
}
