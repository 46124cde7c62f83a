//! Reading a target's WIT, in the current dialect or in Golem 1.0/1.1's ([`crate::legacy`]).
//!
//! Mirrors `wit_parser::Resolve::push_path` (a `.wit` file, or a directory of `.wit` files with
//! a `deps/` directory of packages), with every WIT text passed through [`legacy::rewrite`]
//! first. Errors are rendered by wit-parser (`file:line:col` and the source line), showing the
//! user's own line where the rewrite changed it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use wit_parser::{Function, PackageId, PackageName, Resolve, SourceMap, UnresolvedPackageGroup};

use crate::legacy;
use crate::shipped::ShippedPackage;

/// A target's WIT, loaded into a [`Resolve`].
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The target's package (the main package of a directory).
    pub package: PackageId,
    /// Every file read, `deps/` included (for rebuild tracking and the digest).
    pub files: Vec<PathBuf>,
    /// Functions whose Golem 1.0/1.1 named results were rewritten to one tuple.
    pub named_results: NamedResults,
}

/// The functions whose named results (`-> (a: u32, b: string)`) [`legacy::rewrite`] turned into
/// one `tuple<…>`: Golem's executor sends their results as a record of the values, so the client
/// reads them as the results themselves rather than as one tuple result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedResults(BTreeSet<String>);

impl NamedResults {
    /// Whether `function`'s results were named in the WIT it was read from.
    pub fn contains(&self, resolve: &Resolve, function: &Function) -> bool {
        !self.0.is_empty() && self.0.contains(&resolve.render_location(function.span))
    }

    fn record(&mut self, path: &str, rewritten: &legacy::Rewritten) {
        for (line, col) in &rewritten.named_results {
            self.0.insert(format!("{path}:{line}:{col}"));
        }
    }
}

/// What loading accumulates besides the packages.
#[derive(Default)]
struct Reader {
    files: Vec<PathBuf>,
    named_results: NamedResults,
    /// The original text of each rewritten file, by the path wit-parser reports.
    originals: BTreeMap<String, String>,
}

impl Reader {
    /// Takes over what `other` read (its files are now this load's).
    fn merge(&mut self, other: Reader) {
        self.files.extend(other.files);
        self.named_results.0.extend(other.named_results.0);
        self.originals.extend(other.originals);
    }

    /// Adds `text` (read from `path`) to `map`, rewritten to the current dialect.
    fn push(&mut self, map: &mut SourceMap, path: &str, text: String) {
        let rewritten = legacy::rewrite(&text);
        if rewritten.changed {
            self.named_results.record(path, &rewritten);
            map.push_str(path, rewritten.text);
            self.originals.insert(path.to_string(), text);
        } else {
            map.push_str(path, text);
        }
    }

    fn read(&mut self, map: &mut SourceMap, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("failed to read WIT file {}: {e}", path.display()))?;
        self.push(map, &path.display().to_string(), text);
        self.files.push(path.to_path_buf());
        Ok(())
    }

    fn parse(&self, map: SourceMap) -> Result<UnresolvedPackageGroup, String> {
        map.parse()
            .map_err(|(map, error)| self.restore_lines(&error.render(&map)))
    }

    /// The `*.wit` files of directory `dir` as one package.
    fn parse_dir(&mut self, dir: &Path) -> Result<UnresolvedPackageGroup, String> {
        let mut map = SourceMap::new();
        for path in sorted_entries(dir)? {
            if path.is_file() && path.extension().is_some_and(|e| e == "wit") {
                self.read(&mut map, &path)?;
            }
        }
        self.parse(map)
    }

    fn parse_file(&mut self, path: &Path) -> Result<UnresolvedPackageGroup, String> {
        let mut map = SourceMap::new();
        self.read(&mut map, path)?;
        self.parse(map)
    }

    /// Replaces the source lines wit-parser shows (` NNNN | text` after `--> file:line:col`)
    /// of rewritten files with the user's original lines.
    fn restore_lines(&self, rendered: &str) -> String {
        if self.originals.is_empty() {
            return rendered.to_string();
        }
        let mut current: Option<&str> = None;
        let mut out = Vec::new();
        for line in rendered.lines() {
            if let Some(location) = line.trim_start().strip_prefix("--> ") {
                current = location
                    .rsplitn(3, ':')
                    .nth(2)
                    .and_then(|file| self.originals.get(file))
                    .map(String::as_str);
            }
            let snippet = line.split_once(" | ").and_then(|(number, _)| {
                let number: usize = number.trim().parse().ok()?;
                current?.lines().nth(number.checked_sub(1)?)
            });
            match (snippet, line.split_once(" | ")) {
                (Some(original), Some((number, _))) => out.push(format!("{number} | {original}")),
                _ => out.push(line.to_string()),
            }
        }
        out.join("\n")
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries = std::fs::read_dir(dir)
        .and_then(|entries| {
            entries
                .map(|e| e.map(|e| e.path()))
                .collect::<std::io::Result<Vec<_>>>()
        })
        .map_err(|e| format!("failed to read WIT directory {}: {e}", dir.display()))?;
    entries.sort();
    Ok(entries)
}

