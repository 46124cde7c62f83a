#!/usr/bin/env python3
"""Checks the `rust-version` each published crate declares (every member not `publish = false`).

1. No dependency asks for more: the declared version is at least the highest `rust-version` of
   the crates it depends on (normal and build dependencies, transitively, as resolved in
   Cargo.lock with all features).
2. It really builds with it: for each declared version older than the current toolchain,
   installs that toolchain (`--profile minimal`, plus the targets the crates list in
   `[package.metadata.docs.rs]`) and runs `cargo +VERSION check` of those crates' libraries and
   binaries for every such target. Crates that declare the current toolchain's version are built
   by the rest of CI. Their tests may need more (golem-rpc-cli's use golem-rpc-host).

Usage: scripts/check-msrv.py [--no-build]   (--no-build: only step 1, no toolchain installs)
"""
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "x86_64-unknown-linux-gnu"


def version(text):
    return tuple(int(part) for part in text.split(".")) + (0,) * (3 - text.count(".") - 1)


def show(v):
    return ".".join(map(str, v[:2] if v[2] == 0 else v))


def doc_targets(package):
    """The targets in `[package.metadata.docs.rs]`, or the host's."""
    docs_rs = ((package.get("metadata") or {}).get("docs") or {}).get("rs") or {}
    return docs_rs.get("targets", [HOST])


def run(*args):
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True)


def main():
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    members = set(metadata["workspace_members"])
    published = [packages[i] for i in sorted(members) if packages[i]["publish"] != []]

    failures = []
    by_version = defaultdict(list)
    for package in published:
        declared = package.get("rust_version")
        if not declared:
            failures.append(f"{package['name']} declares no rust-version")
            continue
        needs, seen, stack = [], set(), [package["id"]]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for dep in nodes[node]["deps"]:
                if any(kind["kind"] != "dev" for kind in dep["dep_kinds"]):
                    stack.append(dep["pkg"])
        for dep in seen - {package["id"]}:
            wanted = packages[dep].get("rust_version")
            if wanted and version(wanted) > version(declared):
                needs.append(f"{packages[dep]['name']} {packages[dep]['version']} needs {wanted}")
        if needs:
            failures.append(f"{package['name']} declares rust-version {declared}, but "
                            + "; ".join(sorted(needs)))
        highest = max((version(packages[d]["rust_version"]) for d in seen - {package["id"]}
                       if packages[d].get("rust_version")), default=(0, 0, 0))
        print(f"{package['name']}: rust-version {declared}, dependencies need {show(highest)}")
        by_version[version(declared)].append(package)
    if failures:
        sys.exit("error: " + "\nerror: ".join(failures))
    if "--no-build" in sys.argv[1:]:
        return

    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=True)
    current = version(re.match(r"rustc (\d+\.\d+\.\d+)", rustc.stdout).group(1))
    for declared, group in sorted(by_version.items()):
        if declared[:2] >= current[:2]:
            continue
        toolchain = show(declared)
        targets = sorted({t for p in group for t in doc_targets(p)})
        run("rustup", "toolchain", "install", toolchain, "--profile", "minimal",
            "--no-self-update", *[a for t in targets if t != HOST for a in ("--target", t)])
        for target in targets:
            names = [p["name"] for p in group if target in doc_targets(p)]
            target_args = [] if target == HOST else ["--target", target]
            run("cargo", f"+{toolchain}", "check", "--locked", "--lib", "--bins", *target_args,
                *[a for n in names for a in ("-p", n)])


if __name__ == "__main__":
    main()
