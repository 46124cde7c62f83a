#!/usr/bin/env bash
# Builds a caller component the way a user of the published crates would: a crate outside the
# workspace that depends on `golem-rpc = "0.1"`, with crates.io's golem-rpc, golem-rpc-macro
# and golem-rpc-codegen replaced ([patch.crates-io]) by the sources in the .crate files that
# scripts/package.sh wrote to target/package/. Run scripts/package.sh first.
#
# The crate lives in a temporary directory and is removed afterwards; it reuses the workspace's
# Cargo.lock (so dependency versions match what CI tests) and target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target_dir=${CARGO_TARGET_DIR:-$root/target}
version=$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "golem-rpc"))')

scratch=$(mktemp -d "${TMPDIR:-/tmp}/golem-rpc-scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/crates" "$scratch/caller/src" "$scratch/caller/wit"
for crate in golem-rpc golem-rpc-macro golem-rpc-codegen; do
    tar -xzf "$target_dir/package/$crate-$version.crate" -C "$scratch/crates"
done

cat >"$scratch/caller/Cargo.toml" <<TOML
[package]
name = "scratch-caller"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
golem-rpc = "0.1"

[patch.crates-io]
golem-rpc = { path = "../crates/golem-rpc-$version" }
golem-rpc-macro = { path = "../crates/golem-rpc-macro-$version" }
golem-rpc-codegen = { path = "../crates/golem-rpc-codegen-$version" }

[workspace]
TOML
cp examples/counter/counter/wit/counter.wit "$scratch/caller/wit/"
cat >"$scratch/caller/src/main.rs" <<'RUST'
golem_rpc::import!("wit/counter.wit");

fn main() {
    let uri = std::env::args().nth(1).expect("usage: scratch-caller urn:worker:{component}/{name}");
    let api = counter::api::Api::new(&golem_rpc::Uri::parse(&uri).expect("a worker URI"));
    api.blocking_add(5);
    println!("total: {}", api.blocking_get());
}
RUST
cp Cargo.lock "$scratch/caller/"

cd "$scratch/caller"
CARGO_TARGET_DIR=$target_dir cargo build --target wasm32-wasip2
wasm=$target_dir/wasm32-wasip2/debug/scratch-caller.wasm
test -s "$wasm"
echo "built $wasm ($(wc -c <"$wasm") bytes) against the packaged golem-rpc $version"