/// Loads a `.wit` file, or a directory with `.wit` files and an optional `deps/` directory.
pub fn load_path(resolve: &mut Resolve, path: &Path) -> Result<Loaded, String> {
    load_path_with_deps(resolve, path, &[], &[])
}

/// Loads a target's WIT like [`load_path`], taking the packages it needs and does not find in
/// its own `deps/` from `wit_deps`: directories of package directories, as a Golem
/// application's `witDeps` lists them. As in golem-cli's build, the first directory that has a
/// package wins and only the packages the target needs, transitively, are read. What neither
/// has is taken from `shipped` (golem-rpc's own copies of Golem's and WASI's packages,
/// [`crate::shipped`]), if it is there.
pub fn load_path_with_deps(
    resolve: &mut Resolve,
    path: &Path,
    wit_deps: &[PathBuf],
    shipped: &[ShippedPackage],
) -> Result<Loaded, String> {
    let mut reader = Reader::default();
    let main = if path.is_dir() {
        reader.parse_dir(path)?
    } else {
        reader.parse_file(path)?
    };
    let mut deps = Vec::new();
    let deps_dir = path.join("deps");
    if path.is_dir() && deps_dir.is_dir() {
        for dep in sorted_entries(&deps_dir)? {
            if dep.is_dir() {
                deps.push(reader.parse_dir(&dep)?);
            } else {
                match dep.extension().and_then(|e| e.to_str()) {
                    Some("wit") => deps.push(reader.parse_file(&dep)?),
                    // A package encoded as wasm is already resolved: added as it is.
                    Some("wasm" | "wat") => {
                        resolve
                            .push_file(&dep)
                            .map_err(|e| resolve.render_error(&e))?;
                        reader.files.push(dep);
                    }
                    _ => {}
                }
            }
        }
    }
    if !wit_deps.is_empty() || !shipped.is_empty() {
        add_wit_deps(resolve, &mut reader, &main, &mut deps, wit_deps, shipped)?;
    }
    let package = if deps.is_empty() && !path.is_dir() {
        resolve.push_group(main)
    } else {
        resolve.push_groups(main, deps)
    };
    finish(resolve, reader, package)
}

