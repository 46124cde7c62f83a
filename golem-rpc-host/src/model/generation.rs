//! The generations of Golem's host interfaces a component may be built for, told apart by the
//! versions of Golem's packages it imports.

/// A generation of Golem's host interfaces. Each Golem executor links exactly one version of
/// each of its packages; the local host links each component with its generation's, and gives
/// its workers that generation's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Generation {
    /// Golem 1.0 to 1.2: `golem:rpc/types@0.1.x` / `@0.2.0`, `golem:api/host@0.2.x` /
    /// `@1.1.0`–`@1.1.6` (the versions do not clash, so one linker serves them all).
    #[default]
    UpTo1_2,
    /// Golem 1.3: `golem:rpc/types@0.2.2`, `golem:api/host@1.1.7`.
    Golem1_3,
    /// Golem 1.4: `golem:rpc/types@0.2.2`, `golem:api/host@1.3.0`.
    Golem1_4,
}

impl Generation {
    /// The generation a component importing the interfaces `imports` (`ns:pkg/iface@version`)
    /// is built for: `preferred` if its imports fit it, else the one they fit nearest to it. A
    /// component that imports only `golem:rpc@0.2.2` (a Golem 1.3 or 1.4 caller that uses no
    /// `golem:api`) fits both 1.3 and 1.4; one that imports none of Golem's fits all.
    pub fn from_imports<'a>(
        imports: impl IntoIterator<Item = &'a str>,
        preferred: Generation,
    ) -> Generation {
        let (oldest, newest) = Self::fitting(imports);
        preferred.clamp(oldest, newest)
    }

    /// The oldest and the newest generation whose host packages the imports fit. Imports of
    /// several generations' packages (nothing links them all) get the newest they name.
    fn fitting<'a>(imports: impl IntoIterator<Item = &'a str>) -> (Generation, Generation) {
        let version = |name: &str, prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|v| semver::Version::parse(v).ok())
        };
        let (mut oldest, mut newest) = (Generation::UpTo1_2, Generation::Golem1_4);
        for name in imports {
            let only = match (
                version(name, "golem:rpc/types@"),
                version(name, "golem:api/host@"),
            ) {
                (_, Some(api)) if api >= semver::Version::new(1, 3, 0) => {
                    Generation::Golem1_4..=Generation::Golem1_4
                }
                (_, Some(api)) if api >= semver::Version::new(1, 1, 7) => {
                    Generation::Golem1_3..=Generation::Golem1_3
                }
                (Some(rpc), _) if rpc >= semver::Version::new(0, 2, 2) => {
                    Generation::Golem1_3..=Generation::Golem1_4
                }
                (Some(_), _) | (_, Some(_)) => Generation::UpTo1_2..=Generation::UpTo1_2,
                (None, None) => continue,
            };
            oldest = oldest.max(*only.start());
            newest = newest.min(*only.end());
        }
        (oldest, newest.max(oldest))
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
            (&["golem:api/host@1.3.0"], Generation::Golem1_4),
            (
                &["golem:rpc/types@0.2.2", "golem:api/host@1.3.0"],
                Generation::Golem1_4,
            ),
            // Several generations' packages: the newest named.
            (
                &["golem:rpc/types@0.2.0", "golem:rpc/types@0.2.2"],
                Generation::Golem1_3,
            ),
        ] {
            assert_eq!(
                Generation::from_imports(imports.iter().copied(), Generation::UpTo1_2),
                generation,
                "{imports:?}"
            );
        }
    }

    #[test]
    fn a_preferred_generation_decides_for_imports_that_fit_several() {
        let prefer_1_4 = |imports: &[&str]| {
            Generation::from_imports(imports.iter().copied(), Generation::Golem1_4)
        };
        assert_eq!(prefer_1_4(&["golem:rpc/types@0.2.2"]), Generation::Golem1_4);
        assert_eq!(prefer_1_4(&["wasi:io/poll@0.2.3"]), Generation::Golem1_4);
        assert_eq!(
            prefer_1_4(&["golem:api/host@1.1.7", "golem:rpc/types@0.2.2"]),
            Generation::Golem1_3
        );
        assert_eq!(prefer_1_4(&["golem:rpc/types@0.2.0"]), Generation::UpTo1_2);
        let prefer_1_3 = |imports: &[&str]| {
            Generation::from_imports(imports.iter().copied(), Generation::Golem1_3)
        };
        assert_eq!(prefer_1_3(&[]), Generation::Golem1_3);
        assert_eq!(prefer_1_3(&["golem:api/host@1.3.0"]), Generation::Golem1_4);
    }
}
