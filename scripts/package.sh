#!/usr/bin/env bash
# `cargo package` of the crates users install: every workspace member except those marked
# `publish = false` (tests, examples, test components). Unlike `cargo publish --workspace`,
# `cargo package --workspace` does not skip those, and the guest components among them are
# cdylibs that only link for wasm, so they are excluded here. Each package is verified by
# building it from its packaged sources, in the workspace's target directory, with the packages
# it depends on taken from a temporary local registry of the packaged ones.
#
# Usage: scripts/package.sh [CARGO PACKAGE OPTIONS]   (e.g. --list, --no-verify)
# Output: target/package/{name}-{version}.crate
set -euo pipefail
cd "$(dirname "$0")/.."

excludes=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] == []:
        print("--exclude", p["name"])
')
# --allow-dirty: this checks what would be packaged, committed or not.
# shellcheck disable=SC2086
exec cargo package --workspace $excludes --allow-dirty "$@"