/// Adds to `deps` the packages of `wit_deps`, then of `shipped`, that `main` and `deps` need and
/// neither has (nor `resolve`), transitively.
fn add_wit_deps(
    resolve: &Resolve,
    reader: &mut Reader,
    main: &UnresolvedPackageGroup,
    deps: &mut Vec<UnresolvedPackageGroup>,
    wit_deps: &[PathBuf],
    shipped: &[ShippedPackage],
) -> Result<(), String> {
    for dir in wit_deps {
        if !dir.is_dir() {
            return Err(format!(
                "the WIT dependency directory {} does not exist (check the application's `witDeps` \
                 or the `wit_deps` option of `import!`)",
                dir.display()
            ));
        }
    }
    let packages = |group: &UnresolvedPackageGroup| {
        std::iter::once(&group.main)
            .chain(&group.nested)
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
    };
    let mut have: BTreeSet<String> = resolve
        .package_names
        .keys()
        .map(ToString::to_string)
        .collect();
    let mut wanted: Vec<PackageName> = Vec::new();
    for group in std::iter::once(main).chain(deps.iter()) {
        have.extend(packages(group).iter().map(ToString::to_string));
        for package in std::iter::once(&group.main).chain(&group.nested) {
            wanted.extend(package.foreign_deps.keys().cloned());
        }
    }
    // Nothing missing (the common case for every `import!`): nothing to read.
    if wanted.iter().all(|name| have.contains(&name.to_string())) {
        return Ok(());
    }

    // Every package the witDeps directories hold, first directory first, read on its own so
    // that only the packages used are tracked.
    let mut available: Vec<(PackageName, Reader, UnresolvedPackageGroup)> = Vec::new();
    for dir in wit_deps {
        for entry in sorted_entries(dir)? {
            if entry.is_dir() {
                let mut own = Reader::default();
                let group = own.parse_dir(&entry)?;
                available.push((group.main.name.clone(), own, group));
            }
        }
    }
    while let Some(name) = wanted.pop() {
        let key = name.to_string();
        if have.contains(&key) {
            continue;
        }
        let found = match available.iter().position(|(n, _, _)| *n == name) {
            Some(index) => {
                let (_, own, group) = available.remove(index);
                Some((own, group))
            }
            // golem-rpc's copies come last, read only when used; they are not files of the
            // target (nothing to track).
            None => match shipped.iter().find(|p| p.name == key) {
                Some(package) => Some(parse_shipped(package)?),
                None => None,
            },
        };
        let Some((own, group)) = found else {
            // Nobody has it: wit-parser reports it, with the line that uses it.
            have.insert(key);
            continue;
        };
        have.extend(packages(&group).iter().map(ToString::to_string));
        for package in std::iter::once(&group.main).chain(&group.nested) {
            wanted.extend(package.foreign_deps.keys().cloned());
        }
        reader.merge(own);
        deps.push(group);
    }
    Ok(())
}

/// One of golem-rpc's own packages, parsed.
fn parse_shipped(package: &ShippedPackage) -> Result<(Reader, UnresolvedPackageGroup), String> {
    let mut own = Reader::default();
    let mut map = SourceMap::new();
    for (file, text) in package.files {
        own.push(
            &mut map,
            &format!("<golem-rpc's {}/{file}>", package.dir),
            text.to_string(),
        );
    }
    let group = own.parse(map)?;
    Ok((own, group))
}

/// Loads WIT text; `name` stands for its file name in error messages.
pub fn load_str(resolve: &mut Resolve, name: &str, text: &str) -> Result<Loaded, String> {
    let mut reader = Reader::default();
    let mut map = SourceMap::new();
    reader.push(&mut map, name, text.to_string());
    let group = reader.parse(map)?;
    let package = resolve.push_group(group);
    finish(resolve, reader, package)
}

fn finish(
    resolve: &Resolve,
    reader: Reader,
    package: wit_parser::ResolveResult<PackageId>,
) -> Result<Loaded, String> {
    let package = package.map_err(|e| reader.restore_lines(&resolve.render_error(&e.into())))?;
    Ok(Loaded {
        package,
        files: reader.files,
        named_results: reader.named_results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_wit_loads_and_errors_show_the_users_line() {
        let mut resolve = Resolve::default();
        let loaded = load_str(
            &mut resolve,
            "auction.wit",
            "package golem:it;\ninterface api {\n  initialize: func(price: float32) -> ();\n  pair: func() -> (a: u32, b: float64);\n}\nworld w { export api; }\n",
        )
        .unwrap();
        let pair = resolve.packages[loaded.package]
            .interfaces
            .get("api")
            .map(|id| &resolve.interfaces[*id].functions["pair"])
            .unwrap();
        assert!(loaded.named_results.contains(&resolve, pair));
        assert_eq!(
            crate::signature(&resolve, pair),
            "func() -> tuple<u32, f64>"
        );

        let error = load_str(
            &mut Resolve::default(),
            "bad.wit",
            "package a:b;\ninterface i {\n  f: func(x: float32) -> (a: u32, b: u32;\n}\n",
        )
        .unwrap_err();
        assert!(error.contains("--> bad.wit:3:"), "{error}");
        assert!(
            error.contains("f: func(x: float32) -> (a: u32, b: u32;"),
            "the user's line is shown: {error}"
        );
    }
}
