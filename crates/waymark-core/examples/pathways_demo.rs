//! Runs the pathway comparison on the demo data and prints a summary and its time.
//!
//! `cargo run --release -p waymark-core --example pathways_demo -- [n_people] [csv_dir]`
//! (default 300 people, seed 42, reference date 2026-06-30). With `csv_dir`, the demo CSVs are
//! written there too: tests/reference/pathways_reference.py reads them.
use waymark_core::analysis::pathways::{compare_pathways, PathwayConfig};
use waymark_core::analysis::{analyse, AnalysisConfig, PersonIndex};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::measures::MeasureCatalogue;
use waymark_core::{ingest, MappingConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let n_people: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let demo = generate(&DemoParams {
        n_people,
        ..DemoParams::default()
    });
    if let Some(dir) = args.next() {
        std::fs::create_dir_all(&dir).expect("create the CSV directory");
        for file in &demo.files {
            std::fs::write(std::path::Path::new(&dir).join(file.name), &file.csv)
                .expect("write a demo CSV");
        }
        eprintln!("wrote {} files to {dir}", demo.files.len());
    }
    let files = demo.input_files();
    let data = ingest(&files, &MappingConfig::default()).dataset;
    let config = AnalysisConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
        ..AnalysisConfig::default()
    };
    let catalogue = MeasureCatalogue::defaults();
    let analysis = analyse(&data, &config, &catalogue).expect("demo has people");
    let index = PersonIndex::build(&data, &config).expect("demo has people");
    let start = std::time::Instant::now();
    let runs = 5;
    let mut comparison = None;
    for _ in 0..runs {
        comparison = Some(compare_pathways(
            &data,
            &index,
            &analysis.outcomes,
            &catalogue,
            &PathwayConfig::default(),
        ));
    }
    let elapsed = start.elapsed() / runs;
    let comparison = comparison.expect("ran at least once");
    eprintln!(
        "compare_pathways: {elapsed:?} per run ({n_people} people, {} event rows)",
        data.events.person.len()
    );
    for g in &comparison.groups {
        let m = g.measures.first();
        println!(
            "{:<32} people {:>6} pm {:>9.1} crisis {:>6} RI {:?} vs ref {:?}",
            g.pathway,
            g.people,
            g.person_months,
            g.crisis.events,
            m.and_then(|m| m.reliable_improvement.map(|r| (r.successes, r.trials))),
            m.and_then(|m| m.reliable_improvement_vs_reference.map(|d| (
                d.difference,
                d.lower,
                d.upper
            ))),
        );
    }
    println!("warnings: {:#?}", comparison.warnings);
}
