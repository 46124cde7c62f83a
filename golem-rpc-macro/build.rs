//! Tells the macro where `debug: true` / `GOLEM_RPC_DEBUG=1` may write formatted expansions.

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rustc-env=DEBUG_OUTPUT_DIR={out_dir}");
}
