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
# Verification builds the packaged crates as registry crates, which cargo takes to never change:
# it unpacks a name-version once (under $CARGO_HOME/registry/src) and never checks a registry
# build's sources again (its dep-info lists none). After an earlier run it would verify the new
# packages with the old sources and builds of the same version: both go first.
cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] != []:
        print(p["name"], p["version"])
' | while read -r name version; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version"
    for dep_info in target/debug/.fingerprint/"$name"-*/dep-lib-*; do
        [ -e "$dep_info" ] || continue
        if ! grep -aq '\.rs' "$dep_info"; then
            rm -rf "$(dirname "$dep_info")"
        fi
    done
done
# --allow-dirty: this checks what would be packaged, committed or not.
# shellcheck disable=SC2086
exec cargo package --workspace $excludes --allow-dirty "$@"
