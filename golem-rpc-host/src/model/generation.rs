//! The generations of Golem's host interfaces a component may be built for, told apart by the
//! versions of Golem's packages it imports.

/// A generation of Golem's host interfaces. Each Golem executor links exactly one version of
/// each of its packages; the local host links each component with its generation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// Golem 1.0 to 1.2: `golem:rpc/types@0.1.x` / `@0.2.0`, `golem:api/host@0.2.x` /
    /// `@1.1.0`–`@1.1.6` (the versions do not clash, so one linker serves them all).
    UpTo1_2,
    /// Golem 1.3: `golem:rpc/types@0.2.2`, `golem:api/host@1.1.7` (a component that imports
    /// only `golem:rpc@0.2.2`, which 1.4 links too, is taken for 1.3's).
    Golem1_3,
    /// Golem 1.4: `golem:rpc/types@0.2.2`, `golem:api/host@1.3.0`.
    Golem1_4,
}

impl Generation {
    /// The generation a component importing the interfaces `imports` (`ns:pkg/iface@version`)
    /// is built for; one that imports none of Golem's runs in any, and gets the oldest.
    pub fn from_imports<'a>(imports: impl IntoIterator<Item = &'a str>) -> Generation {
        let at_least = |name: &str, prefix: &str, min: semver::Version| {
            name.strip_prefix(prefix)
                .and_then(|v| semver::Version::parse(v).ok())
                .is_some_and(|v| v >= min)
        };
        let mut generation = Generation::UpTo1_2;
        for name in imports {
            if at_least(name, "golem:api/host@", semver::Version::new(1, 3, 0)) {
                return Generation::Golem1_4;
            }
            if at_least(name, "golem:rpc/types@", semver::Version::new(0, 2, 2))
                || at_least(name, "golem:api/host@", semver::Version::new(1, 1, 7))
            {
                generation = Generation::Golem1_3;
            }
        }
        generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_versions_of_golems_packages_tell_the_generation() {
        for (imports, generation) in [
            (&["golem:rpc/types@0.1.0"][..], Generation::UpTo1_2),
            (
                &["golem:rpc/types@0.2.0", "golem:api/host@1.1.6"],
                Generation::UpTo1_2,
            ),
            (&["golem:api/host@1.1.5"], Generation::UpTo1_2),
            (&["wasi:io/poll@0.2.3"], Generation::UpTo1_2),
            (&["golem:rpc/types@0.2.2"], Generation::Golem1_3),
            (
                &["wasi:cli/environment@0.2.3", "golem:api/host@1.1.7"],
                Generation::Golem1_3,
            ),
        ] {
            assert_eq!(
                Generation::from_imports(imports.iter().copied()),
                generation,
                "{imports:?}"
            );
        }
    }
}
