//! Function names passed to `invoke*` (protocol.md §2).
//!
//! Grammar (golem-rib's `function_name`): `[ns:pkg/]iface[@semver].{ref}` or a bare identifier
//! for a world-level function, where `ref` is `f`, `res.new` / `[constructor]res`,
//! `res.drop` / `[drop]res`, `res.m` / `[method]res.m` or `[static]res.m`. Identifiers are
//! kebab-case (ASCII letters, digits and `-`). Golem's "indexed resource" forms (`res(args).m`)
//! are not accepted.

use std::fmt;
use std::str::FromStr;

/// Where a function lives: at the root of the component or inside an exported interface.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FunctionSite {
    /// A world-level export, named by a bare identifier.
    Global,
    /// A function of an exported interface.
    Interface {
        /// `(namespace, package)` for `ns:pkg/iface`; `None` for an inline interface `iface`.
        package: Option<(String, String)>,
        /// The interface name.
        interface: String,
        /// The package version after `@`, if any.
        version: Option<String>,
    },
}

impl FunctionSite {
    /// The component export name of the interface (`ns:pkg/iface[@ver]` or `iface`), if any.
    pub fn interface_name(&self) -> Option<String> {
        match self {
            FunctionSite::Global => None,
            FunctionSite::Interface {
                package,
                interface,
                version,
            } => {
                let mut name = String::new();
                if let Some((ns, pkg)) = package {
                    name.push_str(&format!("{ns}:{pkg}/"));
                }
                name.push_str(interface);
                if let Some(version) = version {
                    name.push('@');
                    name.push_str(version);
                }
                Some(name)
            }
        }
    }
}

/// What is being called inside the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FunctionRef {
    /// A plain function.
    Function(String),
    /// A resource constructor (`res.new`, `[constructor]res`).
    ResourceConstructor {
        /// The resource name.
        resource: String,
    },
    /// A resource method (`res.m`, `[method]res.m`); Golem retries as static if missing.
    ResourceMethod {
        /// The resource name.
        resource: String,
        /// The method name.
        method: String,
    },
    /// A static resource function (`[static]res.m`).
    ResourceStatic {
        /// The resource name.
        resource: String,
        /// The function name.
        method: String,
    },
    /// A resource drop (`res.drop`, `[drop]res`).
    ResourceDrop {
        /// The resource name.
        resource: String,
    },
}

impl FunctionRef {
    /// The name of the corresponding export inside the interface (e.g. `[method]res.m`).
    ///
    /// For a drop there is no real export (`[drop]res` is handled by the host in Golem).
    pub fn export_name(&self) -> String {
        match self {
            FunctionRef::Function(f) => f.clone(),
            FunctionRef::ResourceConstructor { resource } => format!("[constructor]{resource}"),
            FunctionRef::ResourceMethod { resource, method } => {
                format!("[method]{resource}.{method}")
            }
            FunctionRef::ResourceStatic { resource, method } => {
                format!("[static]{resource}.{method}")
            }
            FunctionRef::ResourceDrop { resource } => format!("[drop]{resource}"),
        }
    }
}

/// A parsed `invoke*` function name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParsedFunctionName {
    /// The interface (or root) the function belongs to.
    pub site: FunctionSite,
    /// The function inside the site.
    pub function: FunctionRef,
}

impl ParsedFunctionName {
    /// Parses a Golem function name such as `demo:counter/api.{add}` or `ping`.
    pub fn parse(name: &str) -> Result<Self, FunctionNameError> {
        let error = |reason: &str| FunctionNameError {
            name: name.to_string(),
            reason: reason.to_string(),
        };
        let Some((site, rest)) = name.split_once(".{") else {
            if is_identifier(name) {
                return Ok(Self {
                    site: FunctionSite::Global,
                    function: FunctionRef::Function(name.to_string()),
                });
            }
            return Err(error(
                "expected `[ns:pkg/]iface[@version].{function}` or a bare function name",
            ));
        };
        let reference = rest
            .strip_suffix('}')
            .ok_or_else(|| error("missing closing `}`"))?;
        if reference.contains(['{', '}']) {
            return Err(error("unexpected brace inside `{...}`"));
        }
        let site = parse_site(site).map_err(|reason| error(&reason))?;
        let function = parse_reference(reference).map_err(|reason| error(&reason))?;
        Ok(Self { site, function })
    }
}

