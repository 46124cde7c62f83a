//! The Golem and WASI WIT packages golem-rpc ships: the packages its own bindings are built from
//! (golem-rpc-runtime's `wit/deps` for Golem 1.0/1.1, `wit-golem-1.2/deps` for Golem 1.2,
//! `wit-golem-1.3/deps` for Golem 1.3, `wit-golem-1.4/deps` for Golem 1.4; this
//! crate carries identical copies under `wit/`, a test keeps them so).
//!
//! A target's WIT that uses one of these packages and finds it nowhere else (not in its own
//! `deps/`, not in an application's `witDeps`) is read with golem-rpc's copy, so a target that
//! imports only Golem's host API needs no copied dependencies at all.

use crate::GolemApi;

/// One shipped package: its name, its directory (for messages) and its files' names and text.
#[derive(Debug, Clone, Copy)]
pub struct ShippedPackage {
    /// `golem:api@1.1.6`, as WIT that uses it names it (read only when it is used).
    pub name: &'static str,
    /// `golem-1.2/golem-api`.
    pub dir: &'static str,
    /// `(file name, WIT text)`.
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! package {
    ($name:literal in $dir:literal: $($file:literal),+) => {
        ShippedPackage {
            name: $name,
            dir: $dir,
            files: &[$(($file, include_str!(concat!("../wit/", $dir, "/", $file)))),+],
        }
    };
}

const GOLEM_1_1: &[ShippedPackage] = &[
    package!("golem:api@0.2.0" in "golem-1.1/golem-api": "host.wit"),
    package!("golem:rpc@0.1.0" in "golem-1.1/golem-rpc": "wasm-rpc.wit"),
    package!("wasi:io@0.2.0" in "golem-1.1/io": "poll.wit"),
    package!("wasi:clocks@0.2.0" in "golem-1.1/clocks": "monotonic-clock.wit"),
];

const GOLEM_1_2: &[ShippedPackage] = &[
    package!("golem:api@1.1.6" in "golem-1.2/golem-api": "host.wit"),
    package!("golem:rpc@0.2.0" in "golem-1.2/golem-rpc": "wasm-rpc.wit"),
    package!("wasi:io@0.2.0" in "golem-1.2/io": "poll.wit"),
    package!("wasi:clocks@0.2.0" in "golem-1.2/clocks": "monotonic-clock.wit", "wall-clock.wit"),
];

const GOLEM_1_3: &[ShippedPackage] = &[
    package!("golem:api@1.1.7" in "golem-1.3/golem-api": "host.wit"),
    package!("golem:rpc@0.2.2" in "golem-1.3/golem-rpc": "wasm-rpc.wit"),
    package!("wasi:io@0.2.3" in "golem-1.3/io": "error.wit", "poll.wit", "streams.wit"),
    package!("wasi:clocks@0.2.3" in "golem-1.3/clocks": "monotonic-clock.wit", "wall-clock.wit"),
];

const GOLEM_1_4: &[ShippedPackage] = &[
    package!("golem:api@1.3.0" in "golem-1.4/golem-api": "host.wit"),
    package!("golem:rpc@0.2.2" in "golem-1.4/golem-rpc": "wasm-rpc.wit"),
    package!("wasi:io@0.2.3" in "golem-1.4/io": "error.wit", "poll.wit", "streams.wit"),
    package!("wasi:clocks@0.2.3" in "golem-1.4/clocks": "monotonic-clock.wit", "wall-clock.wit"),
];

/// The packages golem-rpc ships for the Golem host API `golem` (the one the caller's clients are
/// built for).
pub fn shipped(golem: GolemApi) -> &'static [ShippedPackage] {
    match golem {
        GolemApi::V1_1 => GOLEM_1_1,
        GolemApi::V1_2 => GOLEM_1_2,
        GolemApi::V1_3 => GOLEM_1_3,
        GolemApi::V1_4 => GOLEM_1_4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The copies here are the runtime's, file for file (checked in the repository, where both
    /// crates are).
    #[test]
    fn the_shipped_packages_are_the_runtimes_own() {
        let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../golem-rpc-runtime");
        if !runtime.is_dir() {
            return; // a published crate, tested on its own
        }
        for (golem, dir) in [
            (GolemApi::V1_1, "wit/deps"),
            (GolemApi::V1_2, "wit-golem-1.2/deps"),
            (GolemApi::V1_3, "wit-golem-1.3/deps"),
            (GolemApi::V1_4, "wit-golem-1.4/deps"),
        ] {
            let mut expected: Vec<String> = Vec::new();
            for package in std::fs::read_dir(runtime.join(dir)).unwrap() {
                let package = package.unwrap().path();
                for file in std::fs::read_dir(&package).unwrap() {
                    let file = file.unwrap().path();
                    expected.push(format!(
                        "{}/{}",
                        package.file_name().unwrap().to_string_lossy(),
                        file.file_name().unwrap().to_string_lossy()
                    ));
                    let text = std::fs::read_to_string(&file).unwrap();
                    let package_dir = package.file_name().unwrap().to_string_lossy();
                    let file_name = file.file_name().unwrap().to_string_lossy();
                    let shipped = shipped(golem)
                        .iter()
                        .find(|p| p.dir.ends_with(&format!("/{package_dir}")))
                        .and_then(|p| p.files.iter().find(|(f, _)| *f == file_name))
                        .unwrap_or_else(|| {
                            panic!("{dir}/{package_dir}/{file_name} is not shipped")
                        });
                    assert_eq!(shipped.1, text, "{dir}/{package_dir}/{file_name} differs");
                }
            }
            // Each package's name is the one its WIT declares.
            for package in shipped(golem) {
                let (_, text) = package.files[0];
                let declared = text
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("package "))
                    .map(|n| n.trim_end_matches(';').trim());
                assert_eq!(declared, Some(package.name), "{}", package.dir);
            }
            let count: usize = shipped(golem).iter().map(|p| p.files.len()).sum();
            assert_eq!(count, expected.len(), "{golem:?}: {expected:?}");
        }
    }
}
