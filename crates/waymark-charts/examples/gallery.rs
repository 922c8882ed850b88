//! Writes every chart, drawn from the test fixtures, to a folder as SVG files and as one
//! HTML page, for looking at: `cargo run -p waymark-charts --example gallery -- OUT_DIR [WIDTH]`.

#[allow(dead_code)]
#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use waymark_charts::{Chart, RenderOptions};

fn main() -> std::io::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "chart-gallery".to_string());
    let width: f64 = std::env::args()
        .nth(2)
        .and_then(|w| w.parse().ok())
        .unwrap_or(800.0);
    std::fs::create_dir_all(&out)?;
    let charts: Vec<(&str, Box<dyn Chart>)> = vec![
        ("xmr", Box::new(fixtures::xmr())),
        ("lines", Box::new(fixtures::lines())),
        ("bars", Box::new(fixtures::bars())),
        ("scatter", Box::new(fixtures::scatter())),
        ("steps", Box::new(fixtures::steps())),
        ("funnel", Box::new(fixtures::funnel())),
        ("histogram", Box::new(fixtures::histogram())),
        ("spaghetti", Box::new(fixtures::spaghetti())),
    ];
    let mut page = String::from("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Chart gallery</title><body style=\"max-width:900px;margin:auto;font-family:Arial\">");
    for (name, chart) in &charts {
        let svg = chart.to_svg(&RenderOptions {
            width,
            ..RenderOptions::new(name)
        });
        std::fs::write(format!("{out}/{name}.svg"), &svg)?;
        page.push_str(&svg);
        page.push_str(&chart.as_table().to_html());
    }
    page.push_str("</body></html>");
    std::fs::write(format!("{out}/index.html"), page)?;
    println!("wrote {} charts to {out}", charts.len());
    Ok(())
}
