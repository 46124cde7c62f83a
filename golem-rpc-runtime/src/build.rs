//! For build scripts: make cargo rebuild when WIT files are *added*.
//!
//! `import!` tracks every WIT file it reads (it expands to `include_bytes!` of each), so editing
//! one rebuilds the caller. A file added later was never read, and stable Rust gives proc macros
//! no way to watch a directory. If your target's WIT may gain files, add a build script:
//!
//! ```text
//! // build.rs (with golem-rpc also under [build-dependencies])
//! fn main() {
//!     golem_rpc::build::track_wit_dir("../counter/wit");
//! }
//! ```

/// Tells cargo to rerun the build script, and so rebuild the crate, when anything under `dir`
/// (relative to the crate's `Cargo.toml`) changes, including files added to it.
pub fn track_wit_dir(dir: &str) {
    println!("cargo:rerun-if-changed={dir}");
}