impl FromStr for ParsedFunctionName {
    type Err = FunctionNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ParsedFunctionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reference = match &self.function {
            FunctionRef::Function(name) => name.clone(),
            FunctionRef::ResourceConstructor { resource } => format!("{resource}.new"),
            FunctionRef::ResourceMethod { resource, method } => format!("{resource}.{method}"),
            FunctionRef::ResourceStatic { resource, method } => {
                format!("[static]{resource}.{method}")
            }
            FunctionRef::ResourceDrop { resource } => format!("{resource}.drop"),
        };
        match self.site.interface_name() {
            None => f.write_str(&reference),
            Some(interface) => write!(f, "{interface}.{{{reference}}}"),
        }
    }
}

/// A function name that does not follow the Golem grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionNameError {
    /// The rejected name.
    pub name: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for FunctionNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid function name `{}`: {}", self.name, self.reason)
    }
}

impl std::error::Error for FunctionNameError {}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn identifier(s: &str, what: &str) -> Result<String, String> {
    if is_identifier(s) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a valid {what} name"))
    }
}

fn parse_site(site: &str) -> Result<FunctionSite, String> {
    let (package, interface_and_version) = match site.split_once('/') {
        Some((ns_pkg, rest)) => {
            let (ns, pkg) = ns_pkg
                .split_once(':')
                .ok_or_else(|| format!("`{ns_pkg}` is not of the form `namespace:package`"))?;
            (
                Some((identifier(ns, "namespace")?, identifier(pkg, "package")?)),
                rest,
            )
        }
        None => (None, site),
    };
    let (interface, version) = match interface_and_version.split_once('@') {
        Some((interface, version)) => {
            semver::Version::parse(version)
                .map_err(|err| format!("`{version}` is not a valid version: {err}"))?;
            (interface, Some(version.to_string()))
        }
        None => (interface_and_version, None),
    };
    Ok(FunctionSite::Interface {
        package,
        interface: identifier(interface, "interface")?,
        version,
    })
}

fn parse_reference(reference: &str) -> Result<FunctionRef, String> {
    if reference.contains('(') {
        return Err("indexed resource syntax `res(...)` is not supported".to_string());
    }
    if let Some(resource) = reference.strip_prefix("[constructor]") {
        return Ok(FunctionRef::ResourceConstructor {
            resource: identifier(resource, "resource")?,
        });
    }
    if let Some(resource) = reference.strip_prefix("[drop]") {
        return Ok(FunctionRef::ResourceDrop {
            resource: identifier(resource, "resource")?,
        });
    }
    if let Some(rest) = reference.strip_prefix("[method]") {
        let (resource, method) = split_member(rest)?;
        return Ok(FunctionRef::ResourceMethod { resource, method });
    }
    if let Some(rest) = reference.strip_prefix("[static]") {
        let (resource, method) = split_member(rest)?;
        return Ok(FunctionRef::ResourceStatic { resource, method });
    }
    if !reference.contains('.') {
        return Ok(FunctionRef::Function(identifier(reference, "function")?));
    }
    let (resource, member) = split_member(reference)?;
    Ok(match member.as_str() {
        "new" => FunctionRef::ResourceConstructor { resource },
        "drop" => FunctionRef::ResourceDrop { resource },
        _ => FunctionRef::ResourceMethod {
            resource,
            method: member,
        },
    })
}

