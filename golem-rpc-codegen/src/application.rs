//! Golem applications: a `golem.yaml` manifest tree, as golem-cli (1.1's and 1.2's application
//! model) reads it, enough to tell which component a target's WIT is and how golem-cli builds it.
//!
//! What is read (golem-cli 1.2.5 `golem-cli/src/app/context.rs`, `model/app.rs`,
//! `model/app_raw.rs`):
//! - the root manifest is the *outermost* `golem.yaml` in the directory of the target's WIT or
//!   above it;
//! - its `includes:` globs (default `**/golem.yaml`), relative to its directory, name the other
//!   manifests;
//! - `witDeps:` (in any one manifest) lists directories of WIT packages, relative to that
//!   manifest;
//! - `components:` maps a component's name (deployed as written, `counters` or `rpc:counters`) to
//!   its properties, `templates:` maps template names to properties a component takes with
//!   `template: name`; `sourceWit` (directly or in a `profiles:` entry) is the component's WIT
//!   directory, relative to the manifest that declares the component, and may use the template
//!   variables `component_name` / `componentName` with golem-cli's case filters; `generatedWit`
//!   likewise;
//! - `dependencies:` maps a component's name to a list of `{type, target | path | url}`: its RPC
//!   targets (`wasm-rpc`, `static-wasm-rpc`) and libraries (`wasm`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

/// The manifest file name golem-cli looks for.
pub const MANIFEST: &str = "golem.yaml";

/// A Golem application: its manifests' components and WIT dependencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The root manifest.
    pub root: PathBuf,
    /// Every manifest read (the root first).
    pub manifests: Vec<PathBuf>,
    /// The `witDeps` directories.
    pub wit_deps: Vec<PathBuf>,
    /// The components, in manifest order.
    pub components: Vec<Component>,
    /// The `dependencies:` entries, in manifest order.
    pub dependencies: Vec<Dependency>,
}

/// One entry of a component's `dependencies:` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The dependent component (the key of the list).
    pub component: String,
    /// The manifest that declares it.
    pub manifest: PathBuf,
    /// `type:` (`wasm-rpc`, `static-wasm-rpc`, `wasm`).
    pub kind: String,
    /// `target:`, the component depended on (absent for `path:` / `url:` libraries).
    pub target: Option<String>,
}

impl Dependency {
    /// An RPC dependency: golem-cli generates a client of the target for it.
    pub fn is_rpc(&self) -> bool {
        matches!(self.kind.as_str(), "wasm-rpc" | "static-wasm-rpc")
    }
}

/// A component of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Its name, as written in the manifest and deployed.
    pub name: String,
    /// The manifest that declares it.
    pub manifest: PathBuf,
    /// Its `sourceWit` directories (several where profiles differ).
    pub source_wit: Vec<PathBuf>,
    /// Its `generatedWit` directories (several where profiles differ).
    pub generated_wit: Vec<PathBuf>,
}

/// Which components of an application a WIT path is the `sourceWit` of.
#[derive(Debug)]
pub enum Membership<'a> {
    /// Exactly one.
    Component(&'a Component),
    /// None: the WIT lies inside the application, but no manifest names it.
    None,
    /// Several components share it.
    Several(Vec<&'a Component>),
}

/// A manifest that cannot be read as golem-cli reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The manifest.
    pub manifest: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.manifest.display(), self.message)
    }
}

impl std::error::Error for ManifestError {}

/// The application the WIT at `path` (a file or directory) belongs to: found from the outermost
/// `golem.yaml` in its directory or above. `None` outside any application.
pub fn find(path: &Path) -> Result<Option<Application>, ManifestError> {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    let Some(root) = dir
        .ancestors()
        .map(|d| d.join(MANIFEST))
        .filter(|m| m.is_file())
        .last()
    else {
        return Ok(None);
    };
    load(&root).map(Some)
}

