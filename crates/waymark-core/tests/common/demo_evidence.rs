//! The demo dataset of `n_people`, ingested and analysed with the default configuration.

use waymark_core::config::{analyse_and_report, Config, Evidence};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::{ingest, MappingConfig};

pub fn demo(n_people: usize) -> Evidence {
    let demo = generate(&DemoParams {
        n_people,
        ..DemoParams::default()
    });
    analyse_and_report(
        ingest(&demo.input_files(), &MappingConfig::default()),
        &Config::default(),
    )
    .expect("the default configuration is valid")
}
