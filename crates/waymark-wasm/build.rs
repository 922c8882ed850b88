//! The browser tests of this crate run on a deliberately small WebAssembly stack, so a change
//! that makes the analysis need much more stack fails in CI instead of in a user's browser.
//!
//! Rust's wasm32 target links with `--stack-first`: the stack sits below the data and the
//! heap, and a stack that overflows runs below address 0 and traps ("memory access out of
//! bounds") rather than overwriting the heap. The app keeps the default 1 MiB
//! (docs/toolchain.md, "The WebAssembly stack"); these tests, unoptimised and so hungrier for
//! stack than the app, get a quarter of it.

const TEST_STACK_BYTES: u32 = 256 * 1024;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        // Later `-z stack-size` arguments replace rustc's own default.
        println!("cargo:rustc-link-arg-tests=-zstack-size={TEST_STACK_BYTES}");
    }
}