fn split_member(s: &str) -> Result<(String, String), String> {
    let (resource, member) = s
        .split_once('.')
        .ok_or_else(|| format!("`{s}` is not of the form `resource.function`"))?;
    Ok((
        identifier(resource, "resource")?,
        identifier(member, "function")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interface(ns_pkg: Option<(&str, &str)>, iface: &str, version: Option<&str>) -> FunctionSite {
        FunctionSite::Interface {
            package: ns_pkg.map(|(ns, pkg)| (ns.to_string(), pkg.to_string())),
            interface: iface.to_string(),
            version: version.map(str::to_string),
        }
    }

    #[test]
    fn parses_interface_functions() {
        let parsed = ParsedFunctionName::parse("demo:counter/api.{add-all}").unwrap();
        assert_eq!(
            parsed.site,
            interface(Some(("demo", "counter")), "api", None)
        );
        assert_eq!(
            parsed.function,
            FunctionRef::Function("add-all".to_string())
        );
        assert_eq!(
            parsed.site.interface_name().as_deref(),
            Some("demo:counter/api")
        );
        assert_eq!(parsed.to_string(), "demo:counter/api.{add-all}");
    }

    #[test]
    fn parses_versions() {
        let parsed = ParsedFunctionName::parse("ns:pkg/iface@1.2.3-rc.1.{f}").unwrap();
        assert_eq!(
            parsed.site,
            interface(Some(("ns", "pkg")), "iface", Some("1.2.3-rc.1"))
        );
        assert_eq!(
            parsed.site.interface_name().as_deref(),
            Some("ns:pkg/iface@1.2.3-rc.1")
        );
        assert!(ParsedFunctionName::parse("ns:pkg/iface@1.2.{f}").is_err());
    }

    #[test]
    fn parses_inline_interfaces_and_globals() {
        let parsed = ParsedFunctionName::parse("api.{get}").unwrap();
        assert_eq!(parsed.site, interface(None, "api", None));
        let parsed = ParsedFunctionName::parse("ping").unwrap();
        assert_eq!(parsed.site, FunctionSite::Global);
        assert_eq!(parsed.function, FunctionRef::Function("ping".to_string()));
        assert_eq!(parsed.function.export_name(), "ping");
    }

    #[test]
    fn parses_resource_forms() {
        let cases = [
            (
                "a:b/c.{counter.new}",
                FunctionRef::ResourceConstructor {
                    resource: "counter".into(),
                },
            ),
            (
                "a:b/c.{[constructor]counter}",
                FunctionRef::ResourceConstructor {
                    resource: "counter".into(),
                },
            ),
            (
                "a:b/c.{counter.drop}",
                FunctionRef::ResourceDrop {
                    resource: "counter".into(),
                },
            ),
            (
                "a:b/c.{[drop]counter}",
                FunctionRef::ResourceDrop {
                    resource: "counter".into(),
                },
            ),
            (
                "a:b/c.{counter.inc-by}",
                FunctionRef::ResourceMethod {
                    resource: "counter".into(),
                    method: "inc-by".into(),
                },
            ),
            (
                "a:b/c.{[method]counter.inc-by}",
                FunctionRef::ResourceMethod {
                    resource: "counter".into(),
                    method: "inc-by".into(),
                },
            ),
            (
                "a:b/c.{[static]counter.make}",
                FunctionRef::ResourceStatic {
                    resource: "counter".into(),
                    method: "make".into(),
                },
            ),
        ];
        for (name, expected) in cases {
            let parsed = ParsedFunctionName::parse(name).unwrap();
            assert_eq!(parsed.function, expected, "{name}");
        }
        assert_eq!(
            ParsedFunctionName::parse("a:b/c.{counter.inc-by}")
                .unwrap()
                .function
                .export_name(),
            "[method]counter.inc-by"
        );
    }

    #[test]
    fn rejects_malformed_names() {
        for name in [
            "",
            "a:b/c.{}",
            "a:b/c.{f",
            "a:b/c.{f}x",
            "a:b/c.{f}}",
            "a/c.{f}",
            ":b/c.{f}",
            "a:b/.{f}",
            "a:b/c.{res(1).m}",
            "a:b/c.{a.b.c}",
            "a:b/c#f",
            "foo.bar",
            "fo o",
            "a:b/c@.{f}",
        ] {
            assert!(
                ParsedFunctionName::parse(name).is_err(),
                "{name:?} should be rejected"
            );
        }
    }
}
