//! Writes the demo CSV files (300 people, seed 42, 2026-06-30) to the given folder: the
//! fixture of the direction-of-travel reference test (tests/reference/demo300/).
use waymark_core::demo::{generate, DemoParams};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let demo = generate(&DemoParams::default());
    for f in &demo.files {
        std::fs::write(format!("{dir}/{}", f.name), &f.csv).unwrap();
    }
    for p in &demo.planted {
        println!("{}: {}", p.name, p.people.len());
    }
}
