//! Scratch: prints what the direction-of-travel engine finds in the demo data.
use waymark_core::analysis::outcomes::MeasureRules;
use waymark_core::analysis::{analyse, AnalysisConfig};
use waymark_core::demo::{generate, DemoParams};
use waymark_core::{ingest, InputFile, MappingConfig};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let demo = generate(&DemoParams {
        n_people: n,
        ..DemoParams::default()
    });
    let files: Vec<InputFile> = demo
        .files
        .iter()
        .map(|f| InputFile {
            name: f.name,
            bytes: f.csv.as_bytes(),
        })
        .collect();
    let ingested = ingest(&files, &MappingConfig::default());
    let catalogue = waymark_core::measures::MeasureCatalogue::defaults();
    let rules = MeasureRules::for_dataset(&catalogue, &ingested.dataset);
    let config = AnalysisConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
        ..Default::default()
    };
    {
        use waymark_core::analysis::*;
        let d = &ingested.dataset;
        let t = std::time::Instant::now();
        let index = PersonIndex::build(d, &config).unwrap();
        eprintln!("index {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let o = outcomes::analyse(d, &index, &rules);
        eprintln!("outcomes {:?}", t.elapsed());
        let t = std::time::Instant::now();
        service::analyse(d, &index, &config, &rules);
        eprintln!("service {:?}", t.elapsed());
        let t = std::time::Instant::now();
        stability::analyse(d, &index, &config);
        eprintln!("stability {:?}", t.elapsed());
        let t = std::time::Instant::now();
        goals::analyse(d, &index, &config);
        eprintln!("goals {:?}", t.elapsed());
        let t = std::time::Instant::now();
        narrative::analyse(d, &index, &o);
        eprintln!("narrative {:?}", t.elapsed());
    }
    let t = std::time::Instant::now();
    let a = analyse(&ingested.dataset, &config, &catalogue).unwrap();
    eprintln!("analysis took {:?}", t.elapsed());
    for m in &a.outcomes.measures {
        println!(
            "{} paired {} RI {} NRC {} RD {} rec {} sus {} labels {:?}",
            m.measure,
            m.people_paired,
            m.reliable_improvement,
            m.no_reliable_change,
            m.reliable_deterioration,
            m.recovered,
            m.sustained_improvement,
            m.labels
        );
    }
    println!(
        "PM {:.1} people {}",
        a.service.person_months, a.service.people_in_service
    );
    for i in &a.service.indicators {
        let v: Vec<String> = i
            .months
            .iter()
            .rev()
            .take(8)
            .rev()
            .map(|m| m.value.map_or("-".into(), |v| format!("{v:.1}")))
            .collect();
        println!("{:32} {}", i.key, v.join(" "));
    }
    for i in &a.service.indicators {
        if let Some(c) = &i.chart {
            println!(
                "{:32} n {} variation {:?} mean {:.1} note {:?}",
                i.key, c.n_points, c.variation_icon, c.segments[0].mean, i.chart_note
            );
        } else {
            println!("{} {:?}", i.key, i.chart_note);
        }
    }
    let s = &a.stability;
    println!(
        "stability assessed {} imp {} stable {} det {} EW {} recent {} by {:?}",
        s.people_assessed,
        s.improving,
        s.stable,
        s.deteriorating,
        s.early_warnings,
        s.too_recent,
        s.flagged_by_indicator
    );
    let planted_ew = demo
        .planted
        .iter()
        .find(|p| p.name == "early_warning")
        .unwrap();
    let flagged: Vec<&str> = s
        .people
        .iter()
        .filter(|p| p.early_warning)
        .map(|p| {
            ingested
                .dataset
                .person_ids
                .text(ingested.dataset.people.person[p.person])
        })
        .collect();
    let hits = flagged
        .iter()
        .filter(|id| planted_ew.people.iter().any(|p| p == *id))
        .count();
    println!(
        "EW flagged {} of which planted {} / {}",
        flagged.len(),
        hits,
        planted_ew.people.len()
    );
    let g = &a.goals;
    println!("goals {} achieved {} T {:?} on-time {} late {} overdue {} static goals {} people static {}", g.goals, g.goals_achieved, g.mean_gas_t_score, g.reviews_on_time, g.reviews_late, g.overdue_reviews, g.static_goals, g.people_with_static_plans);
    for f in &g.audit {
        println!("  audit {:22} {}/{}", f.field, f.complete, f.applicable);
    }
    let nr = &a.narrative;
    let planted_d = demo
        .planted
        .iter()
        .find(|p| p.name == "discordant_feedback")
        .unwrap();
    let planted_r = demo
        .planted
        .iter()
        .find(|p| p.name == "reverse_discordant_feedback")
        .unwrap();
    let id = |p: usize| {
        ingested
            .dataset
            .person_ids
            .text(ingested.dataset.people.person[p])
            .to_string()
    };
    let d_hits = nr
        .cases
        .iter()
        .filter(|c| planted_d.people.contains(&id(c.person)))
        .count();
    let r_hits = nr
        .cases
        .iter()
        .filter(|c| planted_r.people.contains(&id(c.person)))
        .count();
    println!(
        "narrative better/worse {} flat/better {} planted hits {}/{} {}/{} reconciled {} not {}",
        nr.numbers_better_voice_worse,
        nr.numbers_flat_voice_better,
        d_hits,
        planted_d.people.len(),
        r_hits,
        planted_r.people.len(),
        nr.reconciled,
        nr.not_reconciled
    );
    println!(
        "themes {:?}",
        nr.themes
            .iter()
            .take(5)
            .map(|t| (&t.theme, t.entries))
            .collect::<Vec<_>>()
    );
}