/// Reads the application whose root manifest is `root`.
pub fn load(root: &Path) -> Result<Application, ManifestError> {
    let root_dir = root.parent().unwrap_or(Path::new("."));
    let root_yaml = read(root)?;
    let includes = match root_yaml.get("includes") {
        None => vec!["**/golem.yaml".to_string()],
        Some(value) => strings(root, "includes", value)?,
    };
    let patterns = includes
        .iter()
        .map(|glob| {
            glob::Pattern::new(glob).map_err(|e| ManifestError {
                manifest: root.to_path_buf(),
                message: format!("`includes` entry `{glob}` is not a glob: {e}"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut manifests = vec![root.to_path_buf()];
    for found in manifests_below(root_dir) {
        let relative = found.strip_prefix(root_dir).unwrap_or(&found);
        if found != root && patterns.iter().any(|p| p.matches_path(relative)) {
            manifests.push(found);
        }
    }

    let mut yamls = vec![(root.to_path_buf(), root_yaml)];
    for manifest in &manifests[1..] {
        yamls.push((manifest.clone(), read(manifest)?));
    }

    let mut wit_deps: Option<(PathBuf, Vec<PathBuf>)> = None;
    let mut templates: BTreeMap<String, (PathBuf, Mapping)> = BTreeMap::new();
    let mut declared: Vec<(String, PathBuf, Mapping)> = Vec::new();
    let mut dependencies = Vec::new();
    for (manifest, yaml) in &yamls {
        let dir = manifest.parent().unwrap_or(Path::new("."));
        if let Some(value) = yaml.get("witDeps") {
            if let Some((first, _)) = &wit_deps {
                return Err(ManifestError {
                    manifest: manifest.clone(),
                    message: format!(
                        "`witDeps` is defined in multiple sources (also in {}), as golem-cli refuses",
                        first.display()
                    ),
                });
            }
            let dirs = strings(manifest, "witDeps", value)?
                .iter()
                .map(|d| dir.join(d))
                .collect();
            wit_deps = Some((manifest.clone(), dirs));
        }
        for (name, props) in mapping(manifest, "templates", yaml.get("templates"))? {
            templates.insert(name, (manifest.clone(), props));
        }
        for (name, props) in mapping(manifest, "components", yaml.get("components"))? {
            declared.push((name, manifest.clone(), props));
        }
        dependencies.extend(read_dependencies(manifest, yaml.get("dependencies"))?);
    }

    let mut components = Vec::new();
    for (name, manifest, props) in declared {
        let template = match props.get("template") {
            None => None,
            Some(template) => {
                let template = template.as_str().ok_or_else(|| ManifestError {
                    manifest: manifest.clone(),
                    message: format!("component `{name}`: `template` must be a string"),
                })?;
                Some(templates.get(template).ok_or_else(|| ManifestError {
                    manifest: manifest.clone(),
                    message: format!(
                        "component `{name}` uses template `{template}`, which no manifest defines"
                    ),
                })?)
            }
        };
        let paths = |key: &str| -> Result<Vec<PathBuf>, ManifestError> {
            let mut written = wit_paths(&manifest, &props, key)?;
            if written.is_empty()
                && let Some((template_manifest, template_props)) = template
            {
                written = wit_paths(template_manifest, template_props, key)?;
            }
            let dir = manifest.parent().unwrap_or(Path::new("."));
            let mut paths = Vec::new();
            for wit in written {
                let rendered = render(&wit, &name).map_err(|message| ManifestError {
                    manifest: manifest.clone(),
                    message: format!("component `{name}`: `{key}: {wit}`: {message}"),
                })?;
                let path = dir.join(rendered);
                let path = path.canonicalize().unwrap_or(path);
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
            Ok(paths)
        };
        let source_wit = paths("sourceWit")?;
        let generated_wit = paths("generatedWit")?;
        components.push(Component {
            name,
            manifest,
            source_wit,
            generated_wit,
        });
    }

    Ok(Application {
        root: root.to_path_buf(),
        manifests,
        wit_deps: wit_deps.map(|(_, dirs)| dirs).unwrap_or_default(),
        components,
        dependencies,
    })
}

impl Application {
    /// The components whose `sourceWit` is the WIT at `path` (a directory, or a file in one).
    pub fn membership(&self, path: &Path) -> Membership<'_> {
        let dir = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(path)
        };
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let found: Vec<&Component> = self
            .components
            .iter()
            .filter(|c| c.source_wit.contains(&dir))
            .collect();
        match found.as_slice() {
            [] => Membership::None,
            [one] => Membership::Component(one),
            _ => Membership::Several(found),
        }
    }
}

fn read(manifest: &Path) -> Result<Mapping, ManifestError> {
    let error = |message: String| ManifestError {
        manifest: manifest.to_path_buf(),
        message,
    };
    let text =
        std::fs::read_to_string(manifest).map_err(|e| error(format!("cannot read it: {e}")))?;
    match serde_yaml::from_str::<Value>(&text) {
        Ok(Value::Mapping(mapping)) => Ok(mapping),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(error("expected a mapping at the top level".to_string())),
        Err(e) => Err(error(format!("not valid YAML: {e}"))),
    }
}

fn strings(manifest: &Path, key: &str, value: &Value) -> Result<Vec<String>, ManifestError> {
    let error = || ManifestError {
        manifest: manifest.to_path_buf(),
        message: format!("`{key}` must be a list of strings"),
    };
    let Value::Sequence(items) = value else {
        return Err(error());
    };
    items
        .iter()
        .map(|item| item.as_str().map(str::to_string).ok_or_else(error))
        .collect()
}

/// The entries of a `name: {properties}` mapping (`components`, `templates`, `profiles`).
fn mapping(
    manifest: &Path,
    key: &str,
    value: Option<&Value>,
) -> Result<Vec<(String, Mapping)>, ManifestError> {
    let error = |message: String| ManifestError {
        manifest: manifest.to_path_buf(),
        message,
    };
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Value::Mapping(entries) = value else {
        return Err(error(format!(
            "`{key}` must be a mapping of names to properties"
        )));
    };
    entries
        .iter()
        .map(|(name, props)| {
            let name = name
                .as_str()
                .ok_or_else(|| error(format!("`{key}`: names must be strings")))?;
            match props {
                Value::Mapping(props) => Ok((name.to_string(), props.clone())),
                Value::Null => Ok((name.to_string(), Mapping::new())),
                _ => Err(error(format!(
                    "`{key}.{name}` must be a mapping of properties"
                ))),
            }
        })
        .collect()
}

/// `sourceWit` / `generatedWit` (`key`) of a component's or template's properties: given
/// directly, else in each profile.
fn wit_paths(manifest: &Path, props: &Mapping, key: &str) -> Result<Vec<String>, ManifestError> {
    let error = || ManifestError {
        manifest: manifest.to_path_buf(),
        message: format!("`{key}` must be a string"),
    };
    if let Some(wit) = props.get(key) {
        return Ok(vec![wit.as_str().ok_or_else(error)?.to_string()]);
    }
    let mut wits = Vec::new();
    for (_, profile) in mapping(manifest, "profiles", props.get("profiles"))? {
        if let Some(wit) = profile.get(key) {
            wits.push(wit.as_str().ok_or_else(error)?.to_string());
        }
    }
    Ok(wits)
}

/// A manifest's `dependencies:` (`component: [{type, target | path | url}]`).
fn read_dependencies(
    manifest: &Path,
    value: Option<&Value>,
) -> Result<Vec<Dependency>, ManifestError> {
    let error = |message: String| ManifestError {
        manifest: manifest.to_path_buf(),
        message,
    };
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Value::Mapping(entries) = value else {
        return Err(error(
            "`dependencies` must be a mapping of component names to lists".to_string(),
        ));
    };
    let mut dependencies = Vec::new();
    for (component, list) in entries {
        let component = component
            .as_str()
            .ok_or_else(|| error("`dependencies`: names must be strings".to_string()))?;
        let items = match list {
            Value::Sequence(items) => items.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(error(format!("`dependencies.{component}` must be a list")));
            }
        };
        for item in items {
            let field = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
            let kind = field("type").ok_or_else(|| {
                error(format!(
                    "`dependencies.{component}`: every entry needs a `type`"
                ))
            })?;
            dependencies.push(Dependency {
                component: component.to_string(),
                manifest: manifest.to_path_buf(),
                kind,
                target: field("target"),
            });
        }
    }
    Ok(dependencies)
}

/// Renders golem-cli's template expressions in `text` for component `name`:
/// `{{ component_name }}` / `{{ componentName }}`, optionally with one of golem-cli's case
/// filters (`| to_snake_case`, `to_kebab_case`, `to_lower_camel_case`, `to_upper_camel_case`).
fn render(text: &str, name: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .ok_or_else(|| "an unclosed `{{`".to_string())?;
        let expression = rest[start + 2..start + end].trim();
        let mut parts = expression.split('|').map(str::trim);
        match parts.next() {
            Some("component_name" | "componentName") => {}
            _ => {
                return Err(format!(
                    "golem-rpc reads only `{{{{ component_name }}}}` here, not `{{{{ {expression} }}}}`"
                ));
            }
        }
        let mut value = name.to_string();
        for filter in parts {
            value = match filter {
                "to_snake_case" => words(&value).join("_"),
                "to_kebab_case" => words(&value).join("-"),
                "to_lower_camel_case" => camel(&value, false),
                "to_upper_camel_case" => camel(&value, true),
                other => return Err(format!("golem-rpc does not know the filter `{other}`")),
            };
        }
        out.push_str(&value);
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The lowercase words of a name (`rpc:counters-v2` → `rpc`, `counters`, `v2`), split at
/// anything not alphanumeric and before an uppercase letter that follows a lowercase one.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn camel(name: &str, upper_first: bool) -> String {
    words(name)
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) if i > 0 || upper_first => {
                    first.to_uppercase().chain(chars).collect::<String>()
                }
                _ => word.clone(),
            }
        })
        .collect()
}

/// Every `golem.yaml` below `dir`, skipping hidden directories and the build output golem-cli's
/// manifests never live in (`target`, `node_modules`).
fn manifests_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if name == MANIFEST {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_expressions_render_like_golem_cli() {
        assert_eq!(render("wit", "rpc:counters").unwrap(), "wit");
        assert_eq!(
            render(
                "../{{ component_name | to_snake_case }}/wit",
                "rpc:counters-v2"
            )
            .unwrap(),
            "../rpc_counters_v2/wit"
        );
        assert_eq!(
            render("{{componentName|to_kebab_case}}", "myCounter").unwrap(),
            "my-counter"
        );
        assert_eq!(
            render("{{ component_name | to_upper_camel_case }}", "rpc:counters").unwrap(),
            "RpcCounters"
        );
        assert!(
            render("{{ profile }}", "x")
                .unwrap_err()
                .contains("profile")
        );
        assert!(
            render("{{ component_name | shout }}", "x")
                .unwrap_err()
                .contains("shout")
        );
    }
}
