//! Choosing what to generate: the world of the target package, and the `only` subset, with
//! errors that list what exists and suggest the closest name.

use wit_parser::{PackageId, Resolve, WorldId, WorldItem, WorldKey};

/// The world to generate for: `name` if given, else the package's only world.
pub fn select_world(
    resolve: &Resolve,
    package: PackageId,
    name: Option<&str>,
) -> Result<WorldId, String> {
    let worlds = &resolve.packages[package].worlds;
    let package_name = &resolve.packages[package].name;
    let listed = || {
        worlds
            .keys()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => {
            let short = name.rsplit('/').next().unwrap_or(name);
            let short = short.split('@').next().unwrap_or(short);
            worlds.get(short).copied().ok_or_else(|| {
                let mut message = format!(
                    "package `{package_name}` has no world `{name}`; its worlds are {}",
                    listed()
                );
                if let Some(close) = closest(short, worlds.keys().map(String::as_str)) {
                    message.push_str(&format!(" (did you mean `{close}`?)"));
                }
                message
            })
        }
        None => match worlds.len() {
            1 => Ok(*worlds.values().next().expect("one world")),
            0 => Err(format!(
                "package `{package_name}` has no world; the target's WIT must declare the world the component implements"
            )),
            _ => Err(format!(
                "package `{package_name}` has several worlds ({}); choose one with `world: \"..\"`",
                listed()
            )),
        },
    }
}

/// What `only` entries can name in `world`: exported interfaces by name and id, their
/// functions as `iface.func`, and world-level functions.
pub fn exported_names(resolve: &Resolve, world: WorldId) -> Vec<String> {
    let mut names = Vec::new();
    for (key, item) in &resolve.worlds[world].exports {
        match item {
            WorldItem::Interface { id, .. } => {
                let name = match key {
                    WorldKey::Name(name) => name.clone(),
                    WorldKey::Interface(_) => {
                        resolve.interfaces[*id].name.clone().unwrap_or_default()
                    }
                };
                if let WorldKey::Interface(_) = key {
                    names.extend(resolve.id_of(*id));
                }
                for function in resolve.interfaces[*id].functions.keys() {
                    names.push(format!("{name}.{function}"));
                }
                names.push(name);
            }
            WorldItem::Function(function) => names.push(function.name.clone()),
            WorldItem::Type { .. } => {}
        }
    }
    names
}

/// Checks every `only` entry against what `world` exports; returns `(entry index, message)`
/// for each that names nothing.
pub fn check_only(resolve: &Resolve, world: WorldId, only: &[String]) -> Vec<(usize, String)> {
    let names = exported_names(resolve, world);
    only.iter()
        .enumerate()
        .filter(|(_, entry)| !names.contains(entry))
        .map(|(i, entry)| {
            let mut message = format!(
                "`{entry}` is not exported by world `{}`; it exports {}",
                resolve.worlds[world].name,
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(close) = closest(entry, names.iter().map(String::as_str)) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            }
            (i, message)
        })
        .collect()
}

/// Whether `only` selects the function `function` of the export named `name` (id `id`).
pub(crate) fn selected(
    only: Option<&[String]>,
    name: &str,
    id: Option<&str>,
    function: &str,
) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|entry| {
        entry == name || Some(entry.as_str()) == id || *entry == format!("{name}.{function}")
    })
}

/// The candidate nearest to `wanted` by edit distance, if it is near enough to be a typo.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= (c.len().max(wanted.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("thrid", "third"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("api", "api"), 0);
        assert_eq!(
            closest("thrid", ["first", "third"].into_iter()),
            Some("third")
        );
        assert_eq!(closest("zzz", ["first", "third"].into_iter()), None);
    }
}
